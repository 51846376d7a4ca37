// LayerStructure: what a network's structure decides for a partitioned run of L layers — owners,
// CommPlan transfers, owned weight columns — stored for W ≤ L built layers and looked up by layer
// through a map k → built layer. It is how a profile-mode simulation runs 1920 layers of 65,536
// neurons without building (or holding) 1920 layers' weights, partitions and plans.
//
//   full:     W = L, built layer k = layer k. Exact; the same partition and plan as
//             partition_network + make_comm_plan on the whole network.
//   periodic: the network's first W layers are built; layer k > W reuses built layer
//             W − period + 1 + ((k − W − 1) mod period), the one of the last built period with
//             the same base pattern. For generated networks (engine/model/generate.hpp) layer k is
//             a random row permutation of base pattern (k − 1) mod period, so no layer repeats
//             exactly (as in the official files): this is a model, not an identity — layers past W
//             carry the transfers of a built layer of the same base pattern, whose statistics
//             (rows and pairs per layer) are those of any permuted layer of that pattern. Owners
//             follow the built layers, so the owners a layer's plan sends from may differ from
//             those the previous layer's plan delivered to (no values flow in profile mode).
//
// Built layer r (1..W) has input owners partition.owner[r − 1] and output owners partition.owner[r].
// Immutable after construction; const access is thread-safe. Deterministic for the options' seed.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"

namespace engine {

struct LayerStructure {
  Network built;                         // the W built layers (their structure is what counts)
  Partition partition;                   // owner[0..W] of the built layers
  CommPlan plan;                         // layers = L; transfers of the W built layers, layer_pattern when W < L
  std::vector<std::int32_t> built_of;    // [L]: layer k → built layer built_of[k − 1] ∈ 1..W
  std::vector<std::vector<std::int64_t>> owned_column_nnz;  // [W][P]: nnz of built layer r in columns part p owns
  std::vector<std::vector<std::int32_t>> owned_neurons;     // [W + 1][P]: neurons part p owns in partition.owner[r]

  int layers() const { return plan.layers; }
  int parts() const { return partition.parts; }
  int built_layer(int k) const { return built_of[static_cast<std::size_t>(k - 1)]; }  // k = 1..L
  // The owners layer k's plan sends Y_{k−1} from (k = 1..L), and the owners of Y_k (k = 0..L).
  const std::vector<std::int32_t>& input_owner(int k) const {
    return partition.owner[static_cast<std::size_t>(built_layer(k) - 1)];
  }
  const std::vector<std::int32_t>& output_owner(int k) const {
    return partition.owner[static_cast<std::size_t>(k == 0 ? 0 : built_layer(k))];
  }
  std::int32_t owned_input_neurons(int k, int part) const {
    return owned_neurons[static_cast<std::size_t>(built_layer(k) - 1)][static_cast<std::size_t>(part)];
  }
  std::int32_t owned_output_neurons(int k, int part) const {
    return owned_neurons[static_cast<std::size_t>(k == 0 ? 0 : built_layer(k))][static_cast<std::size_t>(part)];
  }
  std::int64_t owned_weights(int k, int part) const {  // nnz of W_k in the columns `part` owns
    return owned_column_nnz[static_cast<std::size_t>(built_layer(k) - 1)][static_cast<std::size_t>(part)];
  }
};

// Every layer built: partition_network(network, options) and make_comm_plan over it.
LayerStructure full_structure(Network network, const PartitionOptions& options);

// The first W = first_layers.num_layers() layers built, L = layers; see the header comment.
// Throws std::invalid_argument unless 1 ≤ period ≤ W ≤ L (W = L gives the full structure).
LayerStructure periodic_structure(Network first_layers, int layers, int period, const PartitionOptions& options);

}  // namespace engine
