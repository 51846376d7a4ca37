// simulate_deployment: Meter over the simulated services, Deployment::handle as the function
// body (with the function timeout), Deployment::run in the driver actor; billing from the
// platform's invocation start (start-up included); a kernel wrapper that tells which layer each
// worker is in, for the kill report.
#include "sim/deployment_run.hpp"

#include <cstdio>
#include <optional>
#include <stdexcept>

#include "engine/launch/launch_tree.hpp"
#include "engine/worker/kernel.hpp"
#include "engine/worker/launch_event.hpp"
#include "sim/services/sim_functions.hpp"

namespace sim {
namespace {

// Forwards every call to the real kernel and notes the layer the worker is in: 1 once the kernel
// exists (the worker starts layer 1), k while it works on layer k, k + 1 once layer k is finished,
// L + 1 in the gather. A layer's posting happens before its compute_local, so "after
// finish_layer(k)" is already layer k + 1.
class LayerTrackingKernel final : public engine::WorkerKernel {
 public:
  LayerTrackingKernel(std::unique_ptr<engine::WorkerKernel> inner, int layers, int& layer)
      : inner_(std::move(inner)), layers_(layers), layer_(layer) {
    layer_ = 1;
  }
  engine::RowBlock rows_for(int layer, std::span<const std::int32_t> rows) override {
    layer_ = layer;
    return inner_->rows_for(layer, rows);
  }
  double compute_local(int layer) override {
    layer_ = layer;
    return inner_->compute_local(layer);
  }
  engine::Result<void> fold(int layer, int source, engine::RowBlock&& block) override {
    layer_ = layer;
    return inner_->fold(layer, source, std::move(block));
  }
  double finish_layer(int layer) override {
    layer_ = layer;
    const double flops = inner_->finish_layer(layer);
    layer_ = layer + 1;
    return flops;
  }
  engine::RowBlock final_rows() override {
    layer_ = layers_ + 1;
    return inner_->final_rows();
  }
  engine::Result<void> fold_final(int source, engine::RowBlock&& block) override {
    layer_ = layers_ + 1;
    return inner_->fold_final(source, std::move(block));
  }
  engine::Activations result() override { return inner_->result(); }
  std::int64_t owned_nnz() const override { return inner_->owned_nnz(); }

 private:
  std::unique_ptr<engine::WorkerKernel> inner_;
  int layers_;
  int& layer_;
};

std::string fmt_kill(int worker, int layer, int layers, double timeout_s, double killed_s, double started_s) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "worker %d was killed at its %g s function timeout at t=%.3f s simulated (started %.3f s), %s",
                worker, timeout_s, killed_s, started_s, layer_words(layer, layers).c_str());
  return buf;
}

}  // namespace

std::string layer_words(int layer, int layers) {
  if (layer <= 0) return "before its first layer";
  if (layer > layers) return "in the gather (layer " + std::to_string(layers + 1) + ")";
  return "in layer " + std::to_string(layer) + " of " + std::to_string(layers);
}

SimulatedRun simulate_deployment(Simulation& simulation, const engine::DeploymentSpec& spec, int memory_mb,
                                 double timeout_s) {
  const int layers = spec.plan->layers;
  const int parts = spec.plan->parts;
  // Per worker: its invocation's start (start-up included), the layer it is in; -1: not started.
  std::vector<double> started_s(parts, -1);
  std::vector<double> ended_s(parts, -1);  // its handler returned
  std::vector<int> layer(parts, 0);
  const engine::LaunchTree tree(spec.launch_fanouts);
  auto worker_of = [&](const std::string& payload) {  // -1 if not of this tree (handle() rejects it)
    auto event = engine::parse_launch_event(payload);
    return event && tree.valid(event->invocation) ? tree.worker_id(event->invocation) : -1;
  };

  engine::DeploymentSpec tracked = spec;
  tracked.make_kernel = [&, make = spec.make_kernel](int worker) -> std::unique_ptr<engine::WorkerKernel> {
    auto inner = make ? make(worker)
                      : std::make_unique<engine::SparseKernel>(*spec.network, *spec.partition, *spec.plan,
                                                               *spec.images, worker);
    return std::make_unique<LayerTrackingKernel>(std::move(inner), layers, layer.at(worker));
  };
  engine::cloud::Meter meter(simulation.services());
  engine::Deployment deployment(tracked, meter.services());
  SimFunctions& functions = simulation.functions();
  functions.register_function(
      spec.function_name,
      [&](const std::string& payload) {
        const int w = worker_of(payload);
        if (const auto me = functions.current(); me && w >= 0) started_s[w] = me->start_s;
        auto r = deployment.handle(payload);
        if (w >= 0) ended_s[w] = Simulation::now_s();
        if (!r) throw std::runtime_error(r.error().message());
        return *r;
      },
      timeout_s);

  std::optional<WorkerKilled> killed;
  functions.set_kill_handler([&](const InvocationInfo& info, const std::string& payload, double killed_s) {
    if (killed) return;
    const int w = worker_of(payload);
    if (w >= 0) started_s[w] = info.start_s;  // also when killed during its start-up
    const int in_layer = w >= 0 ? layer[w] : 0;
    killed.emplace(fmt_kill(w, in_layer, layers, info.timeout_s, killed_s, info.start_s), w, in_layer, layers,
                   killed_s, info.timeout_s);
    simulation.stop();  // the peers wait on the dead worker's blocks: end the run here
  });

  SimulatedRun out;
  std::string error;
  simulation.run([&] {
    auto r = deployment.run();
    if (!r) {
      error = r.error().message();
      return;
    }
    out.deployment = std::move(*r);
  });
  if (killed) {
    // Every started invocation billed to its handler's return, or to the kill if it had not returned.
    for (int w = 0; w < parts; ++w)
      if (started_s[w] >= 0)
        meter.record_function_run((ended_s[w] >= 0 ? ended_s[w] : killed->killed_s) - started_s[w], memory_mb);
    killed->usage = meter.usage();
    killed->services = simulation.stats();
    throw *killed;
  }
  if (!error.empty()) throw std::runtime_error("simulated deployment failed: " + error);
  double sum = 0;
  for (const auto& w : out.deployment.workers) {
    const double handler_s = w.function_end_s - w.function_start_s;
    // Billed from the instance's start-up (INIT included), as AWS bills since 1 Aug 2025.
    const double start_s = started_s.at(w.worker) >= 0 ? started_s[w.worker] : w.function_start_s;
    const double billed_s = w.function_end_s - start_s;
    meter.record_function_run(billed_s, memory_mb);
    sum += handler_s;
    out.max_worker_time_s = std::max(out.max_worker_time_s, handler_s);
    out.max_billed_worker_s = std::max(out.max_billed_worker_s, billed_s);
  }
  if (!out.deployment.workers.empty()) out.mean_worker_time_s = sum / out.deployment.workers.size();
  out.batch_time_s = out.deployment.end_s - out.deployment.start_s;
  out.usage = meter.usage();
  out.services = simulation.stats();
  return out;
}

}  // namespace sim
