// HybridAllocator implementation.
#include "sim/provider/hybrid_allocator.hpp"

namespace provider {

HybridAllocator::HybridAllocator(std::unique_ptr<PlacementPolicy> greedy, std::unique_ptr<LearnedPolicy> learned)
    : greedy_(std::move(greedy)), learned_(std::move(learned)) {}

std::optional<int> HybridAllocator::choose(const Cluster& cluster, const PlacementRequest& request) {
  const std::optional<int> g = greedy_->choose(cluster, request);
  const std::optional<int> l = learned_->choose(cluster, request);
  if (!g && !l) return std::nullopt;
  const bool valid =
      l && cluster.server(*l).fits(request.demand) && (cluster.server(*l).open() || !g || !cluster.server(*g).open());
  learned_->feedback(valid);
  ++decisions_;
  if (valid) ++learned_used_;
  return valid ? l : g;
}

std::optional<double> HybridAllocator::learned_choice_share() const {
  return decisions_ ? double(learned_used_) / double(decisions_) : 0.0;
}

}  // namespace provider
