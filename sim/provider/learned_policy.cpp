// LearnedPolicy implementation: candidate features, masked argmax / sampling, reward recording.
#include "sim/provider/learned_policy.hpp"

namespace provider {

void candidate_features(const Cluster& cluster, const PlacementRequest& request, Eigen::MatrixXd& features,
                        std::vector<int>& servers) {
  servers.clear();
  for (int i = 0; i < cluster.size(); ++i)
    if (cluster.server(i).fits(request.demand)) servers.push_back(i);
  const auto blocks = static_cast<double>(cluster.catalog().image(request.image).blocks.size());
  features.resize(static_cast<Eigen::Index>(servers.size()), kCandidateFeatures);
  for (Eigen::Index r = 0; r < features.rows(); ++r) {
    const Server& s = cluster.server(servers[static_cast<std::size_t>(r)]);
    features(r, 0) = double(s.free_millicpus()) / double(s.spec().millicpus);
    features(r, 1) = double(s.free_memory_mb()) / double(s.spec().memory_mb);
    features(r, 2) = blocks == 0 ? 1.0 : double(s.cache().cached_blocks_of(request.image)) / blocks;
    features(r, 3) = s.open() ? 1.0 : 0.0;
  }
}

LearnedPolicy::LearnedPolicy(PolicyNetwork network, Mode mode, std::uint64_t seed)
    : network_(std::move(network)), mode_(mode), rng_(seed) {
  if (network_.features() != kCandidateFeatures)
    throw std::invalid_argument("LearnedPolicy: the network must take " + std::to_string(kCandidateFeatures) +
                                " features per server, not " + std::to_string(network_.features()));
}

std::optional<int> LearnedPolicy::choose(const Cluster& cluster, const PlacementRequest& request) {
  candidate_features(cluster, request, features_, servers_);
  if (servers_.empty()) return std::nullopt;
  const Eigen::VectorXd& s = network_.scores(features_);
  Eigen::Index a = 0;
  if (mode_ == Mode::kGreedy) {
    s.maxCoeff(&a);  // first maximum: ties go to the lowest server index
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
