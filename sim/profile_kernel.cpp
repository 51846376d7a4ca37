// ProfileKernel: synthetic blocks with the profile's nonzero counts; flops from W's column counts.
#include "sim/profile_kernel.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sim {

double DensityProfile::at(int k) const {
  if (density.empty()) throw std::logic_error("sim::DensityProfile: empty profile");
  return density[std::min<std::size_t>(std::max(k, 0), density.size() - 1)];
}

ProfileKernel::ProfileKernel(const engine::LayerStructure& structure, const DensityProfile& profile, int images,
                             int self, std::uint64_t seed)
    : structure_(structure), profile_(profile), images_(images), self_(self),
      rng_(seed * 1000003 + static_cast<std::uint64_t>(self)) {}

engine::RowBlock ProfileKernel::rows_for(int layer, std::span<const std::int32_t> rows) {
  engine::RowBlock b;
  const int per_row =
      std::clamp(static_cast<int>(std::lround(images_ * profile_.at(layer - 1))), 0, images_);
  std::uniform_real_distribution<float> value(0.5f, 32.0f);
  for (const std::int32_t neuron : rows) {
    if (per_row == 0) break;  // rows with no nonzero may be left out
    b.add_row(neuron);
    // per_row distinct sorted images: one in each of per_row equal strides, at a random offset.
    const double stride = static_cast<double>(images_) / per_row;
    for (int j = 0; j < per_row; ++j) {
      const auto lo = static_cast<std::int32_t>(j * stride);
      const auto hi = std::max(lo + 1, static_cast<std::int32_t>((j + 1) * stride));
      const auto image = lo + static_cast<std::int32_t>(rng_() % static_cast<std::uint64_t>(hi - lo));
      const float v = value(rng_);
      b.add_value(image, v > 16.0f ? 32.0f : v);  // about half the activations sit at the cap
    }
  }
  return b;
}

double ProfileKernel::layer_flops(int layer) const {
  const auto col_nnz = static_cast<double>(structure_.owned_weights(layer, self_));
  return 2.0 * col_nnz * images_ * profile_.at(layer - 1);
}

double ProfileKernel::local_share(int layer) const {
  const auto n = static_cast<double>(structure_.built.neurons);
  return n == 0 ? 0 : structure_.owned_input_neurons(layer, self_) / n;
}

double ProfileKernel::compute_local(int layer) { return layer_flops(layer) * local_share(layer); }

engine::Result<void> ProfileKernel::fold(int, int, engine::RowBlock&&) { return engine::Ok{}; }

double ProfileKernel::finish_layer(int layer) {
  current_layer_ = layer;
  return layer_flops(layer) * (1 - local_share(layer));
}

std::int64_t ProfileKernel::owned_nnz() const {
  const std::int64_t owned = structure_.owned_output_neurons(current_layer_, self_);
  return owned * std::lround(images_ * profile_.at(current_layer_));
}

engine::RowBlock ProfileKernel::final_rows() {
  const int layers = structure_.layers();
  std::vector<std::int32_t> owned;
  const auto& owner = structure_.output_owner(layers);
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(owner.size()); ++i)
    if (owner[i] == self_) owned.push_back(i);
  return rows_for(layers + 1, owned);
}

engine::Result<void> ProfileKernel::fold_final(int, engine::RowBlock&&) { return engine::Ok{}; }

engine::Activations ProfileKernel::result() { return engine::Activations(images_, structure_.built.neurons); }

}  // namespace sim
