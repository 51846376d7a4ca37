// LearnedPolicy: the learned resource optimizer. Each feasible server is a candidate described by
//   f = (free vCPU share, free memory share, share of the requested image's blocks cached, open?)
// (shares of the server's own capacity; "open" = runs a container, so the policy can see what the
// reward's per-server penalty is about). Infeasible servers are masked out. The PolicyNetwork
// scores the candidates; in kGreedy mode the best score wins (serving), in kSample mode a
// candidate is drawn from the softmax with a seeded generator (training). Serving scores in float,
// training in double; the two can differ only in near-ties.
//
// While recording, every decision stores ∇ log π(a) and, once its outcome is known, the reward
//   r = −cold_start_s − open_penalty_s · [opened a server]     if the choice was used,
//   r = −reject_penalty_s                                      if the hybrid allocator rejected it,
// which is how the allocator's feedback ("was my choice used?") reaches the optimizer.
// Deterministic for a given seed; not thread-safe.
#pragma once

#include <random>
#include <vector>

#include "sim/provider/placement_policy.hpp"
#include "sim/provider/policy_network.hpp"

namespace provider {

inline constexpr int kCandidateFeatures = 4;

// Fills `features` (n × kCandidateFeatures) and `servers` (n) with the servers that fit `request`.
template <class Matrix>
void candidate_features(const Cluster& cluster, const PlacementRequest& request, Matrix& features,
                        std::vector<int>& servers) {
  using Scalar = typename Matrix::Scalar;
  servers.clear();
  for (int i = 0; i < cluster.size(); ++i)
    if (cluster.server(i).fits(request.demand)) servers.push_back(i);
  const auto blocks = static_cast<double>(cluster.catalog().image(request.image).blocks.size());
  features.resize(static_cast<Eigen::Index>(servers.size()), kCandidateFeatures);
  for (Eigen::Index r = 0; r < features.rows(); ++r) {
    const Server& s = cluster.server(servers[static_cast<std::size_t>(r)]);
    features(r, 0) = Scalar(double(s.free_millicpus()) / double(s.spec().millicpus));
    features(r, 1) = Scalar(double(s.free_memory_mb()) / double(s.spec().memory_mb));
    features(r, 2) = Scalar(blocks == 0 ? 1.0 : double(s.cache().cached_blocks_of(request.image)) / blocks);
    features(r, 3) = Scalar(s.open() ? 1.0 : 0.0);
  }
}

struct RewardWeights {
  double open_penalty_s = 1.0;    // cost of opening one more server, in seconds of cold start
  double reject_penalty_s = 1.0;  // cost of proposing a server the allocator cannot use
};

struct PolicyStep {
  Eigen::VectorXd grad_log_prob;
  double reward = 0;
};

class LearnedPolicy final : public PlacementPolicy {
 public:
  enum class Mode { kGreedy, kSample };
  explicit LearnedPolicy(PolicyNetwork network, Mode mode = Mode::kGreedy, std::uint64_t seed = 1);

  std::optional<int> choose(const Cluster& cluster, const PlacementRequest& request) override;
  std::string name() const override { return "learned"; }
  void on_outcome(const PlacementOutcome& outcome) override;

  // From the hybrid allocator, after choose(): whether the proposed server was taken.
  void feedback(bool used);

  void start_recording(const RewardWeights& weights);
  std::vector<PolicyStep> take_steps();  // the recorded decisions; recording stops

  PolicyNetwork& network() { return network_; }
  const PolicyNetwork& network() const { return network_; }

 private:
  PolicyNetwork network_;
  Mode mode_;
  std::mt19937_64 rng_;
  Eigen::MatrixXd features_;    // training (kSample): double, for the gradient
  Eigen::MatrixXf features_f_;  // serving (kGreedy): float, for speed
  std::vector<int> servers_;
  bool recording_ = false;
  bool last_used_ = true;
  RewardWeights weights_;
  std::vector<PolicyStep> steps_;
};

}  // namespace provider
