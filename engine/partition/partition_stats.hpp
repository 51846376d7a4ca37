// PartitionStats: how balanced a partition is and how many activation rows it makes workers send.
//
// imbalance of a layer = max part size / (N / P) − 1 (0 = perfect). rows_sent[k − 1] for layer
// k = 1..L is Σ_i |{owner[k][j] : W_k(i, j) ≠ 0} \ {owner[k−1][i]}|, the connectivity − 1 of the
// column-net model: the number of rows of Y_{k−1} the CommPlan transfers, whatever the inputs.
// A transfer carries, per row, the nonzeros of that row for every image of the batch, so
// bytes ≈ rows × images × density × bytes_per_nonzero (see estimated_payload_bytes).
// Pure functions of values; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"

namespace engine {

struct PartitionStats {
  int parts = 1;
  std::vector<double> imbalance;  // [L + 1], layer 0 = the inputs
  double max_imbalance = 0.0;
  std::vector<std::int64_t> rows_sent;  // [L]
  std::int64_t total_rows_sent = 0;
  bool operator==(const PartitionStats&) const = default;
};

// max part size / (size / parts) − 1; 0 for an empty layer.
double layer_imbalance(const std::vector<std::int32_t>& owner, int parts);

// Throws std::invalid_argument when the partition does not fit the network.
PartitionStats partition_stats(const Network& net, const Partition& partition);

// Uncompressed bytes of `rows` activation rows for `images` images at a fraction `density` of
// nonzeros, each a float value and an int32 index (8 bytes): rows · images · density · 8.
double estimated_payload_bytes(std::int64_t rows, std::int64_t images, double density);

}  // namespace engine
