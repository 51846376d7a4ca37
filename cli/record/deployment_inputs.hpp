// The inputs of a deployment as its config describes them: the network (read or generated), the
// query batch (images file, Fashion-MNIST, or seeded random images of input_density·N active
// neurons), the partition and the CommPlan. `fsd run` runs on them; `fsd check` rebuilds the
// same plan to profile the recorded run. Deterministic for a given config. Bad files → InputError.
#pragma once

#include "cli/config/config.hpp"
#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"

namespace cli {

engine::Network load_network(const Config& config);
engine::Activations load_images(const Config& config);
engine::Partition partition_for(const Config& config, const engine::Network& network);

}  // namespace cli
