// Run record files: a round trip keeps every field; strict reading rejects malformed JSON,
// missing and unknown keys, wrong types and negative counts with "path: key: problem".
#include <doctest/doctest.h>

#include "scratch.hpp"

#include <cstdio>
#include <fstream>

#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "engine/common/input_error.hpp"

namespace {
cli::RecordFile sample() {
  cli::RecordFile rec;
  rec.config_path = "c.yaml";
  rec.config_yaml = "model: {neurons: 1024}\n";
  engine::RunRecord& r = rec.run;
  r.run_id = "r1";
  r.backend = "memory";
  r.channel = "queue";
  r.workers = 2;
  r.layers = 1;
  r.neurons = 1024;
  r.images = 10;
  r.memory_mb = 1000;
  r.wall_s = 1.5;
  r.layer_records = {{1, 0.0, 1.0, 0.25, 0.5, 77, {0, 100, 200, 0}}, {2, 1.0, 1.25, 0, 0.1, 5, {0, 0, 30, 0}}};
  r.worker_records = {{0, 0.0, 1.5, 1e6}, {1, 0.01, 1.4, 2e6}};
  r.usage.sns_publish_requests = 4;
  r.usage.sns_publish_billed = 5;
  r.usage.sqs_receive_requests = 9;
  r.usage.sqs_receive_billed = 9;
  r.usage.sqs_delete_requests = 3;
  r.usage.lambda_invocations = 2;
  r.usage.lambda_gb_s = 2.75;
  r.traffic.rows_posted = 12;
  r.categories = {1, 7};
  r.final_nnz = 5;
  return rec;
}

void expect_rejected(const std::string& text, const char* what) {
  try {
    (void)cli::parse_record(text, "rec.json");
    FAIL("accepted: " << text.substr(0, 80));
  } catch (const engine::InputError& e) {
    CHECK_MESSAGE(std::string(e.what()).find(what) != std::string::npos, e.what());
    CHECK(std::string(e.what()).rfind("rec.json", 0) == 0);
  }
}
}  // namespace

TEST_CASE("run record: JSON round trip through a file keeps every field") {
  const cli::RecordFile rec = sample();
  const std::string path = fsd_test::scratch("run_record_test.json");
  cli::write_record(rec, path);
  CHECK(cli::read_record(path) == rec);
  std::ifstream tmp(path + ".tmp");
  CHECK_FALSE(tmp.good());  // the temp file was renamed away
  std::remove(path.c_str());
}

TEST_CASE("run record: usage for the cost model follows docs/ENGINE.md") {
  const cost::Usage u = cli::usage_of(sample().run);
  CHECK(u.invocations == 3);  // 2 workers + the coordinator
  // The workers' metered bill (2.75 GB-s at 1000 MB = 2.816 s; a simulated record's includes
  // start-up) + the coordinator's wall time, not the handler times (1.5 + 1.39 s).
  CHECK(u.worker_seconds.empty());
  CHECK(u.function_seconds == doctest::Approx(2.75 * 1024 / 1000 + 1.5));
  CHECK(u.sns_publish_calls == 4);
  CHECK(u.sns_billed_publishes == 5);
  CHECK(u.sqs_receives == 9);
  CHECK(u.sqs_billed_requests == 9 + 3);  // receive chunks + delete calls (no sends)
}

TEST_CASE("run record: without a metered bill, usage bills each worker's invocation and the coordinator") {
  cli::RecordFile rec = sample();
  rec.run.usage.lambda_gb_s = 0;
  const cost::Usage u = cli::usage_of(rec.run);
  CHECK(u.worker_seconds.size() == 3);
  CHECK(u.function_seconds == doctest::Approx(1.5 + 1.39 + 1.5));
}

// --- Errors last ---
TEST_CASE("run record: strict reading names the file and the key") {
  const nlohmann::json good = cli::record_to_json(sample());
  auto with = [&](auto edit) {
    nlohmann::json j = good;
    edit(j);
    return j.dump(1);
  };
  expect_rejected("{\n \"format\": \n", "rec.json:");
  expect_rejected("[]", "expected an object");
  expect_rejected(with([](auto& j) { j["format"] = "other/9"; }), "format");
  expect_rejected(with([](auto& j) { j["run"].erase("wall_s"); }), "run.wall_s: missing");
  expect_rejected(with([](auto& j) { j["run"]["walls"] = 1; }), "run.walls: unknown key");
  expect_rejected(with([](auto& j) { j["run"]["usage"]["sqs_receive_requests"] = -1; }),
                  "run.usage.sqs_receive_requests: expected a count");
  expect_rejected(with([](auto& j) { j["run"]["usage"]["aws_secret"] = "x"; }), "unknown key");
  expect_rejected(with([](auto& j) { j["run"]["workers"] = "two"; }), "run.workers: expected a count");
  expect_rejected(with([](auto& j) { j["run"]["layer_records"][0]["pair_bytes"] = {1, 2}; }), "workers²");
  expect_rejected(with([](auto& j) { j["run"]["categories"] = {99}; }), "out of range");
  expect_rejected(with([](auto& j) { j["run"]["worker_records"].erase(1); }), "one per worker");
  CHECK_THROWS_AS(cli::read_record("/nonexistent/rec.json"), engine::InputError);
}
