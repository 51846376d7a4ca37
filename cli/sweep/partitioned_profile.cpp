#include "cli/sweep/partitioned_profile.hpp"

#include "cli/bridge/comm_profile_from_plan.hpp"
#include "cli/bridge/deployment_from_config.hpp"
#include "costmodel/analytic_profile.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/network_io.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"

namespace cli::sweep {

engine::Network network_for(const Config& c) {
  if (!c.model.weights_dir.empty()) return engine::read_network(c.model.weights_dir, c.model.neurons, c.model.layers);
  return engine::generate_network(c.model.neurons, c.model.layers, c.model.generate_seed);
}

cost::CommProfile partitioned_profile(const Config& c, const engine::Network& network) {
  engine::PartitionOptions options;
  options.method = engine::parse_partition_method(c.deployment.partition.method);
  options.parts = c.deployment.workers;
  options.seed = c.deployment.partition.seed;
  options.imbalance = c.deployment.partition.imbalance;
  const engine::Partition partition = engine::partition_network(network, options);
  const engine::CommPlan plan = engine::make_comm_plan(network, partition);
  // Per-layer densities of the analytic model, its folded layers expanded.
  std::vector<double> density;
  for (const auto& layer : cost::analytic_profile(to_analytic_model(c)).layers)
    density.insert(density.end(), static_cast<std::size_t>(layer.repeat), layer.input_density);
  cost::CommProfile p = comm_profile_from_plan(plan, network, c.model.batch_size, density);
  p.source = "partitioned: " + c.deployment.partition.method + " P=" + std::to_string(options.parts) +
             (c.model.weights_dir.empty() ? ", generated network" : ", " + c.model.weights_dir);
  return p;
}

}  // namespace cli::sweep
