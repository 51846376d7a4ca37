// simulate_server_variant: price book entry, arrivals, one query's work, then sim::simulate_servers.
#include "cli/bridge/server_simulation.hpp"

#include <yaml-cpp/yaml.h>

#include "cli/bridge/comm_profile_from_plan.hpp"
#include "cli/bridge/deployment_from_config.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "cli/sweep/study_evaluator.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/prices.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/kernel.hpp"
#include "sim/servers/query_work.hpp"
#include "sim/servers/server_record.hpp"
#include "sim/servers/server_sim.hpp"
#include "sim/workload/arrivals.hpp"
#include "sim/workload/azure_trace.hpp"

namespace cli {
namespace {

cost::InstancePrice instance_of(const Config& config, const std::string& config_text) {
  const cost::Prices prices = cost::load_prices(cost::price_book_path(config.prices));
  if (const cost::InstancePrice* inst = prices.instance(config.deployment.instance_type)) return *inst;
  std::string known;
  for (const auto& i : prices.ec2) known += (known.empty() ? "" : ", ") + i.type;
  const std::string problem =
      "no instance type '" + config.deployment.instance_type + "' in price book '" + prices.name + "' (" + known + ")";
  YAML::Node root;
  try {
    root = YAML::Load(config_text);
  } catch (const YAML::Exception&) {
    throw engine::InputError(config.path, 0, "deployment.instance_type: " + problem);
  }
  if (!root.IsMap()) throw engine::InputError(config.path, 0, "deployment.instance_type: " + problem);
  cost::YamlMap top(root, config.path, "");
  top.child("deployment").fail("instance_type", problem);
}

std::vector<double> arrivals_of(const Config& config) {
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

}  // namespace

bool is_server_variant(const std::string& variant) {
  return variant == "server_always_on" || variant == "server_job_scoped";
}

engine::RunRecord simulate_server_variant(const Config& config, const std::string& config_text,
                                          const sim::DensityProfile* profile, const sim::Calibration& calibration,
                                          sim::WorkerKind worker) {
  const cost::InstancePrice instance = instance_of(config, config_text);
  const std::vector<double> arrivals = arrivals_of(config);

  const engine::Network net = load_network(config);
  std::vector<std::int64_t> layer_nnz;
  for (const auto& layer : net.layers) layer_nnz.push_back(layer.weights.nonZeros());
  const engine::Activations batch = load_images(config);
  const auto images = static_cast<int>(batch.rows());
  sim::QueryWork work;
  if (profile) {
    work = sim::profile_query_work(layer_nnz, *profile, images, net.neurons);
  } else {
    const engine::Partition whole = sim::single_part(net);
    const engine::CommPlan plan = engine::make_comm_plan(net, whole);
    engine::SparseKernel kernel(net, whole, plan, batch, 0);
    work = sim::query_work(kernel, net.num_layers(), images);
  }

  double weight_nnz = 0;
  for (std::int64_t z : layer_nnz) weight_nnz += static_cast<double>(z);
  const sim::ServerKind kind =
      config.deployment.variant == "server_always_on" ? sim::ServerKind::kAlwaysOn : sim::ServerKind::kJobScoped;
  sim::ServerSpec spec =
      sim::make_server_spec(kind, instance, calibration, worker, cost::Performance{}, config.workload.duration_s,
                            weight_nnz, sweep::PoolAssumptions{}.job_scoped_instances);
  if (kind == sim::ServerKind::kAlwaysOn)
    spec.instances = sim::always_on_instances(arrivals.size(), spec.compute_s(work.total_flops()), spec.window_s);
  const sim::ServerRun run = sim::simulate_servers(spec, arrivals, work.total_flops());
  return sim::make_server_record(spec, work, run, net.neurons, "sim");
}

ServerComparison compare_server_record(const RecordFile& record, const Config& config) {
  const engine::RunRecord& run = record.run;
  const std::string& path = config.path;
  if (run.servers.queries < 1) throw engine::InputError(path, 0, "run.servers.queries: a server record needs queries");
  if (run.channel != config.deployment.variant || run.neurons != config.model.neurons ||
      run.layers != config.model.layers)
    throw engine::InputError(path, 0, "run: channel, neurons or layers disagree with config_yaml");
  const engine::Network net = load_network(config);
  const engine::CommPlan plan = engine::make_comm_plan(net, sim::single_part(net));
  std::vector<double> density;
  const double cells = static_cast<double>(run.images) * run.neurons;
  for (int k = 0; k < run.layers; ++k) density.push_back(run.layer_records[k].input_nnz / cells);
  const cost::CommProfile profile = comm_profile_from_plan(plan, net, run.images, density);
  cost::Deployment deployment = to_deployment(config);
  deployment.workers = 1;  // a server runs the network as one part
  deployment.batch_size = run.images;
  const cost::Prices prices = cost::load_prices(cost::price_book_path(config.prices));
  const cost::Variant variant = cost::parse_variant(run.channel);
  const cost::Prediction p = cost::predict(variant, deployment, profile, to_workload(config), prices);
  const cost::Usage measured = usage_of(run);
  const double queries = static_cast<double>(run.servers.queries);

  ServerComparison c;
  c.always_on = variant == cost::Variant::kServerAlwaysOn;
  for (const auto& w : run.worker_records) c.flops_measured += w.flops;
  c.flops_predicted = 2 * cost::summarize(profile, deployment).total_ops;
  c.ec2_seconds_measured = measured.ec2_seconds / queries;
  c.ec2_seconds_predicted = p.usage.ec2_seconds;
  c.ec2_usd_measured = cost::cost_of(measured, prices).ec2_usd / queries;
  c.ec2_usd_predicted = p.cost.ec2_usd;
  c.latency_measured_s = run.servers.latency_mean_s;
  c.latency_predicted_s = p.latency_s;
  return c;
}

}  // namespace cli
