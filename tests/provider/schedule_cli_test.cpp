// `fsd schedule` end to end: a small replay prints its table; a bad weights file or config is one
// line on stderr and exit 2.
#include <doctest/doctest.h>

#include "scratch.hpp"
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {
struct Run {
  int code;
  std::string out, err;
};

Run fsd(const std::string& args) {
  const std::string base = fsd_test::scratch("provider-test-cli");
  const int status =
      std::system((std::string(FSD_EXE) + " schedule " + args + " > " + base + ".out 2> " + base + ".err").c_str());
  auto slurp = [](const std::string& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(base + ".out"), slurp(base + ".err")};
}

std::string small_config() {
  const std::string path = fsd_test::scratch("provider-test-small.yaml");
  std::ofstream(path) << "trace: {dir: " << FSD_SHARED_DATA
                      << "/azure-functions-2019/10, start_minute: 720, minutes: 10}\n"
                      << "images: {source: synthetic, synthetic: {size_mb: 1, shared_fraction: 0.5}}\n"
                      << "cluster: {servers: 5}\n";
  return path;
}
}  // namespace

TEST_CASE("schedule_cli: fsd schedule replays a trace window with first fit") {
  const Run r = fsd(small_config() + " --policy first_fit --json");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("\"policy\": \"first_fit\"") != std::string::npos);
  CHECK(r.out.find("\"v2_shared_block_share\": 0.5") != std::string::npos);  // 16 blocks of 64 KB, 8 kept
}

TEST_CASE("schedule_cli: fsd schedule rejects a bad weights file and config with exit 2") {
  const std::string weights = fsd_test::scratch("provider-test-cli.weights");
  std::ofstream(weights) << "fsd-provider-policy 1\nfeatures 4 hidden 2\n1 2 3\n";
  const Run bad = fsd(small_config() + " --policy hybrid --weights " + weights);
  CHECK(bad.code == 2);
  CHECK(bad.err.find(weights + ":3: expected 4 numbers") != std::string::npos);
  CHECK(std::count(bad.err.begin(), bad.err.end(), '\n') == 1);
  const Run policy = fsd(small_config() + " --policy random");
  CHECK(policy.code == 2);
  const Run missing = fsd("/nonexistent/provider.yaml");
  CHECK(missing.code == 2);
  CHECK(missing.err.find("/nonexistent/provider.yaml") != std::string::npos);
}
