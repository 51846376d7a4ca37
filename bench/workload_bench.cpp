// workload_bench: arrival generation and the warm/cold pool model, in queries per second — how much
// of a sweep's time the workload model (experiment `workload_model: true`) costs per point.
//   build/<dir>/bench/workload_bench --benchmark_min_time=0.5
#include <benchmark/benchmark.h>

#include "sim/workload/arrivals.hpp"
#include "sim/workload/warm_pool.hpp"

namespace {

// Poisson arrivals for one day at `rate` queries per day (seed 1).
void BM_PoissonArrivals(benchmark::State& state) {
  workload::ArrivalSpec spec;
  spec.queries_per_day = static_cast<double>(state.range(0));
  std::size_t n = 0;
  for (auto _ : state) {
    const auto t = workload::arrivals(spec, 86400);
    n += t.size();
    benchmark::DoNotOptimize(t.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
}
BENCHMARK(BM_PoissonArrivals)->ArgNames({"queries_per_day"})->Arg(10000)->Arg(1000000);

// One day of Poisson traffic through a pool of P+1 = 21 instances per query, 20 s per query,
// 1000 concurrent instances: at 10^6 queries/day the limit binds and queries queue.
void BM_WarmPool(benchmark::State& state) {
  workload::ArrivalSpec spec;
  spec.queries_per_day = static_cast<double>(state.range(0));
  const auto arrivals = workload::arrivals(spec, 86400);
  const workload::PoolSpec pool{
      .instances_per_query = 21, .service_s = 20, .cold_start_s = 0.25, .keep_alive_s = 600, .max_instances = 1000};
  for (auto _ : state) benchmark::DoNotOptimize(workload::simulate_pool(pool, arrivals));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * arrivals.size()));
}
BENCHMARK(BM_WarmPool)->ArgNames({"queries_per_day"})->Arg(10000)->Arg(1000000);

}  // namespace

BENCHMARK_MAIN();
