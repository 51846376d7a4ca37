// Greedy placements on a three-server cluster, checked against placements worked out by hand.
#include "sim/provider/placement_policy.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <stdexcept>

using namespace provider;

namespace {
// S0: 1000 MB, 600 used (400 free, open); S1: 3000 MB, 1000 used (2000 free, open);
// S2: 2500 MB, empty (closed). 4 vCPUs each. Image 0 has blocks {1,2,3,4}.
struct Fixture {
  ImageCatalog catalog{1000};
  std::unique_ptr<Cluster> cluster;
  Fixture() {
    catalog.add({"a", {1, 2, 3, 4}});
    cluster = std::make_unique<Cluster>(
        std::vector<ServerSpec>{{4000, 1000, 1e6, 8}, {4000, 3000, 1e6, 8}, {4000, 2500, 1e6, 8}}, catalog);
    cluster->start(0, {100, 600});
    cluster->start(1, {100, 1000});
  }
  PlacementRequest request(std::int64_t mb) const { return {0, {millicpus_for_memory(mb), mb}}; }
};
}  // namespace

TEST_CASE("placement_policy: CPU follows memory, one vCPU per 1769 MB, rounded up to a milli-vCPU") {
  CHECK(millicpus_for_memory(1769) == 1000);
  CHECK(millicpus_for_memory(1770) == 1001);  // 1770000 / 1769 = 1000.57
  CHECK(millicpus_for_memory(128) == 73);     // 128000 / 1769 = 72.36
  CHECK(millicpus_for_memory(3538) == 2000);
}

TEST_CASE("placement_policy: first, best and worst fit on a tiny cluster") {
  Fixture f;
  FirstFit first;
  BestFit best;
  WorstFit worst;
  // 300 MB: S0 fits (400 free). Left after: S0 100, S1 1700, S2 2200.
  CHECK(first.choose(*f.cluster, f.request(300)) == 0);
  CHECK(best.choose(*f.cluster, f.request(300)) == 0);
  CHECK(worst.choose(*f.cluster, f.request(300)) == 2);
  // 500 MB: S0 does not fit. Left after: S1 1500, S2 2000.
  CHECK(first.choose(*f.cluster, f.request(500)) == 1);
  CHECK(best.choose(*f.cluster, f.request(500)) == 1);
  CHECK(worst.choose(*f.cluster, f.request(500)) == 2);
  // 2200 MB: only S2.  2600 MB: nothing.
  CHECK(first.choose(*f.cluster, f.request(2200)) == 2);
  CHECK(best.choose(*f.cluster, f.request(2600)) == std::nullopt);
  CHECK(first.choose(*f.cluster, f.request(2600)) == std::nullopt);
}

TEST_CASE("placement_policy: CPU can be the binding constraint") {
  Fixture f;
  f.cluster->start(0, {3850, 0});  // S0 has 50 milli-vCPUs left, memory unchanged
  FirstFit first;
  CHECK(f.request(100).demand.millicpus == 57);  // 100000 / 1769 = 56.53
  CHECK(first.choose(*f.cluster, f.request(100)) == 1);
  CHECK(first.choose(*f.cluster, {0, {50, 100}}) == 0);
}

TEST_CASE("placement_policy: cache-aware fit prefers open servers holding the image's blocks") {
  Fixture f;
  CacheAwareFit aware;
  for (BlockId b : {1, 2, 3}) f.cluster->server(0).cache().touch(b);
  f.cluster->server(1).cache().touch(1);
  for (BlockId b : {1, 2, 3, 4}) f.cluster->server(2).cache().touch(b);
  CHECK(f.cluster->cached_share(0, 0) == doctest::Approx(0.75));
  // 300 MB fits S0 (3 cached) and S1 (1 cached) among open servers; S2 (4 cached) is closed.
  CHECK(aware.choose(*f.cluster, f.request(300)) == 0);
  // 500 MB: among open servers only S1 fits.
  CHECK(aware.choose(*f.cluster, f.request(500)) == 1);
  // 2200 MB: no open server fits; the closed S2.
  CHECK(aware.choose(*f.cluster, f.request(2200)) == 2);
}

TEST_CASE("placement_policy: the cluster counts open servers and rejects overcommitment") {
  Fixture f;
  CHECK(f.cluster->open_servers() == 2);
  CHECK(f.cluster->start(2, {10, 10}));  // opens S2
  CHECK_FALSE(f.cluster->start(2, {10, 10}));
  CHECK(f.cluster->open_servers() == 3);
  f.cluster->stop(2, {10, 10});
  f.cluster->stop(2, {10, 10});
  CHECK(f.cluster->open_servers() == 2);
  CHECK(f.cluster->server(2).free_memory_mb() == 2500);
  CHECK_THROWS_AS(f.cluster->start(0, {0, 401}), std::logic_error);
  CHECK_THROWS_AS(f.cluster->stop(2, {0, 0}), std::logic_error);
  CHECK(make_greedy_policy("first_fit")->name() == "first_fit");
  CHECK(make_greedy_policy("random") == nullptr);
}
