// End to end: `fsd cost` on the authors' published queue run, `fsd plan --json` on a shipped config.
#include <doctest/doctest.h>

#include "scratch.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {
// Runs a shell command; returns (exit status, stdout).
std::pair<int, std::string> run(const std::string& command) {
  const std::string out = fsd_test::scratch("cli_cost_test.out");
  const int status = std::system((command + " > " + out + " 2>&1").c_str());
  std::ifstream in(out);
  std::stringstream s;
  s << in.rdbuf();
  std::remove(out.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, s.str()};
}
}  // namespace

TEST_CASE("fsd cost: paper accounting of the published queue run, as JSON") {
  const std::string usage = fsd_test::scratch("cli_cost_test_usage.yaml");
  std::ofstream(usage) << "workers: 8\nmemory_mb: 1000\nfunction_seconds: 568.61206\nsns_publish_calls: 1102\n"
                          "sns_publish_bytes: 104131260\nsqs_receives: 4318\n";
  const auto [status, out] =
      run(std::string(FSD_EXE) + " cost --usage " + usage + " --prices fsd-paper-2024 --accounting paper --json");
  REQUIRE(status == 0);
  const auto j = nlohmann::json::parse(out);
  CHECK(j["total_usd"].get<double>() == doctest::Approx(0.0215316050).epsilon(1e-9));
  CHECK(j["accounting"] == "paper");
  const auto [bad_status, bad_out] = run(std::string(FSD_EXE) + " cost --usage " + usage + " --accounting guess");
  CHECK(bad_status == 2);
  std::remove(usage.c_str());
}

TEST_CASE("fsd plan: every variant and a recommendation for the n1024 config") {
  const auto [status, out] = run(std::string(FSD_EXE) + " plan " + FSD_SOURCE_DIR + "/configs/n1024.yaml --json");
  REQUIRE(status == 0);
  const auto j = nlohmann::json::parse(out);
  REQUIRE(j["variants"].size() == 5);
  for (const auto& v : j["variants"]) {
    CHECK(v["latency_s"].get<double>() > 0);
    CHECK(v["usd_per_day"].get<double>() == doctest::Approx(2000 * v["usd_per_query"].get<double>()));
  }
  // Object: P(P−1)L + (P−1) PUTs per query, one per (layer, source, target) and gather block.
  CHECK(j["variants"][2]["variant"] == "object");
  CHECK(j["variants"][2]["usage"]["s3_puts"] == 8 * 7 * 120 + 7);
  CHECK(!j["recommendation"]["reason"].get<std::string>().empty());
}

TEST_CASE("fsd plan: --profile partitioned counts the rows of a real partition") {
  const std::string config = fsd_test::scratch("cli_cost_test_plan.yaml");
  std::ofstream(config) << "model: {neurons: 1024, layers: 4, generate_seed: 1, batch_size: 100}\n"
                           "deployment:\n  launch: {bfr: 4, levels: 1}\n  partition: {method: random, seed: 3}\n";
  const auto [status, out] = run(std::string(FSD_EXE) + " plan " + config + " --profile partitioned --json");
  REQUIRE(status == 0);
  const auto j = nlohmann::json::parse(out);
  CHECK(j["profile"].get<std::string>().rfind("partitioned", 0) == 0);
  CHECK(j["variants"][2]["usage"]["s3_puts"] == 4 * 3 * 4 + 3);
  const auto [bad, bad_out] = run(std::string(FSD_EXE) + " plan " + config + " --profile guessed");
  CHECK(bad == 2);
  std::remove(config.c_str());
}
