// PolicyNetwork implementation: forward pass, hand-derived gradient of log-softmax, strict file I/O.
#include "sim/provider/policy_network.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "engine/common/input_error.hpp"

namespace provider {

PolicyNetwork::PolicyNetwork(int features, int hidden, std::uint64_t seed)
    : w1_(hidden, features), b1_(Eigen::VectorXd::Zero(hidden)), w2_(hidden) {
  std::mt19937_64 rng(seed);
  // Uniform in [-1, 1) from the top 53 bits: the same numbers on every standard library.
  auto uniform = [&rng] { return static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0; };
  for (Eigen::Index i = 0; i < w1_.size(); ++i) w1_.data()[i] = uniform() / std::sqrt(double(features));
  for (Eigen::Index i = 0; i < w2_.size(); ++i) w2_[i] = uniform() / std::sqrt(double(hidden));
  refresh_float_copy();
}

void PolicyNetwork::refresh_float_copy() {
  w1t_f_ = w1_.transpose().cast<float>();
  b1_f_ = b1_.transpose().cast<float>();
  w2_f_ = w2_.cast<float>();
}

const Eigen::VectorXf& PolicyNetwork::fast_scores(const Eigen::MatrixXf& candidates) {
  h_f_.resize(candidates.rows(), w1t_f_.cols());
  h_f_.noalias() = candidates * w1t_f_;
  h_f_.rowwise() += b1_f_;
  h_f_ = h_f_.array().tanh();
  s_f_.resize(candidates.rows());
  s_f_.noalias() = h_f_ * w2_f_;
  return s_f_;
}

const Eigen::VectorXd& PolicyNetwork::scores(const Eigen::MatrixXd& candidates) {
  h_ = ((candidates * w1_.transpose()).rowwise() + b1_.transpose()).array().tanh();
  s_ = h_ * w2_;
  return s_;
}

Eigen::VectorXd PolicyNetwork::log_prob_gradient(const Eigen::MatrixXd& candidates, Eigen::Index chosen) {
  // c_i = [i = a] − π(i);  ∂/∂w2 = Hᵀc;  G = (1 − H∘H) ∘ (c w2ᵀ);  ∂/∂W1 = Gᵀ F;  ∂/∂b1 = Gᵀ 1.
  Eigen::VectorXd p = (s_.array() - s_.maxCoeff()).exp();
  p /= p.sum();
  Eigen::VectorXd c = -p;
  c[chosen] += 1.0;
  const Eigen::MatrixXd g = (1.0 - h_.array().square()).matrix().cwiseProduct(c * w2_.transpose());
  const Eigen::MatrixXd dw1 = g.transpose() * candidates;  // H × F
  Eigen::VectorXd grad(num_params());
  Eigen::Index k = 0;
  for (Eigen::Index r = 0; r < dw1.rows(); ++r)
    for (Eigen::Index col = 0; col < dw1.cols(); ++col) grad[k++] = dw1(r, col);
  grad.segment(k, b1_.size()) = g.colwise().sum().transpose();
  k += b1_.size();
  grad.segment(k, w2_.size()) = h_.transpose() * c;
  return grad;
}

void PolicyNetwork::apply(const Eigen::VectorXd& step) {
  if (step.size() != num_params()) throw std::logic_error("PolicyNetwork::apply(): wrong step size");
  Eigen::Index k = 0;
  for (Eigen::Index r = 0; r < w1_.rows(); ++r)
    for (Eigen::Index col = 0; col < w1_.cols(); ++col) w1_(r, col) += step[k++];
  b1_ += step.segment(k, b1_.size());
  k += b1_.size();
  w2_ += step.segment(k, w2_.size());
  refresh_float_copy();
}

void PolicyNetwork::save(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out.precision(std::numeric_limits<double>::max_digits10);
    out << "fsd-provider-policy 1\nfeatures " << features() << " hidden " << hidden() << "\n";
    for (Eigen::Index r = 0; r < w1_.rows(); ++r) {
      for (Eigen::Index col = 0; col < w1_.cols(); ++col) out << (col ? " " : "") << w1_(r, col);
      out << "\n";
    }
    for (const Eigen::VectorXd* v : {&b1_, &w2_}) {
      for (Eigen::Index i = 0; i < v->size(); ++i) out << (i ? " " : "") << (*v)[i];
      out << "\n";
    }
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

namespace {
// Reads one line of exactly `n` finite numbers, or throws InputError at that line.
std::vector<double> read_numbers(std::istream& in, const std::string& path, std::size_t& line_no, std::size_t n) {
  std::string line;
  ++line_no;
  if (!std::getline(in, line)) throw engine::InputError(path, line_no, "unexpected end of file");
  std::istringstream ls(line);
  std::vector<double> v;
  std::string token;
  while (ls >> token) {
    std::size_t used = 0;
    double x = 0;
    try {
      x = std::stod(token, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != token.size() || !std::isfinite(x))
      throw engine::InputError(path, line_no, "expected a finite number, got '" + token + "'");
    v.push_back(x);
  }
  if (v.size() != n)
    throw engine::InputError(path, line_no,
                             "expected " + std::to_string(n) + " numbers, got " + std::to_string(v.size()));
  return v;
}
}  // namespace

PolicyNetwork PolicyNetwork::load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw engine::InputError(path, 0, "cannot open policy weights file");
  std::string line;
  std::size_t line_no = 1;
  if (!std::getline(in, line) || line != "fsd-provider-policy 1")
    throw engine::InputError(path, 1, "expected header 'fsd-provider-policy 1'");
  ++line_no;
  std::string k1, k2, extra;
  long f = 0, h = 0;
  if (!std::getline(in, line)) throw engine::InputError(path, line_no, "unexpected end of file");
  std::istringstream ls(line);
  if (!(ls >> k1 >> f >> k2 >> h) || k1 != "features" || k2 != "hidden" || (ls >> extra) || f < 1 || f > 64 || h < 1 ||
      h > 4096)
    throw engine::InputError(path, line_no, "expected 'features <1..64> hidden <1..4096>'");
  PolicyNetwork net;
  net.w1_.resize(h, f);
  net.b1_.resize(h);
  net.w2_.resize(h);
  for (long r = 0; r < h; ++r) {
    const auto row = read_numbers(in, path, line_no, static_cast<std::size_t>(f));
    for (long col = 0; col < f; ++col) net.w1_(r, col) = row[static_cast<std::size_t>(col)];
  }
  net.b1_ = Eigen::Map<const Eigen::VectorXd>(read_numbers(in, path, line_no, h).data(), h);
  net.w2_ = Eigen::Map<const Eigen::VectorXd>(read_numbers(in, path, line_no, h).data(), h);
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") != std::string::npos)
      throw engine::InputError(path, line_no, "unexpected content after the weights");
  }
  net.refresh_float_copy();
  return net;
}

}  // namespace provider
