// Cost-model speed: deployment points evaluated per second (target ≥ 1 M/s on one core).
// A "point" is one predict() of one variant for one deployment. Sweeps reuse a CommSummary
// across memory sizes, traffic, prices and variants (predict is O(L) with a few flops per layer);
// summarize() runs once per (profile, channel settings). Fixed inputs: analytic profiles, no seeds.
#include <benchmark/benchmark.h>

#include <string>

#include "costmodel/analytic_profile.hpp"
#include "costmodel/predict.hpp"

namespace {

cost::Prices prices() {
  cost::Prices p;
  p.name = "bench";
  p.lambda_usd_per_gb_s = 0.0000166667;
  p.lambda_usd_per_request = 0.2e-6;
  p.sns_usd_per_publish = 0.5e-6;
  p.sqs_usd_per_request = 0.4e-6;
  p.s3_usd_per_put = 0.005e-3;
  p.s3_usd_per_get = 0.0004e-3;
  p.s3_usd_per_list = 0.005e-3;
  p.ec2 = {{"c5.2xlarge", 0.34, 8, 16}};
  return p;
}

struct Setup {
  cost::Deployment deployment;
  cost::CommProfile profile;
};

// layers: L; distinct: whether every layer has its own density (a measured profile) or all share
// one entry (an analytic profile with constant density).
Setup setup(int layers, int parts, bool distinct) {
  cost::AnalyticModel m;
  m.neurons = 4096;
  m.layers = layers;
  m.batch_size = 10000;
  m.parts = parts;
  m.input_density = 0.1;
  m.output_density = distinct ? 0.01 : 0.1;
  Setup s;
  s.profile = cost::analytic_profile(m);
  s.deployment.neurons = m.neurons;
  s.deployment.layers = layers;
  s.deployment.batch_size = m.batch_size;
  s.deployment.workers = parts;
  s.deployment.launch_bfr = parts;
  s.deployment.launch_levels = 1;
  return s;
}

// Points over memory size × queries per day × variant on one summary: what a sweep does.
void BM_Predict(benchmark::State& state) {
  const Setup s = setup(static_cast<int>(state.range(0)), 20, state.range(1) != 0);
  const cost::Prices book = prices();
  const cost::CommSummary summary = cost::summarize(s.profile, s.deployment);
  cost::Deployment d = s.deployment;
  cost::Workload w;
  static const int kMemory[] = {512, 1000, 1769, 3008, 10240};
  std::size_t i = 0;
  for (auto _ : state) {
    d.memory_mb = kMemory[i % 5];
    w.queries_per_day = 100.0 * static_cast<double>(1 + i % 7);
    const cost::Variant v = cost::kAllVariants[(i / 5) % 5];
    benchmark::DoNotOptimize(cost::predict(v, d, summary, w, book));
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Predict)->ArgNames({"layers", "distinct"})->Args({120, 0})->Args({120, 1})->Args({1920, 1});

// summarize() alone: once per (profile, P, channel settings).
void BM_Summarize(benchmark::State& state) {
  const Setup s = setup(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)), true);
  for (auto _ : state) benchmark::DoNotOptimize(cost::summarize(s.profile, s.deployment));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Summarize)->ArgNames({"layers", "parts"})->Args({120, 8})->Args({120, 84})->Args({1920, 84});

}  // namespace

BENCHMARK_MAIN();
