// LearnedPolicy implementation: candidate features, masked argmax / sampling, reward recording.
#include "sim/provider/learned_policy.hpp"

namespace provider {

LearnedPolicy::LearnedPolicy(PolicyNetwork network, Mode mode, std::uint64_t seed)
    : network_(std::move(network)), mode_(mode), rng_(seed) {
  if (network_.features() != kCandidateFeatures)
    throw std::invalid_argument("LearnedPolicy: the network must take " + std::to_string(kCandidateFeatures) +
                                " features per server, not " + std::to_string(network_.features()));
}

std::optional<int> LearnedPolicy::choose(const Cluster& cluster, const PlacementRequest& request) {
  Eigen::Index a = 0;
  if (mode_ == Mode::kGreedy && !recording_) {
    candidate_features(cluster, request, features_f_, servers_);
    if (servers_.empty()) return std::nullopt;
    network_.fast_scores(features_f_).maxCoeff(&a);  // first maximum: ties go to the lowest index
    last_used_ = true;
    return servers_[static_cast<std::size_t>(a)];
  }
  candidate_features(cluster, request, features_, servers_);
  if (servers_.empty()) return std::nullopt;
  const Eigen::VectorXd& s = network_.scores(features_);
  if (mode_ == Mode::kGreedy) {
    s.maxCoeff(&a);
  } else {
    Eigen::VectorXd p = (s.array() - s.maxCoeff()).exp();
    double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * p.sum();
    for (a = 0; a + 1 < p.size() && u >= p[a]; ++a) u -= p[a];
  }
  if (recording_) steps_.push_back({network_.log_prob_gradient(features_, a), 0.0});
  last_used_ = true;
  return servers_[static_cast<std::size_t>(a)];
}

void LearnedPolicy::feedback(bool used) {
  last_used_ = used;
  if (recording_ && !used && !steps_.empty()) steps_.back().reward = -weights_.reject_penalty_s;
}

void LearnedPolicy::on_outcome(const PlacementOutcome& outcome) {
  if (!recording_ || steps_.empty() || !last_used_) return;
  steps_.back().reward = -outcome.cold_start_s - (outcome.opened_server ? weights_.open_penalty_s : 0.0);
}

void LearnedPolicy::start_recording(const RewardWeights& weights) {
  recording_ = true;
  weights_ = weights;
  steps_.clear();
}

std::vector<PolicyStep> LearnedPolicy::take_steps() {
  recording_ = false;
  return std::move(steps_);
}

}  // namespace provider
