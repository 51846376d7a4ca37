// query_arrivals / query_inputs / stream_profile: what both simulated query streams start from.
#include "cli/bridge/query_stream.hpp"

#include "cli/bridge/comm_profile_from_plan.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/bridge/deployment_from_config.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/kernel.hpp"
#include "sim/workload/arrivals.hpp"
#include "sim/workload/azure_trace.hpp"

namespace cli {

std::vector<double> query_arrivals(const Config& config) {
  workload::ArrivalSpec spec = to_arrival_spec(config.workload.arrival);
  if (spec.kind == workload::ArrivalKind::kTrace) {
    const workload::InvocationTrace trace = workload::read_invocations(config.workload.arrival.trace_file);
    const auto& f = config.workload.arrival.trace_function.empty()
                        ? trace.busiest()
                        : trace.function(config.workload.arrival.trace_function);
    spec.trace_per_minute = f.invocations_per_minute;
    spec.trace_scale = workload::trace_scale_for(spec.trace_per_minute, config.workload.arrival.queries_per_day);
  }
  return workload::arrivals(spec, config.workload.duration_s);
}

QueryInputs query_inputs(const Config& config, const sim::DensityProfile* profile) {
  const engine::Network net = load_network(config);
  std::vector<std::int64_t> layer_nnz;
  for (const auto& layer : net.layers) layer_nnz.push_back(layer.weights.nonZeros());
  const engine::Activations batch = load_images(config);
  const auto images = static_cast<int>(batch.rows());
  QueryInputs in;
  in.neurons = net.neurons;
  for (std::int64_t z : layer_nnz) in.weight_nnz += static_cast<double>(z);
  if (profile) {
    in.work = sim::profile_query_work(layer_nnz, *profile, images, net.neurons);
  } else {
    const engine::Partition whole = sim::single_part(net);
    const engine::CommPlan plan = engine::make_comm_plan(net, whole);
    engine::SparseKernel kernel(net, whole, plan, batch, 0);
    in.work = sim::query_work(kernel, net.num_layers(), images);
  }
  return in;
}

cost::CommProfile stream_profile(const engine::RunRecord& run, const engine::Network& net) {
  const engine::CommPlan plan = engine::make_comm_plan(net, sim::single_part(net));
  std::vector<double> density;
  const double cells = static_cast<double>(run.images) * run.neurons;
  for (int k = 0; k < run.layers; ++k) density.push_back(run.layer_records[k].input_nnz / cells);
  return comm_profile_from_plan(plan, net, run.images, density);
}

}  // namespace cli
