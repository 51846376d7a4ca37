// CommPlan: for each layer and each (source, target) pair, the neuron rows the source must send
// before the target can compute that layer. Derived from a Network and a Partition; read by every
// channel, the worker, the simulator and the cost model (through its statistics).
//
// transfers[k−1] lists, for layer k = 1..L, the pairs with at least one row to send; row i is
// sent from owner[k−1][i] to every other worker p that owns a column j of W_k with W_k(i, j) ≠ 0.
// Rows are sorted ascending. Pairs not listed have nothing to send (the worker posts an empty marker).
// A plan whose layers repeat may store each distinct layer once: then layer_pattern[k−1] names the
// entry of transfers that is layer k's (see engine/plan/layer_structure.hpp); read layers through
// layer(k), which works for both forms.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"

namespace engine {

struct Transfer {
  int source = 0;
  int target = 0;
  std::vector<std::int32_t> rows;  // neuron indices of Y_{k−1}, ascending
  bool operator==(const Transfer&) const = default;
};

struct CommPlan {
  int parts = 1;
  int layers = 0;
  std::vector<std::vector<Transfer>> transfers;  // [L][...] (or [distinct layers]), sorted by (source, target)
  std::vector<std::int32_t> layer_pattern;       // empty, or [L]: layer k's transfers are transfers[layer_pattern[k−1]]

  // Layer k's transfers, k = 1..layers.
  const std::vector<Transfer>& layer(int k) const {
    return transfers[static_cast<std::size_t>(layer_pattern.empty() ? k - 1 : layer_pattern[static_cast<std::size_t>(k - 1)])];
  }
  std::int64_t total_rows() const {
    std::int64_t n = 0;
    const int stored = layer_pattern.empty() ? static_cast<int>(transfers.size()) : layers;
    for (int k = 1; k <= stored; ++k)
      for (const auto& t : layer(k)) n += static_cast<std::int64_t>(t.rows.size());
    return n;
  }
  bool operator==(const CommPlan&) const = default;
};

CommPlan make_comm_plan(const Network& net, const Partition& partition);

}  // namespace engine
