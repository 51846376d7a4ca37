#include "cli/bridge/deployment_from_config.hpp"

#include "engine/common/input_error.hpp"

namespace cli {

cost::Deployment to_deployment(const Config& c) {
  cost::Deployment d;
  d.neurons = c.model.neurons;
  d.layers = c.model.layers;
  d.batch_size = c.model.batch_size;
  d.workers = c.deployment.workers;
  d.launch_bfr = c.deployment.launch.bfr;
  d.launch_levels = c.deployment.launch.levels;
  d.memory_mb = c.deployment.memory_mb;
  d.topics = c.channel.queue.topics;
  d.max_message_bytes = c.channel.queue.max_message_bytes;
  d.poll_interval_s = c.channel.object.poll_interval_s;
  d.parallel_gets = c.channel.object.parallel_gets;
  d.parallel_puts = c.channel.object.parallel_puts;
  d.instance_type = c.deployment.instance_type;
  return d;
}

cost::Workload to_workload(const Config& c) {
  cost::Workload w;
  // Bursts set their own rate (burst_size per burst_gap_s); poisson and trace are scaled to queries_per_day.
  w.queries_per_day = c.workload.arrival.kind == "bursts"
                          ? workload::mean_queries_per_day(to_arrival_spec(c.workload.arrival))
                          : c.workload.arrival.queries_per_day;
  w.max_latency_s = c.workload.max_latency_s;
  return w;
}

workload::ArrivalSpec to_arrival_spec(const ArrivalConfig& a) {
  workload::ArrivalSpec s;
  s.kind = workload::parse_arrival_kind(a.kind);
  s.queries_per_day = a.queries_per_day;
  s.burst_size = a.burst_size;
  s.burst_gap_s = a.burst_gap_s;
  s.seed = a.seed;
  return s;
}

cost::AnalyticModel to_analytic_model(const Config& c) {
  cost::AnalyticModel m;
  m.neurons = c.model.neurons;
  m.layers = c.model.layers;
  m.batch_size = c.model.batch_size;
  m.parts = c.deployment.workers;
  m.nnz_per_row = c.model.nnz_per_row;
  m.partition = c.deployment.partition.method;
  m.imbalance = c.deployment.partition.imbalance;
  m.input_density = c.model.input_density;
  m.output_density = c.model.output_density;
  return m;
}

cost::CommProfile profile_for(const Config& c) {
  if (c.profile.empty()) return cost::analytic_profile(to_analytic_model(c));
  cost::CommProfile p = cost::load_comm_profile(c.profile);
  auto mismatch = [&](const char* what, long long got, long long want) {
    throw engine::InputError(c.profile, 0,
                             std::string(what) + " " + std::to_string(got) + " does not match the config's " +
                                 std::to_string(want) + " (" + c.path + ")");
  };
  if (p.neurons != c.model.neurons) mismatch("neurons", p.neurons, c.model.neurons);
  if (p.num_layers() != c.model.layers) mismatch("layers", p.num_layers(), c.model.layers);
  if (p.parts != c.deployment.workers) mismatch("parts", p.parts, c.deployment.workers);
  return p;
}

}  // namespace cli
