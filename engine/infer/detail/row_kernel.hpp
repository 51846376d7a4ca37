// Internal: one image row through one layer (row-wise Gustavson with a dense accumulator).
// Shared by apply_layer and the serial engine so both produce the same floats.
//
// Scratch: acc[width] all zero and touched[(width + 63) / 64] all zero on entry, and left so on exit.
// Output: the surviving (global neuron, value) pairs in ascending neuron order; returns how many.
// Not thread-safe on shared scratch: one scratch per thread.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>

#include "engine/infer/layer_kernel.hpp"

namespace engine::detail {

// Col: the integer type of the input's column ids (int32, or uint16 when N ≤ 65536 to save memory).
template <bool kUniform, class Col>
inline int layer_row(const LayerSlice::View& w, const Col* y_cols, const float* y_vals, int y_nnz,
                     float* acc, std::uint64_t* touched, std::int32_t* out_cols, float* out_vals) {
  // Z(b, :) = Σ_i Y(b, i) · W(i, :), summed in ascending i; touched marks Z's structural nonzeros.
  for (int p = 0; p < y_nnz; ++p) {
    const std::int32_t i = static_cast<std::int32_t>(y_cols[p]);
    const float v = y_vals[p];
    const std::int32_t end = w.row_begin[i + 1];
    for (std::int32_t q = w.row_begin[i]; q < end; ++q) {
      const std::int32_t j = w.cols[q];
      acc[j] += kUniform ? v : v * w.values[q];
      touched[j >> 6] |= std::uint64_t{1} << (j & 63);
    }
  }
  // Y(b, j) = min(max(Z(b, j) + bias, 0), ymax) on the structural nonzeros; keep only > 0.
  int n = 0;
  const int words = (w.width + 63) >> 6;
  for (int word = 0; word < words; ++word) {
    std::uint64_t bits = touched[word];
    if (!bits) continue;
    touched[word] = 0;
    do {
      const int j = (word << 6) + std::countr_zero(bits);
      bits &= bits - 1;
      const float z = (kUniform ? acc[j] * w.weight : acc[j]) + w.bias;
      acc[j] = 0.0f;
      if (z > 0.0f) {
        out_cols[n] = w.to_global ? w.to_global[j] : j;
        out_vals[n] = std::min(z, w.ymax);
        ++n;
      }
    } while (bits);
  }
  return n;
}

template <class Col>
inline int layer_row(const LayerSlice::View& w, const Col* y_cols, const float* y_vals, int y_nnz,
                     float* acc, std::uint64_t* touched, std::int32_t* out_cols, float* out_vals) {
  return w.uniform ? layer_row<true, Col>(w, y_cols, y_vals, y_nnz, acc, touched, out_cols, out_vals)
                   : layer_row<false, Col>(w, y_cols, y_vals, y_nnz, acc, touched, out_cols, out_vals);
}

}  // namespace engine::detail
