#include "engine/infer/layer_kernel.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <thread>

#include "engine/infer/detail/row_kernel.hpp"

namespace engine {
namespace {

// All stored weights equal? Then the kernel sums activations and scales once.
bool uniform_values(const SparseMatrix& w, float& value) {
  const float* v = w.valuePtr();
  const Eigen::Index n = w.nonZeros();
  if (n == 0) return false;
  value = v[0];
  return std::all_of(v, v + n, [&](float x) { return x == v[0]; });
}

void check_square(const Layer& layer) {
  if (layer.weights.rows() != layer.weights.cols() || !layer.weights.isCompressed())
    throw std::invalid_argument("LayerSlice: the layer's weights must be a square, compressed matrix");
}

}  // namespace

LayerSlice::LayerSlice(const Layer& layer, float ymax)
    : neurons_(static_cast<int>(layer.weights.rows())), bias_(layer.bias), ymax_(ymax), whole_(&layer.weights) {
  check_square(layer);
  uniform_ = uniform_values(layer.weights, weight_);
  out_neurons_.resize(neurons_);
  for (int j = 0; j < neurons_; ++j) out_neurons_[j] = j;
}

LayerSlice::LayerSlice(const Layer& layer, std::span<const std::int32_t> out_neurons, float ymax)
    : neurons_(static_cast<int>(layer.weights.rows())), bias_(layer.bias), ymax_(ymax),
      out_neurons_(out_neurons.begin(), out_neurons.end()) {
  check_square(layer);
  uniform_ = uniform_values(layer.weights, weight_);
  std::sort(out_neurons_.begin(), out_neurons_.end());
  std::vector<std::int32_t> local(neurons_, -1);
  for (std::size_t k = 0; k < out_neurons_.size(); ++k) {
    const std::int32_t j = out_neurons_[k];
    if (j < 0 || j >= neurons_) throw std::invalid_argument("LayerSlice: neuron " + std::to_string(j) + " out of range");
    if (local[j] >= 0) throw std::invalid_argument("LayerSlice: neuron " + std::to_string(j) + " repeated");
    local[j] = static_cast<std::int32_t>(k);
  }
  // W_k[:, out_neurons] with local column ids; columns stay ascending because out_neurons is sorted.
  const SparseMatrix& w = layer.weights;
  row_begin_.assign(neurons_ + 1, 0);
  for (int i = 0; i < neurons_; ++i) {
    for (SparseMatrix::InnerIterator it(w, i); it; ++it) {
      const std::int32_t j = local[it.col()];
      if (j < 0) continue;
      cols_.push_back(j);
      if (!uniform_) values_.push_back(it.value());
    }
    row_begin_[i + 1] = static_cast<std::int32_t>(cols_.size());
  }
}

std::vector<std::int32_t> LayerSlice::needed_inputs() const {
  const View v = view();
  std::vector<std::int32_t> rows;
  for (int i = 0; i < neurons_; ++i)
    if (v.row_begin[i + 1] > v.row_begin[i]) rows.push_back(i);
  return rows;
}

LayerSlice::View LayerSlice::view() const {
  if (whole_)
    return {whole_->outerIndexPtr(), whole_->innerIndexPtr(), uniform_ ? nullptr : whole_->valuePtr(), nullptr,
            neurons_, weight_, bias_, ymax_, uniform_};
  return {row_begin_.data(), cols_.data(), uniform_ ? nullptr : values_.data(), out_neurons_.data(),
          static_cast<int>(out_neurons_.size()), weight_, bias_, ymax_, uniform_};
}

Activations apply_layer(const LayerSlice& slice, const Activations& y_in, int threads) {
  if (y_in.cols() != slice.neurons())
    throw std::invalid_argument("apply_layer: Y_in has " + std::to_string(y_in.cols()) + " columns, the layer " +
                                std::to_string(slice.neurons()) + " neurons");
  if (!y_in.isCompressed()) throw std::invalid_argument("apply_layer: Y_in must be compressed");
  const LayerSlice::View w = slice.view();
  const int images = static_cast<int>(y_in.rows());
  threads = std::clamp(threads, 1, std::max(1, images));

  // Each thread computes a contiguous block of images into its own buffers; blocks are then
  // concatenated in order, so the result does not depend on the thread count.
  struct Part {
    std::vector<std::int32_t> row_nnz, cols;
    std::vector<float> vals;
  };
  std::vector<Part> parts(threads);
  auto run = [&](int t) {
    const int first = static_cast<int>(static_cast<std::int64_t>(images) * t / threads);
    const int last = static_cast<int>(static_cast<std::int64_t>(images) * (t + 1) / threads);
    std::vector<float> acc(w.width, 0.0f);
    std::vector<std::uint64_t> touched((w.width + 63) / 64, 0);
    std::vector<std::int32_t> row_cols(w.width);
    std::vector<float> row_vals(w.width);
    Part& part = parts[t];
    part.row_nnz.reserve(last - first);
    for (int b = first; b < last; ++b) {
      const std::int32_t begin = y_in.outerIndexPtr()[b], end = y_in.outerIndexPtr()[b + 1];
      const int n = detail::layer_row(w, y_in.innerIndexPtr() + begin, y_in.valuePtr() + begin, end - begin,
                                      acc.data(), touched.data(), row_cols.data(), row_vals.data());
      part.row_nnz.push_back(n);
      part.cols.insert(part.cols.end(), row_cols.begin(), row_cols.begin() + n);
      part.vals.insert(part.vals.end(), row_vals.begin(), row_vals.begin() + n);
    }
  };
  if (threads == 1) {
    run(0);
  } else {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(run, t);
  }

  std::size_t nnz = 0;
  for (const Part& p : parts) nnz += p.cols.size();
  Activations y_out(images, slice.neurons());
  y_out.resizeNonZeros(static_cast<Eigen::Index>(nnz));
  std::int32_t* outer = y_out.outerIndexPtr();
  outer[0] = 0;
  int b = 0;
  std::size_t at = 0;
  for (const Part& p : parts) {
    for (std::int32_t n : p.row_nnz) {
      outer[b + 1] = outer[b] + n;
      ++b;
    }
    std::copy(p.cols.begin(), p.cols.end(), y_out.innerIndexPtr() + at);
    std::copy(p.vals.begin(), p.vals.end(), y_out.valuePtr() + at);
    at += p.cols.size();
  }
  return y_out;
}

std::vector<std::int32_t> categories(const Activations& y) {
  std::vector<std::int32_t> rows;
  for (Eigen::Index r = 0; r < y.outerSize(); ++r) {
    const std::int32_t n = y.isCompressed() ? y.outerIndexPtr()[r + 1] - y.outerIndexPtr()[r] : y.innerNonZeroPtr()[r];
    if (n > 0) rows.push_back(static_cast<std::int32_t>(r));
  }
  return rows;
}

}  // namespace engine
