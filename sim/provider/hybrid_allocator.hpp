// HybridAllocator: the paper's hybrid server allocator. For each container it asks the greedy
// finder and the learned optimizer for a server, takes the learned candidate when it is valid and
// the greedy one otherwise, and tells the optimizer whether its choice was used.
//
// Valid = the server fits the container (guaranteed by masking) and does not open a server when the
// greedy finder would not: the learned optimizer may trade cold-start time among running servers,
// but never spends an extra server the greedy finder could avoid at this decision.
// The two are asked one after the other (the simulation has one thread; in a real allocator they
// run in parallel and the decision time is the slower of the two). Deterministic; not thread-safe.
#pragma once

#include <memory>

#include "sim/provider/learned_policy.hpp"

namespace provider {

class HybridAllocator final : public PlacementPolicy {
 public:
  HybridAllocator(std::unique_ptr<PlacementPolicy> greedy, std::unique_ptr<LearnedPolicy> learned);

  std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) override;
  std::string name() const override { return "hybrid"; }
  void on_outcome(const PlacementOutcome& outcome) override { learned_->on_outcome(outcome); }
  std::optional<double> learned_choice_share() const override;

  LearnedPolicy& learned() { return *learned_; }

 private:
  std::unique_ptr<PlacementPolicy> greedy_;
  std::unique_ptr<LearnedPolicy> learned_;
  long decisions_ = 0;
  long learned_used_ = 0;
};

}  // namespace provider
