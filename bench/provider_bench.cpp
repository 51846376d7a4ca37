// Placement decision time on a large cluster: every policy's choose() for one container on
// `servers` servers that are partly full and hold partly warm caches (fixed seed 42). The target
// (issue 8): median decision time ≤ 50 µs at 1000 servers, so placement stays instantaneous.
// Reports Google Benchmark's mean time per decision and, as counter p50_us, the median of
// individually timed decisions.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "sim/provider/hybrid_allocator.hpp"

namespace {

using namespace provider;

struct World {
  ImageCatalog catalog{64 * 1024};
  std::unique_ptr<Cluster> cluster;
  std::vector<PlacementRequest> requests;

  explicit World(int servers) {
    std::mt19937_64 rng(42);
    for (int image = 0; image < 20; ++image) {  // 20 images of 125 blocks (8 MB at 64 KB)
      std::vector<BlockId> blocks;
      for (int b = 0; b < 125; ++b) blocks.push_back(rng());
      catalog.add({"image" + std::to_string(image), blocks});
    }
    cluster = std::make_unique<Cluster>(
        std::vector<ServerSpec>(std::size_t(servers), ServerSpec{4000, 8192, 50e6, 750}), catalog);
    for (int i = 0; i < servers; ++i) {
      if (rng() % 2) continue;  // half the servers closed
      const std::int64_t mb = std::int64_t(rng() % 6500) + 200;
      cluster->start(i, {millicpus_for_memory(mb), mb});
      for (int k = 0; k < 3; ++k)
        for (BlockId b : catalog.image(int(rng() % 20)).blocks) cluster->server(i).cache().touch(b);
    }
    for (int k = 0; k < 1024; ++k) {
      const std::int64_t mb = std::int64_t(rng() % 1800) + 128;
      requests.push_back({int(rng() % 20), {millicpus_for_memory(mb), mb}});
    }
  }
};

void run(benchmark::State& state, PlacementPolicy& policy, const World& world) {
  std::vector<double> us;
  std::size_t k = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    benchmark::DoNotOptimize(policy.choose(*world.cluster, world.requests[k++ % world.requests.size()]));
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
  }
  std::nth_element(us.begin(), us.begin() + long(us.size() / 2), us.end());
  state.counters["p50_us"] = us.empty() ? 0 : us[us.size() / 2];
  state.SetItemsProcessed(state.iterations());
}

PolicyNetwork network() { return PolicyNetwork(kCandidateFeatures, 16, 1); }

void BM_FirstFit(benchmark::State& state) {
  const World world(int(state.range(0)));
  FirstFit p;
  run(state, p, world);
}
void BM_BestFit(benchmark::State& state) {
  const World world(int(state.range(0)));
  BestFit p;
  run(state, p, world);
}
void BM_CacheAware(benchmark::State& state) {
  const World world(int(state.range(0)));
  CacheAwareFit p;
  run(state, p, world);
}
void BM_Learned(benchmark::State& state) {
  const World world(int(state.range(0)));
  LearnedPolicy p(network());
  run(state, p, world);
}
void BM_Hybrid(benchmark::State& state) {
  const World world(int(state.range(0)));
  HybridAllocator p(std::make_unique<FirstFit>(), std::make_unique<LearnedPolicy>(network()));
  run(state, p, world);
}

}  // namespace

BENCHMARK(BM_FirstFit)->ArgNames({"servers"})->Arg(100)->Arg(1000);
BENCHMARK(BM_BestFit)->ArgNames({"servers"})->Arg(100)->Arg(1000);
BENCHMARK(BM_CacheAware)->ArgNames({"servers"})->Arg(100)->Arg(1000);
BENCHMARK(BM_Learned)->ArgNames({"servers"})->Arg(100)->Arg(1000);
BENCHMARK(BM_Hybrid)->ArgNames({"servers"})->Arg(100)->Arg(1000);
BENCHMARK_MAIN();
