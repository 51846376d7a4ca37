// simulate_server_variant: price book entry, arrivals, one query's work, then sim::simulate_servers.
#include "cli/bridge/server_simulation.hpp"

#include <yaml-cpp/yaml.h>

#include "cli/bridge/query_stream.hpp"
#include "cli/bridge/deployment_from_config.hpp"
#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "cli/sweep/study_evaluator.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/prices.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"
#include "sim/servers/server_record.hpp"
#include "sim/servers/server_sim.hpp"

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

}  // namespace

bool is_server_variant(const std::string& variant) {
  return variant == "server_always_on" || variant == "server_job_scoped";
}

engine::RunRecord simulate_server_variant(const Config& config, const std::string& config_text,
                                          const sim::DensityProfile* profile, const sim::Calibration& calibration,
                                          sim::WorkerKind worker) {
  const cost::InstancePrice instance = instance_of(config, config_text);
  const std::vector<double> arrivals = query_arrivals(config);
  const QueryInputs in = query_inputs(config, profile);
  const sim::QueryWork& work = in.work;

  const sim::ServerKind kind =
      config.deployment.variant == "server_always_on" ? sim::ServerKind::kAlwaysOn : sim::ServerKind::kJobScoped;
  sim::ServerSpec spec =
      sim::make_server_spec(kind, instance, calibration, worker, performance_from_calibration(calibration, worker),
                            config.workload.duration_s,
                            in.weight_nnz, sweep::PoolAssumptions{}.job_scoped_instances);
  if (kind == sim::ServerKind::kAlwaysOn)
    spec.instances = sim::always_on_instances(arrivals.size(), spec.compute_s(work.total_flops()), spec.window_s);
  const sim::ServerRun run = sim::simulate_servers(spec, arrivals, work.total_flops());
  return sim::make_server_record(spec, work, run, in.neurons, "sim");
}

ServerComparison compare_server_record(const RecordFile& record, const Config& config,
                                       const cost::Performance& perf) {
  const engine::RunRecord& run = record.run;
  const std::string& path = config.path;
  if (run.servers.queries < 1) throw engine::InputError(path, 0, "run.servers.queries: a server record needs queries");
  if (run.channel != config.deployment.variant || run.neurons != config.model.neurons ||
      run.layers != config.model.layers)
    throw engine::InputError(path, 0, "run: channel, neurons or layers disagree with config_yaml");
  const cost::CommProfile profile = stream_profile(run, load_network(config));
  cost::Deployment deployment = to_deployment(config);
  deployment.workers = 1;  // a server runs the network as one part
  deployment.batch_size = run.images;
  const cost::Prices prices = cost::load_prices(cost::price_book_path(config.prices));
  const cost::Variant variant = cost::parse_variant(run.channel);
  const cost::Prediction p = cost::predict(variant, deployment, profile, to_workload(config), prices, perf);
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
