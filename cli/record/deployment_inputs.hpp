// The inputs of a deployment as its config describes them: the network (read or generated), the
// query batch (images file, Fashion-MNIST, or seeded random images of input_density·N active
// neurons), the partition and the CommPlan. `fsd run` runs on them; `fsd check` rebuilds the
// same plan to profile the recorded run. Deterministic for a given config. Bad files → InputError.
#pragma once

#include "cli/config/config.hpp"
#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/deployment.hpp"

#include <string>

namespace cli {

engine::Network load_network(const Config& config);
engine::Activations load_images(const Config& config);
engine::Partition partition_for(const Config& config, const engine::Network& network);

// The DeploymentSpec of a config (launch tree, channel settings) over inputs the caller keeps alive:
// the spec points into network, partition, plan and images. `fsd run` and `fsd simulate` share it.
engine::DeploymentSpec deployment_spec(const Config& config, engine::ChannelKind channel,
                                       const engine::Network& network, const engine::Partition& partition,
                                       const engine::CommPlan& plan, const engine::Activations& images,
                                       const std::string& run_id);

}  // namespace cli
