// PolicyNetwork: the learned resource optimizer's scoring network, a one-hidden-layer MLP in Eigen
// applied to every candidate server, followed by a softmax over the feasible candidates:
//   h_i = tanh(W1 f_i + b1),   s_i = w2 · h_i,   π(i) = exp(s_i) / Σ_feasible exp(s_j).
// f_i are the candidate features (candidate_features.hpp). Infeasible servers are masked by never
// being candidates. Gradients of log π(a) are returned flat (W1 row-major, then b1, then w2) so a
// REINFORCE step can be stored as one vector per decision.
//
// Weights file (text, written to a temp file then renamed; read strictly, any defect is an
// engine::InputError naming file and line):
//   fsd-provider-policy 1
//   features <F> hidden <H>
//   <H lines of F numbers: W1>
//   <1 line of H numbers: b1>
//   <1 line of H numbers: w2>
// Deterministic (seeded initialisation, no threads). Not thread-safe: scratch buffers are members.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>

namespace provider {

class PolicyNetwork {
 public:
  // Small random weights from `seed` (uniform in ±1/√fan_in, a common default).
  PolicyNetwork(int features, int hidden, std::uint64_t seed);

  int features() const { return static_cast<int>(w1_.cols()); }
  int hidden() const { return static_cast<int>(w1_.rows()); }
  Eigen::Index num_params() const { return w1_.size() + b1_.size() + w2_.size(); }

  // Scores of the candidates, one per row of `candidates` (n × F).
  const Eigen::VectorXd& scores(const Eigen::MatrixXd& candidates);

  // The same in single precision, for serving: Eigen vectorises float tanh, which keeps a decision
  // on 1000 servers within the 50 µs budget (double tanh is scalar and about 3× slower).
  const Eigen::VectorXf& fast_scores(const Eigen::MatrixXf& candidates);

  // ∇_θ log π(chosen) for the softmax over all rows of `candidates`, given their scores().
  Eigen::VectorXd log_prob_gradient(const Eigen::MatrixXd& candidates, Eigen::Index chosen);

  // θ += step (flat layout as above).
  void apply(const Eigen::VectorXd& step);

  void save(const std::string& path) const;
  static PolicyNetwork load(const std::string& path);  // throws engine::InputError

  bool operator==(const PolicyNetwork& o) const { return w1_ == o.w1_ && b1_ == o.b1_ && w2_ == o.w2_; }

 private:
  PolicyNetwork() = default;
  void refresh_float_copy();

  Eigen::MatrixXd w1_;     // H × F
  Eigen::VectorXd b1_;     // H
  Eigen::VectorXd w2_;     // H
  Eigen::MatrixXd h_;      // n × H scratch: hidden activations of the last scores() call
  Eigen::VectorXd s_;      // n scratch
  Eigen::MatrixXf w1t_f_;  // F × H: W1ᵀ in float
  Eigen::RowVectorXf b1_f_;
  Eigen::VectorXf w2_f_;
  Eigen::MatrixXf h_f_;
  Eigen::VectorXf s_f_;
};

}  // namespace provider
