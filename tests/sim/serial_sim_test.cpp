// The serial function over a query stream (sim/servers/serial_sim.hpp) on the round calibration
// (sim_fixture.hpp): every time and bill below is derived by hand from it.
//   Invoke (request-response): 1 + 10 ms request leg, 20 ms service; the answer 10 + 1 ms back.
//   A throttled Invoke: request leg, service, empty reply = 42 ms, then the engine's backoff
//   (0.05 s doubling, engine/channel/retry.hpp).
//   Start-up: cold 0.5 s, warm 0.05 s. 1769 MB = exactly 1 vCPU (1 thread) of 1e9 flops/s.
//   Weights GET (s3-get: 15 ms each way + 1 ms NIC, 25 ms service, 30 MB/s): 0.016 + 0.025 + 0.016
//   + bytes / 30e6.
// Each TEST_CASE is its own process (one SimGrid world each).
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "costmodel/predict.hpp"
#include "sim/servers/serial_sim.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;

namespace {

constexpr double kLeg = 0.011, kService = 0.020, kCold = 0.5, kWarm = 0.05;
constexpr double kMbPerGb = 1024;

// A query whose largest layer input holds 1000 nonzeros (16 kB of activations).
sim::QueryWork small_work() {
  sim::QueryWork w;
  w.images = 10;
  w.layer_flops = {1.0};
  w.input_nnz = {1000, 500};
  return w;
}

sim::SerialSpec spec_of(double weight_nnz) {
  return sim::make_serial_spec(1769, weight_nnz, small_work(), cost::Performance{});
}

}  // namespace

TEST_CASE("serial: the first query pays cold start, weights and compute, the second (10 s later) runs warm") {
  const sim::SerialSpec spec = spec_of(1.5e6);  // 12 MB of weights (8 bytes each)
  CHECK(spec.weight_bytes == Approx(12e6));
  const double flops = 2.0004e9;  // 2.0004 s at 1 vCPU: billed durations round up to the next ms
  const std::vector<double> arrivals = {0.0, 10.0};
  const sim::SerialRun r = sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec, arrivals, flops);
  const double get = 0.016 + 0.025 + 0.016 + 12e6 / 30e6;  // 0.457 s
  const double compute = 2.0004;
  REQUIRE(r.queries.size() == 2);
  const sim::SerialQuery& a = r.queries[0];
  const sim::SerialQuery& b = r.queries[1];
  CHECK(a.cold);
  CHECK_FALSE(b.cold);
  CHECK(a.times.start_s == Approx(kLeg + kService).epsilon(1e-6));
  CHECK(a.times.end_s == Approx(kLeg + kService + kCold + get + compute + kLeg).epsilon(1e-6));
  CHECK(b.times.start_s == Approx(10 + kLeg + kService).epsilon(1e-6));
  CHECK(b.times.end_s == Approx(10 + kLeg + kService + kWarm + compute + kLeg).epsilon(1e-6));
  CHECK(a.times.instance == b.times.instance);
  // Billed: start-up + handler, each rounded up to 1 ms: 2.9574 → 2.958 s, 2.0504 → 2.051 s.
  CHECK(a.billed_s == Approx(2.958).epsilon(1e-9));
  CHECK(b.billed_s == Approx(2.051).epsilon(1e-9));
  CHECK(r.billed_s == Approx(2.958 + 2.051).epsilon(1e-9));
  CHECK(r.gb_s == Approx((2.958 + 2.051) * 1769 / kMbPerGb).epsilon(1e-9));  // 8.6532 GB-s
  CHECK(r.duration_s == Approx(kCold + get + compute + kWarm + compute).epsilon(1e-6));
  CHECK(r.invocations == 2);
  CHECK(r.cold_starts == 1);
  CHECK(r.served == 2);
  CHECK(r.failed == 0);
  CHECK(r.throttles == 0);
  CHECK(r.peak_instances == 1);
  CHECK(r.vcpus == Approx(1.0));
  const double la = a.times.end_s, lb = b.times.end_s - 10;
  CHECK(r.stats.latency_mean_s == Approx((la + lb) / 2).epsilon(1e-9));
  CHECK(r.stats.latency_p95_s == Approx(la));  // ⌈0.95 · 2⌉ = 2nd smallest
  CHECK(r.stats.queue_delay_max_s == Approx(kLeg + kService).epsilon(1e-6));
}

TEST_CASE("serial: 2000 MB runs two threads sharing 1.13 vCPUs") {
  sim::SerialSpec spec = sim::make_serial_spec(2000, 0, small_work(), cost::Performance{});
  const std::vector<double> arrivals = {0.0};
  const double vcpus = 2000.0 / 1769;
  const sim::SerialRun r = sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec, arrivals, 3e9);
  REQUIRE(r.served == 1);
  CHECK(r.vcpus == Approx(vcpus));
  CHECK(r.queries[0].times.end_s == Approx(kLeg + kService + kCold + 3e9 / (vcpus * 1e9) + kLeg).epsilon(1e-6));
}

TEST_CASE("serial: a burst beyond the concurrency limit is throttled and retried with backoff") {
  // Limit 3: five queries at t = 0; three start cold, two are refused (42 ms each) and retried
  // after 0.05, 0.1, 0.2, 0.4, 0.8 s. Attempts start at 0, 0.092, 0.234, 0.476, 0.918 (refused:
  // the three run until 0.031 + 0.5 + 1 = 1.531) and 1.760, accepted at 1.791 on warm instances.
  const sim::SerialSpec spec = spec_of(0);
  const std::vector<double> arrivals(5, 0.0);
  const sim::SerialRun r = sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec, arrivals, 1e9);
  CHECK(r.served == 5);
  CHECK(r.cold_starts == 3);
  CHECK(r.throttles == 10);
  CHECK(r.peak_instances == 3);
  const double first_end = kLeg + kService + kCold + 1.0 + kLeg;  // 1.542
  const double retried_start = 1.760 + kLeg + kService;            // 1.791
  const double retried_end = retried_start + kWarm + 1.0 + kLeg;   // 2.852
  for (int i = 0; i < 3; ++i) CHECK(r.queries[i].times.end_s == Approx(first_end).epsilon(1e-6));
  for (int i = 3; i < 5; ++i) {
    CHECK_FALSE(r.queries[i].cold);
    CHECK(r.queries[i].times.start_s == Approx(retried_start).epsilon(1e-6));
    CHECK(r.queries[i].times.end_s == Approx(retried_end).epsilon(1e-6));
  }
  CHECK(r.stats.latency_mean_s == Approx((3 * first_end + 2 * retried_end) / 5).epsilon(1e-6));
  CHECK(r.stats.latency_p95_s == Approx(retried_end).epsilon(1e-6));
  CHECK(r.stats.queue_delay_max_s == Approx(retried_start).epsilon(1e-6));
  CHECK(r.invocations == 5);  // refused attempts are not billed
  CHECK(r.billed_s == Approx(3 * (kCold + 1.0) + 2 * (kWarm + 1.0)).epsilon(1e-9));
}

TEST_CASE("serial: a query refused on every attempt fails and is not billed") {
  sim::SerialSpec spec = spec_of(0);
  spec.invoke_retry.max_attempts = 2;  // refused at 0 and 0.092 (the three run until 1.531)
  const std::vector<double> arrivals(5, 0.0);
  const sim::SerialRun r = sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec, arrivals, 1e9);
  CHECK(r.served == 3);
  CHECK(r.failed == 2);
  CHECK(r.killed == 0);
  CHECK(r.throttles == 4);
  CHECK(r.invocations == 3);
  CHECK(r.billed_s == Approx(3 * (kCold + 1.0)).epsilon(1e-9));
  CHECK(r.failure.find("throttled 2 times") != std::string::npos);
  CHECK(r.failure.find("TooManyRequests") != std::string::npos);
  CHECK(r.stats.latency_mean_s == Approx(kLeg + kService + kCold + 1.0 + kLeg).epsilon(1e-6));  // served only
}

TEST_CASE("serial: a query past 900 s is killed at the limit, billed 900 s, as cost::predict calls it infeasible") {
  // 1.2e12 flops at 1 vCPU = 1200 s: start-up begins at 0.031, the kill comes at 900.031 with
  // 1.2e12 − 899.5e9 = 300.5e9 flops left, so it would have run 0.5 + 1200 = 1200.5 s.
  const sim::SerialSpec spec = spec_of(0);
  const std::vector<double> arrivals = {0.0};
  const sim::SerialRun r = sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec, arrivals, 1.2e12);
  CHECK(r.served == 0);
  CHECK(r.failed == 1);
  CHECK(r.killed == 1);
  CHECK(r.invocations == 1);
  CHECK(r.billed_s == Approx(900.0).epsilon(1e-9));
  CHECK(r.queries[0].times.end_s == Approx(kLeg + kService + 900 + kLeg).epsilon(1e-6));
  CHECK_MESSAGE(r.failure.find("> the 900 s function limit") != std::string::npos, r.failure);
  CHECK_MESSAGE(r.failure.find("runs 1200 s") != std::string::npos, r.failure);
  // The cost model calls a query of too much work infeasible in the same words: one layer of
  // 1e7 weights over 61,035 full rows (1000 MB of activations, 80 MB of weights: it fits in
  // 1769 MB) is 6.1e11 multiply-adds, far over 900 s at any per-vCPU speed near 1e9 flops/s.
  cost::CommProfile profile;
  profile.neurons = 1024;
  profile.batch_size = 61035;
  profile.layers.push_back({});
  profile.layers.back().weight_nnz = 10'000'000;
  profile.layers.back().input_density = 1;
  cost::Deployment d;
  d.neurons = 1024, d.layers = 1, d.batch_size = 61035, d.workers = 1, d.memory_mb = 1769;
  const cost::Prediction p = cost::predict(cost::Variant::kSerial, d, profile, cost::Workload{}, cost::Prices{});
  CHECK_FALSE(p.feasible);
  CHECK_MESSAGE(p.infeasible_reason.find("> the 900 s function limit") != std::string::npos, p.infeasible_reason);
}

TEST_CASE("serial: weights that do not fit in the function's memory are rejected before simulating") {
  // 2.1e8 weights · 8 B = 1680 MB + 2 · 1000 · 8 B of activations + 150 MB runtime = 1830 MB > 1769 MB.
  const sim::SerialSpec spec = spec_of(2.1e8);
  CHECK(sim::serial_needed_mb(spec) == Approx(1680 + 0.016 + 150));
  CHECK(sim::serial_memory_problem(spec) == "needs 1830 MB > 1769 MB of memory");
  CHECK(sim::serial_memory_problem(spec_of(2.0e8)).empty());  // 1600 + 150 = 1750 MB fits
  const std::vector<double> arrivals = {0.0};
  CHECK_THROWS_WITH_AS(
      sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec, arrivals, 1e9),
      "sim::simulate_serial(): needs 1830 MB > 1769 MB of memory", std::invalid_argument);
}

TEST_CASE("serial: unsorted arrivals are rejected") {
  const std::vector<double> arrivals = {5.0, 1.0};
  CHECK_THROWS_AS(sim::simulate_serial(simtest::round_calibration(), sim::WorkerKind::kFsd, spec_of(0), arrivals, 1e9),
                  std::invalid_argument);
}
