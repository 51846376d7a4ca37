// Ctrl-C on a run whose workers are Lambda invocations (the real bootstrap under @vercel/fun):
// Lambda cannot be told to stop an invocation, so the workers must notice that the coordinator
// removed their run (alive marker gone, queues and topics gone; engine/worker/cancel_watch.hpp)
// and end their invocations with a "cancelled" error, reporting nothing. The test interrupts
// `fsd run --backend aws` once every worker receives rows, and checks within a bound: the
// coordinator's exit status and single line, every invocation ended with its own "stopped" error
// (start-lambda.mjs's /fsd-test/invocations), and no queue, topic, subscription or object of the run left on the
// emulator (SQS/SNS/S3 clients; fauxqs's queue list and SNS ListSubscriptions for completeness).
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "emulator.hpp"
#include "fun_lambda.hpp"
#include "engine/aws/http.hpp"

using namespace engine;
namespace fs = std::filesystem;

namespace {

nlohmann::json get_json(aws::HttpClient& http, const std::string& url) {
  aws::HttpRequest r;
  r.url = url;
  r.timeout_s = 5;
  const aws::HttpResponse got = http.send(r);
  REQUIRE_MESSAGE(got.status == 200, url << ": " << got.status << " " << got.transport_error);
  return nlohmann::json::parse(got.body);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

TEST_CASE("aws: Ctrl-C stops a run's Lambda workers under @vercel/fun and leaves nothing behind") {
  AWS_REQUIRE_EMULATOR(endpoint);
  const auto test_start = std::chrono::steady_clock::now();
  const fs::path work = fs::temp_directory_path() / aws_test::unique_name("lambdacancel");
  const fs::path task = aws_test::make_task_root(work);

  const std::string function_name = "fsd-worker";
  auto env = aws_test::test_env(endpoint);
  std::map<std::string, std::string> lambda_env(env.begin(), env.end());
  const aws_test::FunLambda lambda(function_name, {"--dir", task.string()}, lambda_env);
  const std::string& lambda_endpoint = lambda.endpoint;

  // P = 6 (bfr 2, levels 2), 30 layers of 1200 images: seconds of work, interrupted at its start.
  const std::string data = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  const std::string bucket = aws_test::unique_name("bucket");
  const fs::path config = work / "run.yaml";
  std::ofstream(config) << "model:\n  neurons: 1024\n  layers: 30\n  weights_dir: " << data
                        << "\n  images_path: " << data << "/sparse-images-1024_subset.mtx\n  input_count: 1200"
                        << "\n  batch_size: 1200\ndeployment:\n  variant: queue\n  workers: 6\n"
                        << "  launch: {bfr: 2, levels: 2}\n  partition: {method: random, seed: 11}\n"
                        << "channel:\n  queue: {topics: 2, wait_time_s: 1}\n  object: {bucket: " << bucket << "}\n";
  std::map<std::string, std::string> run_env = lambda_env;
  run_env["FSD_AWS_LAMBDA_FUNCTION"] = function_name;
  run_env["AWS_ENDPOINT_URL_LAMBDA"] = lambda_endpoint;
  const std::string run_id = aws_test::unique_name("cancel");
  aws_test::ChildProcess run({FSD_EXE, "run", config.string(), "--backend", "aws", "--record",
                              (work / "record.json").string(), "--run-id", run_id},
                             run_env);

  // Interrupt once every worker is in its layer loop: its queue has had messages in flight (it
  // received some) — fauxqs's queue list shows that; all six invocations have started by then.
  aws::HttpClient http;
  const std::string invocations_url = lambda_endpoint + "/fsd-test/invocations";
  std::set<std::string> receiving;
  for (int i = 0; i < 4000 && receiving.size() < 6; ++i) {
    for (const auto& q : get_json(http, endpoint + "/_fauxqs/queues"))
      if (q["name"].get<std::string>().rfind("fsd-" + run_id + "-w", 0) == 0 && q["approximateInflightCount"] > 0)
        receiving.insert(q["name"].get<std::string>());
    if (receiving.size() < 6) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(receiving.size() == 6);
  nlohmann::json inv = get_json(http, invocations_url);
  REQUIRE(inv["started"] == 6);
  REQUIRE_MESSAGE(inv["ended"].empty(), inv.dump());  // the run is still going: the interrupt lands mid-run
  run.signal(SIGINT);
  const auto interrupted = std::chrono::steady_clock::now();
  const std::string output = run.read_all();
  const int status = run.wait();
  INFO(output);
  CHECK(status == 128 + SIGINT);
  // One clear line, nothing else (no cleanup error).
  CHECK(std::count(output.begin(), output.end(), '\n') == 1);
  CHECK(output.find("fsd: signal 2: removing this run's cloud resources") == 0);
  CHECK_FALSE(fs::exists(work / "record.json"));

  // Every invocation ends promptly with its cancellation as the error (no report, no retry).
  for (int i = 0; i < 3000 && inv["ended"].size() < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    inv = get_json(http, invocations_url);
  }
  const double stop_s = seconds_since(interrupted);
  INFO("invocations: " << inv.dump());
  REQUIRE(inv["ended"].size() == 6);
  CHECK(inv["started"] == 6);  // nothing started after the interrupt (no retries)
  MESSAGE("all 6 Lambda workers ended " << stop_s << " s after SIGINT");
  CHECK(stop_s < 15.0);  // their receive timeout is 900 s; a long poll is 1 s here
  for (const auto& e : inv["ended"]) {
    CHECK(e["error"] == "Handled");  // posted through the Runtime API ("Unhandled": the process died)
    // Every worker was running: each stopped itself on noticing (not at its start).
    CHECK_MESSAGE(e["payload"].get<std::string>().find("cancelled: worker ") != std::string::npos, e.dump());
    CHECK_MESSAGE(e["payload"].get<std::string>().find("stopped without reporting") != std::string::npos, e.dump());
  }

  // Nothing of the run is left: queues, topics (and with them subscriptions), objects.
  auto backend = aws_test::make_backend(endpoint);
  for (int w = 0; w < 6; ++w) {
    auto url = backend->sqs().get_queue_url("fsd-" + run_id + "-w" + std::to_string(w));
    CHECK_FALSE(url.has_value());
  }
  cloud::OutgoingMessage m{"x", {}};
  for (int t = 0; t < 2; ++t) {
    auto p = backend->sns().publish_batch("arn:aws:sns:us-east-1:000000000000:fsd-" + run_id + "-t" + std::to_string(t),
                                          std::span<const cloud::OutgoingMessage>(&m, 1));
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().code == ErrorCode::kNotFound);
  }
  auto left = backend->s3().list(bucket, "runs/" + run_id + "/");
  REQUIRE_MESSAGE(left.has_value(), (left ? "" : left.error().message()));
  CHECK_MESSAGE(left->keys.empty(), left->keys.front());
  // Every queue and subscription on the emulator, not just the names the run would use.
  for (const auto& q : get_json(http, endpoint + "/_fauxqs/queues"))
    CHECK(q["name"].get<std::string>().find(run_id) == std::string::npos);
  aws::HttpRequest list_subscriptions;
  list_subscriptions.method = "POST";
  list_subscriptions.url = endpoint + "/";
  list_subscriptions.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  list_subscriptions.body = "Action=ListSubscriptions&Version=2010-03-31";
  const aws::HttpResponse subs = http.send(list_subscriptions);
  REQUIRE(subs.status == 200);
  CHECK(subs.body.find("Subscriptions") != std::string::npos);
  CHECK(subs.body.find(run_id) == std::string::npos);
  MESSAGE("test took " << seconds_since(test_start) << " s");
  fs::remove_all(work);
}
