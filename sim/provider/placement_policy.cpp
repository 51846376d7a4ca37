// Greedy placement policies: one linear scan over the servers each (O(servers) per decision).
#include "sim/provider/placement_policy.hpp"

namespace provider {

std::optional<int> FirstFit::choose(const Cluster& cluster, const PlacementRequest& request) {
  for (int i = 0; i < cluster.size(); ++i)
    if (cluster.server(i).fits(request.demand)) return i;
  return std::nullopt;
}

std::optional<int> BestFit::choose(const Cluster& cluster, const PlacementRequest& request) {
  std::optional<int> best;
  for (int i = 0; i < cluster.size(); ++i) {
    const Server& s = cluster.server(i);
    if (s.fits(request.demand) && (!best || s.free_memory_mb() < cluster.server(*best).free_memory_mb())) best = i;
  }
  return best;
}

std::optional<int> WorstFit::choose(const Cluster& cluster, const PlacementRequest& request) {
  std::optional<int> best;
  for (int i = 0; i < cluster.size(); ++i) {
    const Server& s = cluster.server(i);
    if (s.fits(request.demand) && (!best || s.free_memory_mb() > cluster.server(*best).free_memory_mb())) best = i;
  }
  return best;
}

std::optional<int> CacheAwareFit::choose(const Cluster& cluster, const PlacementRequest& request) {
  std::optional<int> best_open, best_closed;
  std::int64_t open_cached = -1, closed_cached = -1;
  for (int i = 0; i < cluster.size(); ++i) {
    const Server& s = cluster.server(i);
    if (!s.fits(request.demand)) continue;
    const std::int64_t cached = s.cache().cached_blocks_of(request.image);
    auto& best = s.open() ? best_open : best_closed;
    auto& best_cached = s.open() ? open_cached : closed_cached;
    if (cached > best_cached) {
      best = i;
      best_cached = cached;
    }
  }
  return best_open ? best_open : best_closed;
}

std::unique_ptr<PlacementPolicy> make_greedy_policy(const std::string& name) {
  if (name == "first_fit") return std::make_unique<FirstFit>();
  if (name == "best_fit") return std::make_unique<BestFit>();
  if (name == "worst_fit") return std::make_unique<WorstFit>();
  if (name == "cache_aware") return std::make_unique<CacheAwareFit>();
  return nullptr;
}

}  // namespace provider
