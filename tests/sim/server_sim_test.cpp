// The server baselines in SimGrid (sim/servers/server_sim.hpp) against timings derived by hand:
// FIFO queueing on always-on instances, and boot + first byte + transfer + compute per job-scoped
// query with per-second billing and its 60 s minimum. Round numbers, no calibration file. Each
// TEST_CASE is its own process (one SimGrid world per process).
#include "sim/servers/server_sim.hpp"

#include <doctest/doctest.h>

#include <vector>

namespace {

// 4 vCPUs × 1 G flops/s × η 0.5 = 2 G flops/s per instance.
sim::ServerSpec always_on(int instances) {
  sim::ServerSpec s;
  s.kind = sim::ServerKind::kAlwaysOn;
  s.instance_type = "test.4";
  s.vcpus = 4;
  s.flops_per_s_per_vcpu = 1e9;
  s.parallel_efficiency = 0.5;
  s.instances = instances;
  s.window_s = 100;
  return s;
}

// 2 vCPUs × 1 G flops/s × η 1; boot 45 s, S3 GET first byte 0.04 s + 0.005 s one way, 1.25 GB at
// 1.25 GB/s = 1 s; billed per second, at least 60 s.
sim::ServerSpec job_scoped(int max_instances) {
  sim::ServerSpec s;
  s.kind = sim::ServerKind::kJobScoped;
  s.instance_type = "test.2";
  s.vcpus = 2;
  s.flops_per_s_per_vcpu = 1e9;
  s.parallel_efficiency = 1;
  s.max_instances = max_instances;
  s.window_s = 1000;
  s.boot_s = 45;
  s.min_billed_s = 60;
  s.weight_bytes = 1.25e9;
  s.load_bytes_per_s = 1.25e9;
  s.s3_latency_s = 0.005;
  s.s3_first_byte_s = 0.04;
  return s;
}

constexpr double kEps = 1e-6;

}  // namespace

TEST_CASE("servers: three queries on one always-on instance queue first come, first served") {
  // 4e9 flops at 2e9 flops/s = 2 s each. Arrivals 0, 1, 10:
  //   q0 0 → 2; q1 waits for q0: 2 → 4 (delay 1); q2 10 → 12.
  const std::vector<double> arrivals{0, 1, 10};
  const sim::ServerRun r = sim::simulate_servers(always_on(1), arrivals, 4e9);
  REQUIRE(r.queries.size() == 3);
  const double start[] = {0, 2, 10}, end[] = {2, 4, 12};
  for (int i = 0; i < 3; ++i) {
    CHECK(r.queries[i].arrival_s == doctest::Approx(arrivals[i]).epsilon(kEps));
    CHECK(r.queries[i].start_s == doctest::Approx(start[i]).epsilon(kEps));
    CHECK(r.queries[i].end_s == doctest::Approx(end[i]).epsilon(kEps));
  }
  CHECK(r.latency_mean_s == doctest::Approx((2.0 + 3.0 + 2.0) / 3).epsilon(kEps));
  CHECK(r.latency_p95_s == doctest::Approx(3.0).epsilon(kEps));  // ⌈0.95·3⌉ = 3rd smallest
  CHECK(r.queue_delay_mean_s == doctest::Approx(1.0 / 3).epsilon(kEps));
  CHECK(r.queue_delay_max_s == doctest::Approx(1.0).epsilon(kEps));
  CHECK(r.service_mean_s == doctest::Approx(2.0).epsilon(kEps));
  // Up for the whole window, used or not: 1 × 100 s.
  CHECK(r.instances == 1);
  CHECK(r.instance_seconds == doctest::Approx(100.0));
}

TEST_CASE("servers: two always-on instances share one queue") {
  // Three queries at t = 0: two start at once, the third when the first instance frees up.
  const sim::ServerRun r = sim::simulate_servers(always_on(2), std::vector<double>{0, 0, 0}, 4e9);
  REQUIRE(r.queries.size() == 3);
  CHECK(r.queries[0].end_s == doctest::Approx(2.0).epsilon(kEps));
  CHECK(r.queries[1].end_s == doctest::Approx(2.0).epsilon(kEps));
  CHECK(r.queries[0].instance != r.queries[1].instance);
  CHECK(r.queries[2].start_s == doctest::Approx(2.0).epsilon(kEps));
  CHECK(r.queries[2].end_s == doctest::Approx(4.0).epsilon(kEps));
  CHECK(r.queue_delay_max_s == doctest::Approx(2.0).epsilon(kEps));
  CHECK(r.instance_seconds == doctest::Approx(200.0));  // 2 instances × 100 s
}

TEST_CASE("servers: a job-scoped query boots, loads its weights, computes; billed at least 60 s") {
  // Per query: 45 boot + 0.04 first byte + 0.005 latency + 1 s of weights + 2e9 / 2e9 = 1 s
  // compute = 47.045 s, billed max(60, 47.045) = 60 s. Arrivals 0, 10, 20 overlap: 3 instances.
  const sim::ServerRun r = sim::simulate_servers(job_scoped(1000), std::vector<double>{0, 10, 20}, 2e9);
  REQUIRE(r.queries.size() == 3);
  for (int i = 0; i < 3; ++i) {
    CHECK(r.queries[i].start_s == doctest::Approx(10.0 * i).epsilon(kEps));
    CHECK(r.queries[i].end_s - r.queries[i].start_s == doctest::Approx(47.045).epsilon(kEps));
  }
  CHECK(r.queue_delay_max_s == doctest::Approx(0.0));
  CHECK(r.latency_mean_s == doctest::Approx(47.045).epsilon(kEps));
  CHECK(r.instances == 3);
  CHECK(r.instance_seconds == doctest::Approx(3 * 60.0).epsilon(kEps));
}

TEST_CASE("servers: a job-scoped query longer than the minimum is billed by the second it ran") {
  // 4e10 flops at 2e9 flops/s = 20 s: 45 + 0.045 + 1 + 20 = 66.045 s > 60 s.
  const sim::ServerRun r = sim::simulate_servers(job_scoped(1000), std::vector<double>{5}, 4e10);
  REQUIRE(r.queries.size() == 1);
  CHECK(r.queries[0].end_s == doctest::Approx(5 + 66.045).epsilon(kEps));
  CHECK(r.instance_seconds == doctest::Approx(66.045).epsilon(kEps));
}

TEST_CASE("servers: beyond the instance limit a job-scoped query waits for one to end") {
  // One instance at a time: q1 (arrives 10) starts when q0 ends at 47.045, delay 37.045.
  const sim::ServerRun r = sim::simulate_servers(job_scoped(1), std::vector<double>{0, 10}, 2e9);
  REQUIRE(r.queries.size() == 2);
  CHECK(r.queries[1].start_s == doctest::Approx(47.045).epsilon(kEps));
  CHECK(r.queries[1].end_s == doctest::Approx(2 * 47.045).epsilon(kEps));
  CHECK(r.queue_delay_max_s == doctest::Approx(37.045).epsilon(kEps));
  CHECK(r.instances == 1);
  CHECK(r.instance_seconds == doctest::Approx(120.0).epsilon(kEps));
}

TEST_CASE("servers: no queries cost the always-on window and nothing job-scoped") {
  const sim::ServerRun r = sim::simulate_servers(always_on(1), std::vector<double>{}, 4e9);
  CHECK(r.queries.empty());
  CHECK(r.latency_mean_s == 0);
  CHECK(r.instance_seconds == doctest::Approx(100.0));
}

TEST_CASE("servers: unsorted arrivals and a second simulation in one process are errors") {
  CHECK_THROWS_AS(sim::simulate_servers(always_on(1), std::vector<double>{2, 1}, 1e9), std::invalid_argument);
  CHECK_THROWS_AS(sim::simulate_servers(always_on(1), std::vector<double>{-1}, 1e9), std::invalid_argument);
  (void)sim::simulate_servers(always_on(1), std::vector<double>{0}, 1e9);
  CHECK_THROWS_AS(sim::simulate_servers(always_on(1), std::vector<double>{0}, 1e9), std::logic_error);
}
