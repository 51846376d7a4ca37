// ProfileKernel: the simulator's "profile" mode worker kernel (engine::WorkerKernel) — blocks of
// the right sizes and the right declared flops, from a per-layer activation-density profile
// instead of weights and real activations.
//
// Profile: density[k] = nnz(Y_k) / (B·N) for k = 0..L (k = 0: the input images), as an exact or
// live run records it (RunLayer::input_nnz) or as given. Layer k's block for a target carries the
// CommPlan's rows, each with round(B·density[k−1]) nonzeros at seeded pseudo-random images and
// values in (0, 32] (so compression sees realistic entropy). Flops follow the real kernel's count
// (2 per multiply-add): worker p computes its owned columns j of layer k, each needing
// Σ_{i: W_k(i,j)≠0} nnz(Y_{k−1}[:, i]) ≈ nnz_col(W_k, j)·B·density[k−1] multiply-adds; compute_local
// declares the share of input rows owned here, finish_layer the rest.
// Structure (owners, owned columns' nonzeros) comes from an engine::LayerStructure, so layer k
// reads the built layer it maps to (every layer its own one in a full structure); the per-part
// counts are precomputed there, so a layer costs O(1) here besides its blocks.
// Deterministic for a seed. Not thread-safe: one worker's task calls it.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "engine/plan/layer_structure.hpp"
#include "engine/worker/kernel.hpp"

namespace sim {

struct DensityProfile {
  std::vector<double> density;  // [L+1], each in [0, 1]
  // density for layer k, the last one repeated past the end (a profile recorded on fewer layers)
  double at(int k) const;
};

class ProfileKernel final : public engine::WorkerKernel {
 public:
  // structure must outlive the kernel.
  ProfileKernel(const engine::LayerStructure& structure, const DensityProfile& profile, int images, int self,
                std::uint64_t seed);

  engine::RowBlock rows_for(int layer, std::span<const std::int32_t> rows) override;
  double compute_local(int layer) override;
  engine::Result<void> fold(int layer, int source, engine::RowBlock&& block) override;
  double finish_layer(int layer) override;
  engine::RowBlock final_rows() override;
  engine::Result<void> fold_final(int source, engine::RowBlock&& block) override;
  engine::Activations result() override;  // an empty B×N matrix: profile mode computes no values
  std::int64_t owned_nnz() const override;  // owned neurons × round(B·density) of the current layer

 private:
  double layer_flops(int layer) const;  // this worker's multiply-adds × 2 for layer k
  double local_share(int layer) const;  // fraction of its input rows this worker owns

  const engine::LayerStructure& structure_;
  DensityProfile profile_;
  int images_, self_;
  int current_layer_ = 0;  // the k of the Y_k this worker owns now
  std::mt19937_64 rng_;
};

}  // namespace sim
