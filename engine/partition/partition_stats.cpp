// partition_stats: imbalance and rows sent of a partition; see partition_stats.hpp.
#include "engine/partition/partition_stats.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace engine {

double layer_imbalance(const std::vector<std::int32_t>& owner, int parts) {
  if (owner.empty() || parts < 1) return 0.0;
  std::vector<std::int64_t> size(static_cast<std::size_t>(parts), 0);
  for (auto p : owner) {
    if (p < 0 || p >= parts)
      throw std::invalid_argument("layer_imbalance: owner " + std::to_string(p) + " out of range");
    ++size[static_cast<std::size_t>(p)];
  }
  const double mean = static_cast<double>(owner.size()) / parts;
  return static_cast<double>(*std::max_element(size.begin(), size.end())) / mean - 1.0;
}

PartitionStats partition_stats(const Network& net, const Partition& partition) {
  const int parts = partition.parts;
  if (parts < 1 || partition.owner.size() != static_cast<std::size_t>(net.num_layers()) + 1)
    throw std::invalid_argument("partition_stats: the partition does not match the network's layers");
  for (const auto& owner : partition.owner)
    if (owner.size() != static_cast<std::size_t>(net.neurons))
      throw std::invalid_argument("partition_stats: an owner list does not cover every neuron");

  PartitionStats stats;
  stats.parts = parts;
  for (const auto& owner : partition.owner) {
    stats.imbalance.push_back(layer_imbalance(owner, parts));
    stats.max_imbalance = std::max(stats.max_imbalance, stats.imbalance.back());
  }
  std::vector<int> stamp(static_cast<std::size_t>(parts), -1);
  for (int k = 1; k <= net.num_layers(); ++k) {
    const SparseMatrix& w = net.layers[static_cast<std::size_t>(k - 1)].weights;
    const auto& source = partition.owner[static_cast<std::size_t>(k - 1)];
    const auto& target = partition.owner[static_cast<std::size_t>(k)];
    std::int64_t rows = 0;
    std::fill(stamp.begin(), stamp.end(), -1);
    for (int i = 0; i < w.outerSize(); ++i) {
      stamp[static_cast<std::size_t>(source[static_cast<std::size_t>(i)])] = i;  // the owner needs nothing
      for (auto q = w.outerIndexPtr()[i]; q < w.outerIndexPtr()[i + 1]; ++q) {
        const auto t = static_cast<std::size_t>(target[static_cast<std::size_t>(w.innerIndexPtr()[q])]);
        if (stamp[t] != i) stamp[t] = i, ++rows;
      }
    }
    stats.rows_sent.push_back(rows);
    stats.total_rows_sent += rows;
  }
  return stats;
}

double estimated_payload_bytes(std::int64_t rows, std::int64_t images, double density) {
  return static_cast<double>(rows) * static_cast<double>(images) * density * 8.0;
}

}  // namespace engine
