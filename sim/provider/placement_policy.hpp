// PlacementPolicy: picks, at once, the server a new container starts on. Greedy policies here;
// the learned policy (learned_policy.hpp) and the hybrid allocator (hybrid_allocator.hpp) implement
// the same interface, so the scheduler simulation runs any of them unchanged.
//
// Greedy policies (ties always go to the lowest server index, so every choice is deterministic):
//   first_fit    the lowest-index server that fits (the paper's "greedy finder");
//   best_fit     the server that fits with the least free memory left after placement;
//   worst_fit    the server that fits with the most free memory left after placement;
//   cache_aware  similarity-aware greedy: among open servers that fit, the one holding the largest
//                share of the image's blocks; if no open server fits, the same rule over closed ones.
// A policy returns nullopt only when no server fits. Not thread-safe (policies may keep state).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "sim/provider/cluster.hpp"

namespace provider {

struct PlacementRequest {
  int image = 0;  // index in the cluster's ImageCatalog
  Demand demand;
};

// What happened after the simulation executed the last choice (the learned policy's reward).
struct PlacementOutcome {
  bool opened_server = false;
  double cold_start_s = 0;  // container start + download of the blocks not cached
};

class PlacementPolicy {
 public:
  virtual ~PlacementPolicy() = default;
  virtual std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) = 0;
  virtual std::string name() const = 0;
  // Called once after every successful choose(), with its consequence.
  virtual void on_outcome(const PlacementOutcome& outcome) {}
  // Share of decisions that took the learned optimizer's choice (hybrid allocators only).
  virtual std::optional<double> learned_choice_share() const { return std::nullopt; }
};

class FirstFit final : public PlacementPolicy {
 public:
  std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) override;
  std::string name() const override { return "first_fit"; }
};

class BestFit final : public PlacementPolicy {
 public:
  std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) override;
  std::string name() const override { return "best_fit"; }
};

class WorstFit final : public PlacementPolicy {
 public:
  std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) override;
  std::string name() const override { return "worst_fit"; }
};

class CacheAwareFit final : public PlacementPolicy {
 public:
  std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) override;
  std::string name() const override { return "cache_aware"; }
};

// "first_fit" | "best_fit" | "worst_fit" | "cache_aware"; nullptr for any other name.
std::unique_ptr<PlacementPolicy> make_greedy_policy(const std::string& name);

}  // namespace provider
