// Network and Activations: the value types every part of fsd reads.
//
// A Network has N neurons and L layers; each layer is a sparse N×N weight matrix (row-major CSR,
// float) and a bias that is added to the nonzeros of Z only (the Sparse DNN Graph Challenge rule):
//   Z = Y·W;  Z(i,j) += bias where Z(i,j) ≠ 0;  Y = min(max(Z, 0), ymax).
// Activations are a batch of B sparse rows (one per image) of width N, also row-major CSR.
// Plain values: copying is deep; const access is thread-safe.
#pragma once

#include <Eigen/SparseCore>
#include <cstdint>
#include <vector>

namespace engine {

using SparseMatrix = Eigen::SparseMatrix<float, Eigen::RowMajor, std::int32_t>;

struct Layer {
  SparseMatrix weights;  // N×N, compressed
  float bias = 0.0f;     // added to nonzeros of Z only
};

struct Network {
  int neurons = 0;
  std::vector<Layer> layers;
  float ymax = 32.0f;  // the challenge's activation cap

  int num_layers() const { return static_cast<int>(layers.size()); }
  std::int64_t total_nnz() const {
    std::int64_t n = 0;
    for (const auto& l : layers) n += l.weights.nonZeros();
    return n;
  }
};

// B×N, row i = image i (0-based here; the challenge's files and categories are 1-based).
using Activations = SparseMatrix;

// The Graph Challenge bias for N neurons: −0.3, −0.35, −0.4, −0.45 for 1024, 4096, 16384, 65536.
float graph_challenge_bias(int neurons);

}  // namespace engine
