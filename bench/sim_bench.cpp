// sim_bench: simulator speed — simulated cloud requests per wall-clock second, for the queue and
// object channels in profile mode (generated 1024 × 30 network, random partition seed 1, P = 20
// over a bfr-4 two-level tree, 10,000 images, n1024's settled density 0.0158, the shipped
// calibration with the Python worker block).
// SimGrid runs one simulation per process, so each benchmark runs exactly one iteration and only
// the one selected by --benchmark_filter may run in a process (the default runs the queue one):
//   sim_bench --benchmark_filter=queue ;  sim_bench --benchmark_filter=object
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>

#include "costmodel/prices.hpp"
#include "engine/model/generate.hpp"
#include "engine/plan/layer_structure.hpp"
#include "sim/deployment_run.hpp"
#include "sim/profile_kernel.hpp"

namespace {

void simulate_profile(benchmark::State& state, engine::ChannelKind channel) {
  engine::PartitionOptions po;
  po.method = engine::PartitionMethod::kRandom;
  po.parts = 20;
  po.seed = 1;
  const engine::LayerStructure structure = engine::full_structure(engine::generate_network(1024, 30, 1), po);
  const engine::Network& net = structure.built;
  const engine::Partition& partition = structure.partition;
  const engine::CommPlan& plan = structure.plan;
  const engine::Activations images(10000, 1024);  // profile mode reads only its row count
  sim::DensityProfile profile;
  profile.density = {0.0999, 0.2688, 0.1247, 0.0733, 0.0514, 0.0402, 0.0248, 0.0187, 0.0158};
  engine::DeploymentSpec spec;
  spec.network = &net;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts = {4, 4};
  spec.channel = channel;
  spec.run_id = "bench";
  spec.report_poll_s = 0.05;
  spec.make_kernel = [&](int worker) {
    return std::make_unique<sim::ProfileKernel>(structure, profile, 10000, worker, 1);
  };
  const sim::Calibration cal = sim::load_calibration(cost::configs_dir() + "/calibration/aws-lambda-2024.yaml");
  sim::Simulation s(cal, {.function_hosts = 20, .memory_mb = 1000, .worker = sim::WorkerKind::kPython,
                          .charge_compression = true});
  sim::SimulatedRun run;
  double wall_s = 0;
  for (auto _ : state) {
    const auto t0 = std::chrono::steady_clock::now();
    run = sim::simulate_deployment(s, spec, 1000);
    wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  state.SetItemsProcessed(run.services.requests());
  state.counters["requests"] = static_cast<double>(run.services.requests());
  state.counters["requests_per_wall_s"] = run.services.requests() / wall_s;
  state.counters["simulated_s"] = run.batch_time_s;
  state.counters["simulated_s_per_wall_s"] = run.batch_time_s / wall_s;
}

void BM_SimQueueProfile(benchmark::State& state) { simulate_profile(state, engine::ChannelKind::kQueue); }
void BM_SimObjectProfile(benchmark::State& state) { simulate_profile(state, engine::ChannelKind::kObject); }

}  // namespace

BENCHMARK(BM_SimQueueProfile)->Name("sim/queue/P:20/L:30/B:10000")->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();
BENCHMARK(BM_SimObjectProfile)->Name("sim/object/P:20/L:30/B:10000")->Iterations(1)->Unit(benchmark::kSecond)->UseRealTime();

int main(int argc, char** argv) {
  // One simulation per process: without a filter, run only the queue benchmark.
  bool filtered = false;
  for (int i = 1; i < argc; ++i) filtered |= std::string(argv[i]).rfind("--benchmark_filter", 0) == 0;
  benchmark::Initialize(&argc, argv);
  if (!filtered) benchmark::RunSpecifiedBenchmarks("sim/queue");
  else benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
