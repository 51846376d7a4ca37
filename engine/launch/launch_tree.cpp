// LaunchTree: depth-first ids from (parent id, index, subtree size, level); see launch_tree.hpp.
#include "engine/launch/launch_tree.hpp"

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "engine/common/input_error.hpp"

namespace engine {
namespace {

std::vector<int> uniform_fanouts(int bfr, int levels) {
  if (bfr < 1 || levels < 1)
    throw std::invalid_argument("LaunchTree: bfr and levels must be ≥ 1, got bfr " + std::to_string(bfr) + ", levels " +
                                std::to_string(levels));
  return std::vector<int>(static_cast<std::size_t>(levels), bfr);
}

std::string describe(const Invocation& inv) {
  return "invocation (parent " + std::to_string(inv.parent_id) + ", index " + std::to_string(inv.index) + ", subtree " +
         std::to_string(inv.subtree_size) + ", level " + std::to_string(inv.level) + ")";
}

}  // namespace

LaunchTree::LaunchTree(int bfr, int levels) : LaunchTree(uniform_fanouts(bfr, levels)) {}

LaunchTree::LaunchTree(std::vector<int> fanouts) : fanouts_(std::move(fanouts)) {
  if (fanouts_.empty()) throw std::invalid_argument("LaunchTree: at least one level is needed");
  for (int f : fanouts_)
    if (f < 1) throw std::invalid_argument("LaunchTree: every fan-out must be ≥ 1, got " + std::to_string(f));
  // S_L = 1; S_l = 1 + fanout[l] · S_{l+1}; P = fanout[0] · S_1.
  const int levels = static_cast<int>(fanouts_.size());
  subtree_sizes_.assign(static_cast<std::size_t>(levels), 1);
  std::int64_t size = 1;
  for (int l = levels - 1; l >= 1; --l) {
    size = 1 + static_cast<std::int64_t>(fanouts_[static_cast<std::size_t>(l)]) * size;
    if (size > std::numeric_limits<int>::max()) throw std::invalid_argument("LaunchTree: too many workers");
    subtree_sizes_[static_cast<std::size_t>(l - 1)] = static_cast<int>(size);
  }
  const std::int64_t total = static_cast<std::int64_t>(fanouts_[0]) * size;
  if (total > std::numeric_limits<int>::max()) throw std::invalid_argument("LaunchTree: too many workers");
  workers_ = static_cast<int>(total);
}

LaunchTree LaunchTree::for_workers(int workers, int bfr) {
  if (bfr < 1 || workers < 1) throw std::invalid_argument("LaunchTree::for_workers: workers and bfr must be ≥ 1");
  // Σ_{l=1..levels} bfr^l, growing until it reaches `workers` (bfr = 1 gives P = levels).
  std::int64_t sum = 0, power = 1;
  for (int levels = 1; sum < workers; ++levels) {
    power *= bfr;
    sum += power;
    if (sum == workers) return LaunchTree(bfr, levels);
  }
  throw std::invalid_argument("LaunchTree::for_workers: " + std::to_string(workers) +
                              " workers is not a sum bfr + bfr^2 + … for bfr " + std::to_string(bfr));
}

std::vector<Invocation> LaunchTree::root_invocations() const {
  std::vector<Invocation> out;
  for (int c = 0; c < fanouts_[0]; ++c) out.push_back({-1, c, subtree_sizes_[0], 1});
  return out;
}

bool LaunchTree::valid(const Invocation& inv) const {
  if (inv.level < 1 || inv.level > levels()) return false;
  const auto l = static_cast<std::size_t>(inv.level);
  if (inv.index < 0 || inv.index >= fanouts_[l - 1]) return false;
  if (inv.subtree_size != subtree_sizes_[l - 1]) return false;
  if (inv.level == 1) return inv.parent_id == -1;
  // The parent must be a worker of level − 1: descend from the root along the parent's id.
  if (inv.parent_id < 0 || inv.parent_id >= workers_) return false;
  std::int64_t rest = inv.parent_id;  // offset of the parent inside the current subtree list
  int level = 1;
  for (;;) {
    const std::int64_t size = subtree_sizes_[static_cast<std::size_t>(level - 1)];
    rest %= size;  // offset inside the subtree of the ancestor at this level
    if (rest == 0) break;
    rest -= 1;  // skip that ancestor; continue among its children
    ++level;
  }
  return level == inv.level - 1;
}

int LaunchTree::worker_id(const Invocation& inv) const {
  if (!valid(inv))
    throw InputError(describe(inv) + " does not belong to a tree of fan-outs with " + std::to_string(workers_) +
                     " workers");
  // Pre-order: a level-1 worker's subtree starts at index·S_1; a child's right after its parent
  // and the subtrees of its earlier siblings.
  const std::int64_t base = inv.level == 1 ? 0 : static_cast<std::int64_t>(inv.parent_id) + 1;
  return static_cast<int>(base + static_cast<std::int64_t>(inv.index) * inv.subtree_size);
}

std::vector<Invocation> LaunchTree::children(const Invocation& inv) const {
  const int id = worker_id(inv);
  std::vector<Invocation> out;
  if (inv.level == levels()) return out;
  const auto l = static_cast<std::size_t>(inv.level);
  for (int c = 0; c < fanouts_[l]; ++c) out.push_back({id, c, subtree_sizes_[l], inv.level + 1});
  return out;
}

}  // namespace engine
