// Warm/cold pool model against sequences worked out by hand (each step in the comments).
#include "sim/workload/warm_pool.hpp"

#include <doctest/doctest.h>

#include <limits>
#include <stdexcept>
#include <vector>

using workload::PoolSpec;
using workload::QueryOutcome;

TEST_CASE("warm pool: hand-computed sequence with a concurrency limit") {
  // 2 instances per query, 10 s warm, +5 s cold, warm for 30 s, at most 4 busy.
  const PoolSpec spec{
      .instances_per_query = 2, .service_s = 10, .cold_start_s = 5, .keep_alive_s = 30, .max_instances = 4};
  const std::vector<double> arrivals{0, 1, 2, 20, 100};
  std::vector<QueryOutcome> out;
  const auto st = workload::simulate_pool(spec, arrivals, &out);
  // t=0  q0 cold, ends 15.        t=1  q1 cold, ends 16 (4 busy).   t=2  q2 waits.
  // t=15 q0 frees 2 (warm to 45); q2 starts warm, ends 25.          t=16 q1 frees 2 (warm to 46).
  // t=20 q3 takes q1's warm pair, ends 30. t=25, t=30 free (warm to 55, 60). t=100 q4: all expired, cold.
  REQUIRE(out.size() == 5);
  CHECK(out[0] == QueryOutcome{0, 0, 15, 2});
  CHECK(out[1] == QueryOutcome{1, 1, 16, 2});
  CHECK(out[2] == QueryOutcome{2, 15, 25, 0});
  CHECK(out[3] == QueryOutcome{20, 20, 30, 0});
  CHECK(out[4] == QueryOutcome{100, 100, 115, 2});
  CHECK(st.queries == 5);
  CHECK(st.cold_queries == 3);
  CHECK(st.warm_queries == 2);
  CHECK(st.cold_starts == 6);
  CHECK(st.queue_delay_mean_s == doctest::Approx(13.0 / 5));
  CHECK(st.queue_delay_max_s == 13);
  CHECK(st.latency_mean_s == doctest::Approx((15 + 15 + 23 + 10 + 15) / 5.0));
  CHECK(st.latency_p50_s == 15);  // sorted 10 15 15 15 23, nearest rank
  CHECK(st.latency_p95_s == 23);
  CHECK(st.busy_instance_s == doctest::Approx(2.0 * (15 + 15 + 10 + 10 + 15)));
  CHECK(st.peak_busy_instances == 4);
  CHECK(st.makespan_s == 115);
  CHECK(st.cold_fraction() == doctest::Approx(0.6));
}

TEST_CASE("warm pool: an instance idle for exactly keep_alive_s is gone") {
  const PoolSpec spec{
      .instances_per_query = 1, .service_s = 1, .cold_start_s = 0.5, .keep_alive_s = 10, .max_instances = 10};
  // q0 cold: ends 1.5, warm until 11.5.
  std::vector<QueryOutcome> out;
  workload::simulate_pool(spec, std::vector<double>{0, 11.4}, &out);
  CHECK(out[1].cold_instances == 0);
  CHECK(out[1].end_s == doctest::Approx(12.4));
  workload::simulate_pool(spec, std::vector<double>{0, 11.5}, &out);
  CHECK(out[1].cold_instances == 1);
  CHECK(out[1].end_s == doctest::Approx(13.0));
  // A query arriving as another ends reuses its instance (completion first at equal times).
  workload::simulate_pool(spec, std::vector<double>{0, 1.5}, &out);
  CHECK(out[1].cold_instances == 0);
}

TEST_CASE("warm pool: always-on server queues a burst; job-scoped boots each time") {
  const double inf = std::numeric_limits<double>::infinity();
  const PoolSpec always_on{
      .instances_per_query = 1, .service_s = 2, .cold_start_s = 0, .keep_alive_s = inf, .max_instances = 1};
  std::vector<QueryOutcome> out;
  auto st = workload::simulate_pool(always_on, std::vector<double>{0, 0, 0, 1000}, &out);
  CHECK(out[1].start_s == 2);
  CHECK(out[2].start_s == 4);
  CHECK(out[3].start_s == 1000);
  CHECK(out[3].cold_instances == 0);
  CHECK(st.latency_mean_s == doctest::Approx((2 + 4 + 6 + 2) / 4.0));
  const PoolSpec job{
      .instances_per_query = 1, .service_s = 2, .cold_start_s = 40, .keep_alive_s = 0, .max_instances = 100};
  st = workload::simulate_pool(job, std::vector<double>{0, 42, 50}, &out);
  CHECK(st.cold_queries == 3);  // keep_alive 0: the instance freed at 42 is gone at 42
  CHECK(st.busy_instance_s == doctest::Approx(3 * 42.0));
  CHECK(st.peak_busy_instances == 2);
  CHECK(workload::simulate_pool(job, std::vector<double>{}).queries == 0);
}

TEST_CASE("warm pool: bad inputs are rejected") {
  PoolSpec s;
  CHECK_THROWS_AS(workload::simulate_pool(s, std::vector<double>{2, 1}), std::invalid_argument);
  CHECK_THROWS_AS(workload::simulate_pool(s, std::vector<double>{-1}), std::invalid_argument);
  s.instances_per_query = 85;
  s.max_instances = 84;
  CHECK_THROWS_AS(workload::simulate_pool(s, std::vector<double>{0}), std::invalid_argument);
  s = {};
  s.instances_per_query = 0;
  CHECK_THROWS_AS(workload::simulate_pool(s, std::vector<double>{0}), std::invalid_argument);
}
