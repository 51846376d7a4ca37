// Hypergraph partitioning of one layer (column-net model), through Zoltan PHG.
//
// Vertices 0..V−1 are free and weigh 1; net n connects the vertices pins[offsets[n]..offsets[n+1])
// and, when fixed_part[n] ≥ 0, also a zero-weight vertex fixed in that part (the worker that
// already holds the row). The cost of a net is then connectivity − 1 = the number of parts other
// than the fixed one that need the row: exactly the rows a CommPlan sends for it.
// The result meets part sizes ≤ balanced_cap(V, parts, imbalance) exactly: Zoltan's tolerance is
// a target, so overfull parts are emptied afterwards, each move chosen to add the least cost.
// Deterministic for a given seed. Serialized process-wide (see zoltan_session.hpp).
#pragma once

#include <cstdint>
#include <vector>

namespace engine::detail {

struct Hypergraph {
  int vertices = 0;
  std::vector<std::int64_t> offsets{0};  // [nets + 1]
  std::vector<std::int32_t> pins;        // free vertex ids
  std::vector<std::int32_t> fixed_part;  // [nets]: the part that holds the net already, or −1

  int nets() const { return static_cast<int>(offsets.size()) - 1; }
};

// Largest part size allowed: ⌊(1 + imbalance)·V/parts⌋, but never below ⌈V/parts⌉.
int balanced_cap(int vertices, int parts, double imbalance);

// Σ over nets of (|parts of its pins ∪ {fixed part}| − 1).
std::int64_t connectivity_cost(const Hypergraph& hg, const std::vector<std::int32_t>& part);

// A part in [0, parts) for every free vertex.
std::vector<std::int32_t> partition_hypergraph(const Hypergraph& hg, int parts, double imbalance, std::uint64_t seed);

}  // namespace engine::detail
