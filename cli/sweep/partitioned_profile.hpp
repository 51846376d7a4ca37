// partitioned_profile: the CommProfile of a point measured on a real partition, for experiments
// with `profiles: partitioned` (e.g. hypergraph vs random vs contiguous).
//
// Rows sent per layer and pair come from engine::make_comm_plan on the network (model.weights_dir,
// else generated with model.generate_seed) partitioned by the point's deployment.partition
// (method, seed, imbalance) into P = deployment.workers parts. Activation densities are the
// analytic profile's (model.input_density → model.output_density, geometric), since measuring them
// needs an inference run. Cost: one partition per (network, method, P, seed) — milliseconds for
// contiguous and random, seconds for hypergraph at N = 1024, L = 120.
// Pure function of its inputs; deterministic (the partitions are seeded).
#pragma once

#include "cli/config/config.hpp"
#include "costmodel/comm_profile.hpp"
#include "engine/model/network.hpp"

namespace cli::sweep {

// The network the point's model keys describe (read or generated).
engine::Network network_for(const Config& config);
cost::CommProfile partitioned_profile(const Config& config, const engine::Network& network);

}  // namespace cli::sweep
