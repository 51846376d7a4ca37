// End to end through the `fsd` binary: `fsd run` on the memory backend (both channels, with
// faults) reproduces the serial engine (--verify) and writes a record `fsd check` accepts; bad
// input exits 2 with one line naming the file.
#include <doctest/doctest.h>

#include "scratch.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "cli/record/run_record_json.hpp"

namespace {
struct Out {
  int status;
  std::string text;
};
Out sh(const std::string& cmd) {
  std::string text;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  REQUIRE(p);
  std::array<char, 4096> buf;
  while (std::fgets(buf.data(), buf.size(), p)) text += buf.data();
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, text};
}

std::string write_config(const std::string& name, const std::string& variant, int workers, const std::string& launch) {
  const std::string dir = fsd_test::scratch("fsd_run_test");
  std::system(("mkdir -p " + dir).c_str());
  const std::string path = dir + "/" + name + ".yaml";
  std::ofstream(path) << "model:\n  neurons: 1024\n  layers: 5\n  weights_dir: " << FSD_SHARED_DATA
                      << "/graphchallenge-n1024\n  images_path: " << FSD_SHARED_DATA
                      << "/graphchallenge-n1024/sparse-images-1024_subset.mtx\n  input_count: 80\n  batch_size: 80\n"
                      << "deployment:\n  variant: " << variant << "\n  workers: " << workers << "\n  launch: " << launch
                      << "\n  partition: {method: random, seed: 3}\nchannel:\n  queue: {topics: 2, wait_time_s: 0.5}\n"
                      << "  object: {poll_interval_s: 0.002}\n";
  return path;
}
}  // namespace

TEST_CASE("fsd run: queue and object channels with faults reproduce the serial engine and fsd check passes") {
  for (const char* variant : {"queue", "object"}) {
    CAPTURE(variant);
    const std::string cfg = write_config(std::string("e2e_") + variant, variant, 20, "{bfr: 4, levels: 2}");
    const std::string rec = cfg + ".record.json";
    const Out run = sh(std::string(FSD_EXE) + " run " + cfg + " --faults --fault-seed 5 --verify --run-id e2e --record " + rec);
    INFO(run.text);
    CHECK(run.status == 0);
    CHECK(run.text.find("identical to the serial engine") != std::string::npos);
    const cli::RecordFile r = cli::read_record(rec);
    CHECK(r.run.workers == 20);
    CHECK(r.run.layers == 5);
    CHECK(r.run.usage.lambda_invocations == 20);
    // Faults make duplicates and retries: request counts may exceed the prediction, so only run
    // the check on a fault-free record below.
    const std::string clean = cfg + ".clean.json";
    const Out run2 = sh(std::string(FSD_EXE) + " run " + cfg + " --run-id e2e2 --record " + clean);
    CHECK(run2.status == 0);
    const Out check = sh(std::string(FSD_EXE) + " check " + clean + " --tolerance 0.0001");
    INFO(check.text);
    CHECK(check.status == 0);
    CHECK(check.text.find("PASS") != std::string::npos);
  }
}

// --- Errors last ---
TEST_CASE("fsd run and fsd check: bad input exits 2 with one line") {
  const Out no_config = sh(std::string(FSD_EXE) + " run /nonexistent.yaml");
  CHECK(no_config.status == 2);
  const Out bad_backend = sh(std::string(FSD_EXE) + " run " + write_config("bb", "queue", 2, "{bfr: 2, levels: 1}") +
                             " --backend nowhere");
  CHECK(bad_backend.status == 2);
  CHECK(bad_backend.text.find("unknown backend 'nowhere'") != std::string::npos);
  const std::string bad_record = fsd_test::scratch("fsd_run_test") + "/bad.json";
  std::ofstream(bad_record) << "{\"format\": \"fsd-run-record/1\"}";
  const Out check = sh(std::string(FSD_EXE) + " check " + bad_record);
  CHECK(check.status == 2);
  CHECK(check.text.find("bad.json") != std::string::npos);
}
