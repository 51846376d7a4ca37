// The replay loop on a one-server cluster: every latency, drop and sample worked out by hand.
#include "sim/provider/schedule_sim.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <stdexcept>

using namespace provider;

TEST_CASE("schedule_sim: replay of six invocations on one server, by hand") {
  // Blocks of 1000 bytes at 1e6 B/s: 1 ms each. v1 = {1,2,3}, v2 = {1,2,4}.
  ImageCatalog catalog(1000);
  const int v1 = catalog.add({"v1", {1, 2, 3}});
  const int v2 = catalog.add({"v2", {1, 2, 4}});
  Cluster cluster({{2000, 1000, 1e6, 4}}, catalog);  // 1000 MB: two 400 MB containers fit
  FirstFit policy;
  ScheduleParams p;
  p.container_start_s = 0.5;
  p.keep_alive_s = 10;
  p.sla_s = 0.5005;
  p.sample_interval_s = 5;
  p.rollout = {5.0, 0.0};  // v2 from t = 5 on
  const std::vector<FunctionImages> functions{{v1, v2, 400}};
  const std::vector<Invocation> inv{{0, 0, 1}, {1, 0, 1}, {2, 0, 1}, {3, 0, 1}, {5, 0, 1}, {20, 0, 1}};
  const ScheduleReport r = simulate_schedule(cluster, policy, functions, inv, p);
  // t=0 cold, 3 blocks: 0.503 s (busy to 1.503). t=1 cold (first busy), blocks cached: 0.5 s.
  // t=2, t=3 warm. t=5 v2: both v1 containers idle but alive, 800 MB used → 400 more does not fit:
  // dropped. They expire at 12.5 and 14; t=20 cold v2 on the reopened server, block 4 only: 0.501 s.
  CHECK(r.invocations == 6);
  CHECK(r.cold_starts == 3);
  CHECK(r.warm_starts == 2);
  CHECK(r.dropped == 1);
  CHECK(r.sla_violations == 3);  // 0.503, 0.501 and the drop
  CHECK(r.servers_opened == 2);
  CHECK(r.mean_download_s == doctest::Approx((0.003 + 0.0 + 0.001) / 3));
  CHECK(r.cold_start_p50_s == doctest::Approx(0.501));
  CHECK(r.cold_start_p99_s == doctest::Approx(0.503));
  CHECK(r.downloaded_bytes == doctest::Approx(4000));
  CHECK(r.servers_used == std::vector<int>{0, 1, 1, 0, 0});  // samples at 0, 5, 10, 15, 20
  CHECK(r.max_servers_used == 1);
  CHECK(r.mean_servers_used == doctest::Approx(0.4));
  CHECK(r.memory_utilization == doctest::Approx((0.8 + 0.8) / 5));  // open server 800/1000 at t=5, 10
  CHECK_FALSE(r.learned_choice_share.has_value());
  CHECK(cluster.open_servers() == 0);  // every container ended
}

TEST_CASE("schedule_sim: a linear rollout switches a share of invocations to v2, seeded") {
  ImageCatalog catalog(1000);
  const int v1 = catalog.add({"v1", {1}});
  const int v2 = catalog.add({"v2", {2}});
  std::vector<Invocation> inv;
  for (int i = 0; i < 2000; ++i) inv.push_back({double(i), 0, 0.0});
  ScheduleParams p;
  p.keep_alive_s = 1e9;     // containers never end: one cold start per version
  p.rollout = {500, 1000};  // v2 share 0 before t=500, 1 after t=1500
  std::printf("seed %llu\n", static_cast<unsigned long long>(p.seed));
  auto run = [&] {
    Cluster cluster({{64000, 100000, 1e6, 4}}, catalog);
    FirstFit policy;
    return simulate_schedule(cluster, policy, {{v1, v2, 128}}, inv, p);
  };
  const ScheduleReport a = run();
  CHECK(a.cold_starts == 2);
  CHECK(a.downloaded_bytes == doctest::Approx(2000));
  const ScheduleReport b = run();
  CHECK(b.servers_used == a.servers_used);
  CHECK(b.warm_starts == a.warm_starts);
}

TEST_CASE("schedule_sim: percentile is nearest-rank") {
  std::vector<double> v{5, 1, 4, 2, 3};
  CHECK(percentile(v, 50) == 3);
  CHECK(percentile(v, 99) == 5);
  CHECK(percentile(v, 0) == 1);
  std::vector<double> none;
  CHECK(percentile(none, 50) == 0);
}

TEST_CASE("schedule_sim: replay rejects unsorted invocations and unknown functions") {
  ImageCatalog catalog(1000);
  catalog.add({"v1", {1}});
  Cluster cluster({{2000, 1000, 1e6, 4}}, catalog);
  FirstFit policy;
  CHECK_THROWS_AS(simulate_schedule(cluster, policy, {{0, 0, 100}}, {{2, 0, 1}, {1, 0, 1}}, {}), std::invalid_argument);
  CHECK_THROWS_AS(simulate_schedule(cluster, policy, {{0, 0, 100}}, {{1, 3, 1}}, {}), std::invalid_argument);
  CHECK_THROWS_AS(simulate_schedule(cluster, policy, {{0, 5, 100}}, {}, {}), std::invalid_argument);
}
