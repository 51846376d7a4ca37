// CommPlan: for each layer and each (source, target) pair, the neuron rows the source must send
// before the target can compute that layer. Derived from a Network and a Partition; read by every
// channel, the worker, the simulator and the cost model (through its statistics).
//
// transfers[k−1] lists, for layer k = 1..L, the pairs with at least one row to send; row i is
// sent from owner[k−1][i] to every other worker p that owns a column j of W_k with W_k(i, j) ≠ 0.
// Rows are sorted ascending. Pairs not listed have nothing to send (the worker posts an empty marker).
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
  std::vector<std::vector<Transfer>> transfers;  // [L][...], sorted by (source, target)

  std::int64_t total_rows() const {
    std::int64_t n = 0;
    for (const auto& layer : transfers)
      for (const auto& t : layer) n += static_cast<std::int64_t>(t.rows.size());
    return n;
  }
  bool operator==(const CommPlan&) const = default;
};

CommPlan make_comm_plan(const Network& net, const Partition& partition);

}  // namespace engine
