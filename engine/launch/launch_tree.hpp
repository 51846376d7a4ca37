// LaunchTree: how P workers start without coordination (FSD-Inference's hierarchical launch).
//
// The coordinator (the root, level 0, not a worker) invokes fanout[0] workers; every worker at
// level l (1-based) invokes fanout[l] workers of its own, down to the last level. The paper's tree
// has one branching factor bfr at every level, so P = Σ_{l=1..levels} bfr^l (8 = 8; 20 = 4+16;
// 42 = 6+36; 62 = 2+4+8+16+32; 84 = 4+16+64); per-level fan-outs generalize it for free.
//
// Ids are the depth-first (pre-order) numbering of the workers, 0..P−1: an invocation carries
// (parent id, index among its siblings, subtree size, level), from which the worker computes its
// own id and its children's invocations. Nothing else is exchanged, so the whole tree starts in
// O(levels) invocation latencies. Example, bfr 2, levels 2 (P = 6):
//   coordinator → 0 (children 1, 2) and 3 (children 4, 5).
// Value type; const methods are thread-safe; everything is deterministic.
#pragma once

#include <vector>

namespace engine {

// What one invocation carries. Level-1 workers have parent_id = −1 (the coordinator).
struct Invocation {
  int parent_id = -1;
  int index = 0;         // position among the parent's children, 0-based
  int subtree_size = 1;  // workers in the subtree rooted at this worker, itself included
  int level = 1;         // 1 = invoked by the coordinator
  bool operator==(const Invocation&) const = default;
};

class LaunchTree {
 public:
  // The paper's tree: every node below the coordinator's level fans out to bfr children.
  // Throws std::invalid_argument unless bfr ≥ 1, levels ≥ 1 and P fits in an int.
  LaunchTree(int bfr, int levels);
  // fanouts[l] = children of each node at level l (l = 0 is the coordinator); all ≥ 1.
  explicit LaunchTree(std::vector<int> fanouts);

  // The tree with a constant branching factor bfr and exactly `workers` workers, if one exists
  // (e.g. 62 with bfr 2 → 5 levels). Throws std::invalid_argument otherwise.
  static LaunchTree for_workers(int workers, int bfr);

  int workers() const { return workers_; }  // P
  int levels() const { return static_cast<int>(fanouts_.size()); }
  const std::vector<int>& fanouts() const { return fanouts_; }

  // The fanouts[0] invocations the coordinator sends.
  std::vector<Invocation> root_invocations() const;

  // True when the invocation could have come from this tree (a payload from the network is
  // checked before it is trusted).
  bool valid(const Invocation& invocation) const;

  // The worker's id in 0..P−1. Throws engine::InputError if the invocation is not valid().
  int worker_id(const Invocation& invocation) const;

  // The invocations this worker sends (empty at the last level). Throws as worker_id.
  std::vector<Invocation> children(const Invocation& invocation) const;

  bool operator==(const LaunchTree&) const = default;

 private:
  std::vector<int> fanouts_;
  std::vector<int> subtree_sizes_;  // [l − 1] = subtree size of a worker at level l
  int workers_ = 0;
};

}  // namespace engine
