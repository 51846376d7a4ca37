// `fsd simulate` under Lambda's function timeout (deployment.timeout_s), through the fsd binary:
// a worker killed at its timeout fails the run loudly (exit 2, one line naming the worker, its
// layer and the simulated time, no record written); the cost model's prediction refuses such a
// config up front unless --past-timeout; a timeout the run stays under changes nothing; a
// timeout outside Lambda's 1..900 s is bad input. Queue channel, P = 4, 5 official n1024 layers,
// 50 images, the default calibration (cold start 1.0 s).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "../fsd_command.hpp"

namespace {

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";

std::string config_with_timeout(const std::string& timeout_s) {
  return "model:\n  neurons: 1024\n  layers: 5\n  weights_dir: " + kData + "\n  images_path: " + kData +
         "/sparse-images-1024_subset.mtx\n  input_count: 50\n  batch_size: 50\n"
         "deployment:\n  variant: queue\n  workers: 4\n  launch: {bfr: 4, levels: 1}\n  memory_mb: 1000\n"
         "  timeout_s: " + timeout_s + "\n  partition: {method: random, seed: 3}\n";
}

int lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("fsd simulate: a worker past deployment.timeout_s fails the run in one line, no record") {
  // 2 s: a 1 s cold start, then worker 0 is still in its first layers (a queue layer takes ≥ 0.1 s).
  const std::string config = fsd_test::write_scratch("t2.yaml", config_with_timeout("2"));
  const std::string record = fsd_test::scratch("killed.json");
  std::string err;
  CHECK(fsd_test::run_fsd("simulate " + config + " --past-timeout --record " + record, &err) == 2);
  INFO(err);
  CHECK(lines(err) == 1);
  CHECK(err.find(config + ": deployment: queue run failed: worker 0 was killed at its 2 s function timeout at t=") !=
        std::string::npos);
  CHECK(err.find(" of 5") != std::string::npos);  // "in layer K of 5"
  CHECK(err.find("billed ") != std::string::npos);
  CHECK(err.find("no record written") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(record));
}

TEST_CASE("fsd simulate: refuses up front when the cost model predicts a worker past the timeout") {
  const std::string config = fsd_test::write_scratch("t2.yaml", config_with_timeout("2"));
  std::string err;
  CHECK(fsd_test::run_fsd("simulate " + config + " --record " + fsd_test::scratch("r.json"), &err) == 2);
  CHECK(err.find("the cost model predicts a worker runs") != std::string::npos);
  CHECK(err.find("> deployment.timeout_s = 2 s") != std::string::npos);
  CHECK(err.find("--past-timeout") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(fsd_test::scratch("r.json")));
}

TEST_CASE("fsd simulate: a run under its timeout writes its record") {
  const std::string config = fsd_test::write_scratch("t60.yaml", config_with_timeout("60"));
  const std::string record = fsd_test::scratch("ok.json");
  std::string err;
  CHECK(fsd_test::run_fsd("simulate " + config + " --record " + record, &err) == 0);
  INFO(err);
  CHECK(std::filesystem::exists(record));
}

TEST_CASE("fsd simulate: deployment.timeout_s outside Lambda's 1..900 s is bad input") {
  std::string err;
  CHECK(fsd_test::run_fsd("simulate " + fsd_test::write_scratch("t901.yaml", config_with_timeout("901")), &err) == 2);
  CHECK(err.find("t901.yaml:13: deployment.timeout_s: must be in [1, 900] s, got 901") != std::string::npos);
  CHECK(fsd_test::run_fsd("simulate " + fsd_test::write_scratch("t0.yaml", config_with_timeout("0.5")), &err) == 2);
  CHECK(err.find("deployment.timeout_s: must be in [1, 900] s, got 0.5") != std::string::npos);
}
