// The study evaluator behind fsd sweep: plan columns obey the relations a day's bill must (cost
// per day = cost per query × the rate, the bursts' rate is burst_size·86400/gap), and the
// warm/cold columns match the closed form for Poisson arrivals.
#include <doctest/doctest.h>

#include "scratch.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "cli/record/run_record_json.hpp"
#include "cli/sweep/csv_table.hpp"
#include "cli/sweep/experiment.hpp"
#include "cli/sweep/study_evaluator.hpp"
#include "cli/sweep/sweep.hpp"

namespace fs = std::filesystem;
using namespace cli::sweep;

namespace {

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fsd_test::scratch_dir() / "test-study" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Runs an experiment and returns its rows as column → value maps.
std::vector<std::map<std::string, std::string>> sweep_rows(const std::string& yaml, const fs::path& dir,
                                                           const std::string& fsd = FSD_EXE) {
  const auto e = parse_experiment(yaml, (dir / "e.yaml").string());
  StudyEvaluator eval(fsd);
  const auto sum = run_sweep(e, eval, {.jobs = 2, .out_dir = dir.string(), .progress = false});
  const auto t = read_csv(sum.csv_path);
  std::vector<std::map<std::string, std::string>> rows;
  for (const auto& r : t.rows) {
    std::map<std::string, std::string> m;
    for (std::size_t i = 0; i < r.size(); ++i) m[t.header[i]] = r[i];
    rows.push_back(m);
  }
  return rows;
}

}  // namespace

TEST_CASE("study: a day costs the queries of a day; bursts set the rate") {
  const auto rows = sweep_rows(
      "name: s\ngrid:\n"
      "  deployment.variant: [serial, queue, object, server_job_scoped]\n"
      "  traffic:\n"
      "    - {workload.arrival.kind: poisson, workload.arrival.queries_per_day: 500}\n"
      "    - {workload.arrival.kind: bursts, workload.arrival.queries_per_day: 500}\n"
      "set: {workload.arrival.burst_size: 5, workload.arrival.burst_gap_s: 100}\n",
      fresh_dir("rate"));
  REQUIRE(rows.size() == 8);
  for (const auto& r : rows) {
    CAPTURE(r.at("deployment.variant"));
    CHECK(r.at("status") == "ok");
    CHECK(r.at("variant") == r.at("deployment.variant"));
    const double rate = r.at("workload.arrival.kind") == "bursts" ? 5 * 86400.0 / 100 : 500;
    CHECK(std::stod(r.at("queries_per_day")) == doctest::Approx(rate));
    CHECK(std::stod(r.at("usd_per_day")) == doctest::Approx(std::stod(r.at("usd_per_query")) * rate).epsilon(1e-6));
    const double parts = std::stod(r.at("lambda_usd")) + std::stod(r.at("sns_usd")) + std::stod(r.at("sqs_usd")) +
                         std::stod(r.at("s3_usd")) + std::stod(r.at("ec2_usd"));
    CHECK(parts == doctest::Approx(std::stod(r.at("usd_per_query"))).epsilon(1e-6));
  }
  // Serial sends nothing between workers; the distributed variants do; P is the default tree's 8.
  CHECK(rows[0].at("bytes_sent") == "0");
  CHECK(std::stod(rows[2].at("bytes_sent")) > 0);
  CHECK(std::stod(rows[4].at("bytes_sent")) > 0);
  CHECK(rows[2].at("workers") == "8");
}

TEST_CASE("study: warm/cold columns follow the Poisson closed form") {
  // One instance per query (serial), λ = 100/day over 100 days. The instance stays warm for
  // keep-alive 600 s after the previous query ends, so a query is cold iff the gap since the
  // previous arrival exceeds 600 s + that query's latency: P(cold) = exp(−λ(600 + latency)).
  const auto rows = sweep_rows(
      "name: w\nworkload_model: true\n"
      "set: {workload.duration_s: 8640000, workload.arrival.seed: 11}\n"
      "grid:\n  deployment.variant: [serial]\n  workload.arrival.queries_per_day: [100]\n",
      fresh_dir("pool"));
  REQUIRE(rows.size() == 1);
  const auto& r = rows[0];
  MESSAGE("seed 11");
  const double n = std::stod(r.at("pool_queries"));
  CHECK(std::abs(n - 10000) < 5 * std::sqrt(10000.0));  // Poisson count
  const double latency = std::stod(r.at("latency_s"));
  const double p = std::exp(-100.0 / 86400 * (600 + latency));
  const double sigma = std::sqrt(p * (1 - p) / n);
  CHECK(std::abs(std::stod(r.at("pool_cold_fraction")) - p) < 5 * sigma);
  // At 100 queries a day nothing waits for a free instance (limit 1000), but about
  // n·(1 − e^(−λ·latency)) ≈ 48 queries arrive while the previous one runs: at least two instances at once.
  CHECK(std::stod(r.at("pool_queue_delay_mean_s")) == 0);
  CHECK(std::stoi(r.at("pool_peak_instances")) >= 2);
  // latency_s is a cold query's. A warm one skips the cold start (cold_start_s 1.0 − warm_start_s
  // 0.005 in configs/calibration/aws-lambda-2024.yaml) and the weight load (comm_s): the warm
  // function keeps its network. So the mean is warm + cold fraction × (0.995 + comm_s).
  const double cold_extra = (1.0 - 0.005) + std::stod(r.at("comm_s"));
  const double warm = latency - cold_extra;
  const double cold_fraction = std::stod(r.at("pool_cold_fraction"));
  CHECK(std::stod(r.at("pool_latency_mean_s")) == doctest::Approx(warm + cold_fraction * cold_extra).epsilon(1e-6));
}

TEST_CASE("study: simulated points run as child processes and their run records fill the sim columns") {
  // A stand-in for `fsd simulate CONFIG --json`: the same config on the in-memory backend, which
  // prints the same run record format (cli/record). The sweep must not care which produced it.
  const auto dir = fresh_dir("sim");
  const fs::path fake = dir / "fake-fsd";
  {
    std::ofstream s(fake);
    s << "#!/bin/sh\n[ \"$1\" = simulate ] && [ \"$3\" = --json ] && [ \"$4\" = --record ] || exit 9\n"
      << "exec " << FSD_EXE << " run \"$2\" --backend memory --json --record \"$5\"\n";
  }
  fs::permissions(fake, fs::perms::owner_all);
  const auto rows = sweep_rows(
      "name: m\nsimulate: true\n"
      "set: {model.layers: 10, model.input_count: 50, model.batch_size: 50}\n"
      "grid:\n  deployment.variant: [queue, object]\n  deployment.launch.bfr: [2, 4]\n",
      dir, fake.string());
  REQUIRE(rows.size() == 4);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    CAPTURE(i);
    CHECK(r.at("status") == "ok");
    // The record the child wrote beside the point's config: the sim columns come from it.
    const auto record = cli::read_record((dir / "m" / (std::to_string(i) + ".record.json")).string());
    CHECK(record.run.workers == std::stoi(r.at("deployment.launch.bfr")));
    CHECK(record.run.channel == r.at("variant"));
    CHECK(std::stod(r.at("sim_latency_s")) == doctest::Approx(record.run.wall_s).epsilon(1e-8));
    CHECK(std::stod(r.at("sim_usd_per_query")) > 0);
    CHECK(std::stod(r.at("sim_bytes_sent")) > 0);
  }
  // A child that fails marks its point failed with the exit status and the first line it printed.
  const fs::path broken = dir / "broken-fsd";
  {
    std::ofstream s(broken);
    s << "#!/bin/sh\necho 'simulate: deadlock detected' >&2\nexit 3\n";
  }
  fs::permissions(broken, fs::perms::owner_all);
  const auto failed = sweep_rows("name: b\nsimulate: true\ngrid:\n  deployment.variant: [queue]\n", fresh_dir("broken"),
                                 broken.string());
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].at("status") == "fsd simulate exited 3: simulate: deadlock detected");
}
