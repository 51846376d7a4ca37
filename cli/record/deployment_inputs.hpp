// The inputs of a deployment as its config describes them: the network (read or generated), the
// query batch (images file, Fashion-MNIST, or seeded random images of input_density·N active
// neurons), the partition and the CommPlan. `fsd run` runs on them; `fsd check` rebuilds the
// same plan to profile the recorded run. Deterministic for a given config. Bad files → InputError.
#pragma once

#include "cli/config/config.hpp"
#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/layer_structure.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/deployment.hpp"

#include <string>

namespace cli {

engine::Network load_network(const Config& config);
engine::Activations load_images(const Config& config);
engine::Partition partition_for(const Config& config, const engine::Network& network);

// Above this many weight nonzeros (N·32·L for generated layers, 1 GB of CSR) a profile-mode run
// builds the periodic structure instead of every layer.
inline constexpr std::int64_t kFullStructureMaxWeights = std::int64_t{1} << 27;

// The network's structure partitioned and planned (engine/plan/layer_structure.hpp). Full, except
// in profile mode for a generated network of more than kFullStructureMaxWeights nonzeros and more
// than 2·period layers: then only its first 2·period layers are generated (periodic_structure), so
// 16384 × 1920 and 65536 × 1920 need neither their weights nor 1920 partitions in memory.
engine::LayerStructure layer_structure(const Config& config, bool profile);

// The batch profile mode runs on: it reads only the row count, so generated images stay empty
// (B×N, no nonzeros); images from a file are read as load_images reads them.
engine::Activations profile_images(const Config& config);

// The DeploymentSpec of a config (launch tree, channel settings) over inputs the caller keeps alive:
// the spec points into network, partition, plan and images. `fsd run` and `fsd simulate` share it.
engine::DeploymentSpec deployment_spec(const Config& config, engine::ChannelKind channel,
                                       const engine::Network& network, const engine::Partition& partition,
                                       const engine::CommPlan& plan, const engine::Activations& images,
                                       const std::string& run_id);

}  // namespace cli
