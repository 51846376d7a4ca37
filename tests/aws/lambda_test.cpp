// The real Lambda package under @vercel/fun: deploy/package.sh zips `bootstrap` and `fsd`;
// tools/emulator/start-lambda.mjs serves Lambda's Invoke API on loopback and runs the package as
// a provided-runtime function, so each invocation goes LambdaClient → HTTP → fun → Runtime API →
// bootstrap → `fsd lambda` → serial inference → back. The categories must equal engine::infer's.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "emulator.hpp"
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
  aws_test::ChildProcess lambda({"node", FSD_SOURCE_DIR "/tools/emulator/start-lambda.mjs", "--name", function_name,
                                 "--zip", zip.string(), "--timeout-s", "60"});
  const std::string line = lambda.read_line();
  REQUIRE_MESSAGE(line.rfind("port=", 0) == 0, "start-lambda.mjs printed: " << line);
  const std::string lambda_endpoint = "http://127.0.0.1:" + line.substr(5, line.find_first_of("\r\n") - 5);

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
