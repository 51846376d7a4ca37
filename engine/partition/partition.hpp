// Partition: which worker owns each neuron of each layer.
//
// owner[k][i] ∈ [0, P) for k = 0..L and i = 0..N−1: layer k's output neurons (k = 0 is the input
// layer, i.e. the image columns). Worker p computes Y_k[:, {i : owner[k][i] = p}] and therefore
// needs Y_{k−1}[:, i] for every row i of W_k with a nonzero in one of its columns.
// Methods: contiguous blocks, random (seeded), hypergraph (column-net model through Zoltan PHG,
// minimizing connectivity − 1 = activation rows sent). Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/network.hpp"

namespace engine {

enum class PartitionMethod { kContiguous, kRandom, kHypergraph };

struct PartitionOptions {
  PartitionMethod method = PartitionMethod::kHypergraph;
  int parts = 1;
  std::uint64_t seed = 1;
  double imbalance = 0.05;  // allowed max part size / mean − 1
};

struct Partition {
  int parts = 1;
  std::vector<std::vector<std::int32_t>> owner;  // [L+1][N]
  bool operator==(const Partition&) const = default;
};

// Partitions every layer of the network. Throws std::invalid_argument on bad options.
Partition partition_network(const Network& net, const PartitionOptions& options);

PartitionMethod parse_partition_method(const std::string& name);  // "contiguous" | "random" | "hypergraph"
const char* to_string(PartitionMethod method);

}  // namespace engine
