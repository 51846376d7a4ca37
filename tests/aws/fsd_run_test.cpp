// `fsd run CONFIG --backend aws` end to end against the emulator, as a user runs it: P = 8 worker
// processes (`fsd lambda --event -`, each given a Lambda's event) with each channel give the serial
// engine's result (--verify), the record's metered requests equal the requests the AWS clients of
// all processes sent (FSD_AWS_REQUEST_LOG: the coordinator's plus what the workers reported),
// `fsd check` passes on the record, the record carries no credential, and an interrupted run
// leaves no queue, topic or worker process behind.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <tuple>

#include "child_process.hpp"
#include "emulator.hpp"
#include "engine/worker/launch_event.hpp"
#include "scratch.hpp"

using namespace engine;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path write_config(const fs::path& dir, const std::string& variant, int layers, int images,
                      const std::string& bucket) {
  const std::string data = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  fs::path p = dir / (variant + ".yaml");
  std::ofstream(p) << "model:\n  neurons: 1024\n  layers: " << layers << "\n  weights_dir: " << data
                   << "\n  images_path: " << data << "/sparse-images-1024_subset.mtx\n  input_count: " << images
                   << "\n  batch_size: " << images << "\ndeployment:\n  variant: " << variant
                   << "\n  workers: 8\n  launch: {bfr: 8, levels: 1}\n  partition: {method: random, seed: 3}\n"
                   << "channel:\n  queue: {topics: 3, wait_time_s: 1}\n  object: {bucket: " << bucket
                   << ", poll_interval_s: 0.01}\n";
  return p;
}

std::map<std::string, std::string> fsd_env(const std::string& endpoint, const fs::path& request_log) {
  auto env = aws_test::test_env(endpoint);
  std::map<std::string, std::string> out(env.begin(), env.end());
  out["FSD_AWS_REQUEST_LOG"] = request_log.string();
  return out;
}

std::int64_t sent(const nlohmann::json& log, const char* op) {
  return log.contains(op) ? log[op]["sent"].get<std::int64_t>() : 0;
}

void run_and_check(const std::string& endpoint, const std::string& variant) {
  CAPTURE(variant);
  const fs::path dir = fs::temp_directory_path() / aws_test::unique_name("fsdrun");
  fs::create_directories(dir);
  const std::string bucket = aws_test::unique_name("bucket");
  const fs::path config = write_config(dir, variant, 4, 60, bucket);
  const fs::path record = dir / "record.json", log = dir / "requests.json";
  const std::string run_id = aws_test::unique_name("r");
  aws_test::ChildProcess run({FSD_EXE, "run", config.string(), "--backend", "aws", "--record", record.string(),
                              "--run-id", run_id, "--verify"},
                             fsd_env(endpoint, log));
  const std::string output = run.read_all();
  INFO(output);
  REQUIRE(run.wait() == 0);
  CHECK(output.find("identical to the serial engine") != std::string::npos);

  const std::string record_text = slurp(record);
  CHECK(record_text.find(aws_test::kTestSecret) == std::string::npos);
  CHECK(record_text.find(aws_test::kTestToken) == std::string::npos);
  CHECK(record_text.find("AKIDTESTEMULATOR") == std::string::npos);
  CHECK(output.find(aws_test::kTestSecret) == std::string::npos);

  const auto u = nlohmann::json::parse(record_text)["run"]["usage"];
  const auto t = nlohmann::json::parse(slurp(log));
  for (const auto& [op, tally] : t.items()) {
    CAPTURE(op);
    CHECK(tally["failed"] == 0);
  }
  CHECK(u["sns_publish_requests"] == sent(t, "sns:PublishBatch"));
  CHECK(u["sns_other_requests"] == sent(t, "sns:CreateTopic") + sent(t, "sns:Subscribe") + sent(t, "sns:Unsubscribe") +
                                       sent(t, "sns:DeleteTopic"));
  CHECK(u["sqs_send_requests"] == sent(t, "sqs:SendMessageBatch"));
  CHECK(u["sqs_receive_requests"] == sent(t, "sqs:ReceiveMessage"));
  CHECK(u["sqs_delete_requests"] == sent(t, "sqs:DeleteMessageBatch"));
  CHECK(u["sqs_other_requests"] == sent(t, "sqs:CreateQueue") + sent(t, "sqs:SetQueueAttributes") +
                                       sent(t, "sqs:GetQueueAttributes") + sent(t, "sqs:DeleteQueue"));
  CHECK(u["s3_put_requests"] == sent(t, "s3:PutObject"));
  CHECK(u["s3_get_requests"] == sent(t, "s3:GetObject"));
  CHECK(u["s3_list_requests"] == sent(t, "s3:ListObjectsV2"));
  CHECK(u["s3_delete_requests"] == sent(t, "s3:DeleteObjects"));
  CHECK(u["s3_other_requests"] == sent(t, "s3:CreateBucket"));
  // The workers were other processes: everything the channel sent, they sent and reported (the
  // coordinator only provisions, invokes and reads reports).
  auto by_workers = [&](const char* op) { return t.contains(op) ? t[op]["by_workers"].get<std::int64_t>() : 0; };
  if (variant == "queue") {
    CHECK(sent(t, "sns:PublishBatch") > 0);
    CHECK(by_workers("sns:PublishBatch") == sent(t, "sns:PublishBatch"));
    CHECK(by_workers("sqs:ReceiveMessage") == sent(t, "sqs:ReceiveMessage"));
  } else {
    CHECK(sent(t, "s3:PutObject") > 0);
    CHECK(by_workers("s3:GetObject") == sent(t, "s3:GetObject"));
  }
  CHECK(u["lambda_invocations"] == 8);
  // Nothing of the run is left in the bucket: channel objects, reports.
  auto backend = aws_test::make_backend(endpoint);
  auto left = backend->s3().list(bucket, "runs/" + run_id + "/");
  REQUIRE(left.has_value());
  CHECK(left->keys.empty());

  aws_test::ChildProcess check({FSD_EXE, "check", record.string()});
  const std::string check_output = check.read_all();
  INFO(check_output);
  CHECK(check.wait() == 0);
  CHECK(check_output.find("PASS") != std::string::npos);
  fs::remove_all(dir);
}

}  // namespace

TEST_CASE("aws: fsd run --backend aws, queue channel, P = 8: serial result, requests match, check passes") {
  AWS_REQUIRE_EMULATOR(endpoint);
  run_and_check(endpoint, "queue");
}

TEST_CASE("aws: fsd run --backend aws, object channel, P = 8: serial result, requests match, check passes") {
  AWS_REQUIRE_EMULATOR(endpoint);
  run_and_check(endpoint, "object");
}

TEST_CASE("aws: fsd run interrupted with SIGINT removes its queues and topics") {
  AWS_REQUIRE_EMULATOR(endpoint);
  const fs::path dir = fs::temp_directory_path() / aws_test::unique_name("fsdint");
  fs::create_directories(dir);
  // 30 layers of 1200 images: seconds of work, so the interrupt lands mid-run.
  const fs::path config = write_config(dir, "queue", 30, 1200, aws_test::unique_name("bucket"));
  const std::string run_id = aws_test::unique_name("int");
  aws_test::ChildProcess run({FSD_EXE, "run", config.string(), "--backend", "aws", "--record",
                              (dir / "record.json").string(), "--run-id", run_id},
                             fsd_env(endpoint, dir / "requests.json"));
  auto backend = aws_test::make_backend(endpoint);
  // Wait until the last worker's queue exists (provisioning is done), then interrupt.
  const std::string last_queue = "fsd-" + run_id + "-w7";
  bool provisioned = false;
  for (int i = 0; i < 1000 && !provisioned; ++i) {
    provisioned = backend->sqs().get_queue_url(last_queue).has_value();
    if (!provisioned) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(provisioned);
  run.signal(SIGINT);
  // read_all() ends when every process holding the output pipe is gone: the worker processes
  // inherit it, so this returns only once the interrupted run killed them all.
  const std::string output = run.read_all();
  INFO(output);
  CHECK(run.wait() == 128 + SIGINT);
  CHECK(output.find("removing this run's cloud resources") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "record.json"));  // nothing half-written
  for (int w = 0; w < 8; ++w) {
    auto url = backend->sqs().get_queue_url("fsd-" + run_id + "-w" + std::to_string(w));
    CHECK_FALSE(url.has_value());
  }
  cloud::OutgoingMessage m{"x", {}};
  for (int t = 0; t < 3; ++t) {
    auto p = backend->sns().publish_batch("arn:aws:sns:us-east-1:000000000000:fsd-" + run_id + "-t" + std::to_string(t),
                                          std::span<const cloud::OutgoingMessage>(&m, 1));
    REQUIRE_FALSE(p.has_value());
    CHECK(p.error().code == ErrorCode::kNotFound);
  }
  fs::remove_all(dir);
}

// --- Errors last ---
TEST_CASE("aws: fsd lambda --event rejects a bad worker event with exit 2 and the key named") {
  const fs::path dir = fsd_test::scratch("lambda-event");
  fs::create_directories(dir);
  auto run_event = [&](const std::string& name, const std::string& event) {
    std::ofstream(dir / name) << event;
    aws_test::ChildProcess p({FSD_EXE, "lambda", "--event", (dir / name).string()});
    const std::string out = p.read_all();
    return std::make_pair(p.wait(), out);
  };
  auto [status, out] = run_event("partial.json", R"({"run":"r1","parent":-1})");
  CHECK(status == 2);
  CHECK(out.find("missing key") != std::string::npos);

  // A well-formed event whose config is not: the config's own error, still exit 2.
  engine::LaunchEvent e;
  e.run_id = "r1";
  e.channel.kind = engine::ChannelKind::kObject;
  e.channel.bucket = "bucket-x";
  e.channel.prefix = "runs/r1";
  e.config = "model:\n  neurons: many\n";
  std::tie(status, out) = run_event("config.json", engine::to_json(e));
  CHECK(status == 2);
  CHECK(out.find("<launch event config>") != std::string::npos);
  CHECK(out.find("neurons") != std::string::npos);
}
