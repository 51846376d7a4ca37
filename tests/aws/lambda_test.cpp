// The real Lambda runtime under @vercel/fun: tools/emulator/start-lambda.mjs serves Lambda's Invoke
// API on loopback and runs `bootstrap` as a provided-runtime function (fun keeps up to 10 of its
// processes, so up to 10 invocations run at once), each invocation going LambdaClient → HTTP → fun
// → Runtime API → bootstrap → `fsd lambda`.
// - The zip deploy/package.sh builds serves the serial variant; the categories must equal
//   engine::infer's.
// - A distributed run: `fsd run --backend aws` with FSD_AWS_LAMBDA_FUNCTION invokes the launch
//   tree's roots through Lambda Invoke; each worker is a fun invocation that invokes its own
//   children the same way, runs over SNS/SQS on the emulator and reports through S3. The result
//   must be the serial engine's, and the metered requests those all processes sent.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "child_process.hpp"
#include "emulator.hpp"
#include "fun_lambda.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network_io.hpp"

using namespace engine;

namespace {

int run(const std::string& command) { return std::system(command.c_str()); }

}  // namespace

TEST_CASE("aws: lambda package runs under @vercel/fun through the Runtime API") {
  AWS_REQUIRE_EMULATOR(endpoint);
  namespace fs = std::filesystem;
  const fs::path work = fs::temp_directory_path() / aws_test::unique_name("lambda");
  fs::create_directories(work);
  const fs::path zip = work / "fsd-lambda.zip";
  REQUIRE(run("bash " FSD_SOURCE_DIR "/deploy/package.sh --no-libs --fsd " FSD_EXE " --out " + zip.string() +
              " > /dev/null") == 0);
  REQUIRE(fs::exists(zip));

  const std::string function_name = "fsd-serial";
  const aws_test::FunLambda lambda(function_name, {"--zip", zip.string()});
  const std::string& lambda_endpoint = lambda.endpoint;

  auto env = aws_test::test_env(endpoint);
  env["AWS_ENDPOINT_URL_LAMBDA"] = lambda_endpoint;
  auto backend = aws::AwsBackend::from_environment(env);
  REQUIRE(backend.has_value());
  auto& lambda_client = (*backend)->lambda();

  const std::string data = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  const nlohmann::json event = {
      {"weights", data}, {"neurons", 1024}, {"layers", 4}, {"images", data + "/sparse-images-1024_subset.mtx"}};
  auto r = lambda_client.invoke(function_name, event.dump(), cloud::InvocationType::kRequestResponse);
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message()));
  auto result = nlohmann::json::parse(*r);

  // Independent reference: the serial engine in this process.
  const Network net = read_network(data, 1024, 4);
  const Activations images = read_images(data + "/sparse-images-1024_subset.mtx", 1024);
  std::vector<std::int32_t> want = categories(infer(net, images));
  for (auto& c : want) ++c;
  CHECK(result.at("images").get<int>() == 1200);
  CHECK(result.at("categories").get<std::vector<std::int32_t>>() == want);

  // The same warm sandbox serves the next invocation; a bad event is that invocation's error.
  auto bad =
      lambda_client.invoke(function_name, R"({"weights":"x","typo":1})", cloud::InvocationType::kRequestResponse);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == ErrorCode::kInternal);
  CHECK(bad.error().what.find("unknown event key 'typo'") != std::string::npos);

  auto event_mode = lambda_client.invoke(function_name, event.dump(), cloud::InvocationType::kEvent);
  REQUIRE(event_mode.has_value());
  CHECK(event_mode->empty());

  auto missing = lambda_client.invoke("no-such-function", "{}", cloud::InvocationType::kRequestResponse);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().what.find("ResourceNotFoundException") == 0);
  fs::remove_all(work);
}

TEST_CASE("aws: a distributed run whose P = 6 workers are Lambda invocations served by @vercel/fun") {
  AWS_REQUIRE_EMULATOR(endpoint);
  namespace fs = std::filesystem;
  const fs::path work = fs::temp_directory_path() / aws_test::unique_name("lambdarun");
  // The function's task root: the real bootstrap next to fsd (the zip's layout, without zipping).
  const fs::path task = aws_test::make_task_root(work);

  const std::string function_name = "fsd-worker";
  auto env = aws_test::test_env(endpoint);
  std::map<std::string, std::string> lambda_env(env.begin(), env.end());
  const aws_test::FunLambda lambda(function_name, {"--dir", task.string()}, lambda_env);
  const std::string& lambda_endpoint = lambda.endpoint;

  // bfr 2, levels 2: the coordinator invokes workers 0 and 3; each invokes two children itself.
  const std::string data = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  const fs::path config = work / "run.yaml";
  std::ofstream(config) << "model:\n  neurons: 1024\n  layers: 3\n  weights_dir: " << data
                        << "\n  images_path: " << data << "/sparse-images-1024_subset.mtx\n  input_count: 40"
                        << "\n  batch_size: 40\ndeployment:\n  variant: queue\n  workers: 6\n"
                        << "  launch: {bfr: 2, levels: 2}\n  partition: {method: random, seed: 11}\n"
                        << "channel:\n  queue: {topics: 2, wait_time_s: 1}\n  object: {bucket: "
                        << aws_test::unique_name("bucket") << "}\n";
  std::map<std::string, std::string> run_env = lambda_env;
  run_env["FSD_AWS_LAMBDA_FUNCTION"] = function_name;
  run_env["AWS_ENDPOINT_URL_LAMBDA"] = lambda_endpoint;
  run_env["FSD_AWS_REQUEST_LOG"] = (work / "requests.json").string();
  const fs::path record = work / "record.json";
  aws_test::ChildProcess run({FSD_EXE, "run", config.string(), "--backend", "aws", "--record", record.string(),
                              "--run-id", aws_test::unique_name("fun"), "--verify"},
                             run_env);
  const std::string output = run.read_all();
  INFO(output);
  REQUIRE(run.wait() == 0);
  CHECK(output.find("identical to the serial engine") != std::string::npos);

  std::stringstream record_text, log_text;
  record_text << std::ifstream(record).rdbuf();
  log_text << std::ifstream(work / "requests.json").rdbuf();
  const auto u = nlohmann::json::parse(record_text.str())["run"]["usage"];
  const auto t = nlohmann::json::parse(log_text.str());
  auto sent = [&](const char* op) { return t.contains(op) ? t[op]["sent"].get<std::int64_t>() : 0; };
  auto by_workers = [&](const char* op) { return t.contains(op) ? t[op]["by_workers"].get<std::int64_t>() : 0; };
  // Six invocations: two by the coordinator, four by the workers, all through Lambda Invoke.
  CHECK(u["lambda_invocations"] == 6);
  CHECK(sent("lambda:Invoke") == 6);
  CHECK(by_workers("lambda:Invoke") == 4);
  CHECK(u["sns_publish_requests"] == sent("sns:PublishBatch"));
  CHECK(by_workers("sns:PublishBatch") == sent("sns:PublishBatch"));
  CHECK(u["sqs_receive_requests"] == sent("sqs:ReceiveMessage"));
  CHECK(u["sqs_delete_requests"] == sent("sqs:DeleteMessageBatch"));
  CHECK(u["s3_put_requests"] == sent("s3:PutObject"));
  CHECK(by_workers("sqs:ReceiveMessage") == sent("sqs:ReceiveMessage"));
  fs::remove_all(work);
}
