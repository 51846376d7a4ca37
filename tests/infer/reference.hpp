// Test-only reference: the Graph Challenge rule computed densely in double precision, written
// independently of engine/infer (no sparse products, no shared code). Slow; small inputs only.
#pragma once

#include <cmath>
#include <vector>

#include "engine/model/network.hpp"

namespace ref {

using Dense = std::vector<std::vector<double>>;  // [image][neuron]

inline Dense to_dense(const engine::SparseMatrix& m) {
  Dense d(m.rows(), std::vector<double>(m.cols(), 0.0));
  for (int r = 0; r < m.outerSize(); ++r)
    for (engine::SparseMatrix::InnerIterator it(m, r); it; ++it) d[r][it.col()] = it.value();
  return d;
}

// Y ← min(max(Y·W + bias on structural nonzeros, 0), ymax), layer by layer, all dense.
inline Dense infer(const engine::Network& net, Dense y) {
  const int n = net.neurons;
  for (const engine::Layer& layer : net.layers) {
    const Dense w = to_dense(layer.weights);
    std::vector<char> pattern_w(static_cast<std::size_t>(n) * n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) pattern_w[static_cast<std::size_t>(i) * n + j] = layer.weights.coeff(i, j) != 0.0f;
    for (auto& row : y) {
      std::vector<double> z(n, 0.0);
      std::vector<char> present(n, 0);
      for (int i = 0; i < n; ++i) {
        if (row[i] == 0.0) continue;
        for (int j = 0; j < n; ++j) {
          z[j] += row[i] * w[i][j];
          present[j] |= pattern_w[static_cast<std::size_t>(i) * n + j];
        }
      }
      for (int j = 0; j < n; ++j) {
        const double v = present[j] ? z[j] + layer.bias : 0.0;
        row[j] = std::min(std::max(v, 0.0), static_cast<double>(net.ymax));
      }
    }
  }
  return y;
}

}  // namespace ref
