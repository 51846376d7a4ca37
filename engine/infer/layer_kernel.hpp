// The layer kernel: one Graph Challenge layer for all images, restricted to a chosen set of output
// neurons — the computation a distributed worker does for the neurons it owns (the serial engine
// in infer.hpp runs the same row routine over all neurons, so results agree bit for bit).
//
//   Y_out(b, j) = min(max(Z(b, j) + bias, 0), ymax)   where Z = Y_in · W_k and Z(b, j) is a structural
//   nonzero (some Y_in(b, i)·W_k(i, j) term exists); entries that are not > 0 are dropped.
//
// Shapes and indices — all GLOBAL neuron ids, nothing is renumbered for the caller:
//   Y_in   B×N row-major CSR: row b = image b, column i = neuron i of layer k−1. It must hold every
//          input neuron in needed_inputs() (what the CommPlan sends plus the worker's own); other
//          columns may be present or absent, they do not change the result.
//   W_k    N×N (the Layer), read through the slice; the Layer must outlive the slice.
//   Y_out  B×N row-major CSR with nonzeros only in the slice's out_neurons columns; all B rows kept
//          (empty rows for images with nothing left). Disjoint slices' outputs add up to the full
//          layer output (A + B in Eigen), exactly.
// Arithmetic: for each image the products are summed in ascending input-neuron order, so any
// worker gets the same floats as the serial engine whatever order its inputs arrived in. When all
// weights of W_k are equal (w, the generated and challenge networks: 1/16), Z = w·Σ Y_in, skipping
// the weight loads; uniformity is decided on the whole layer so every slice makes the same choice.
// Thread-safety: a LayerSlice is immutable after construction; apply_layer may be called from many
// threads on the same slice. apply_layer(threads > 1) splits images across std::threads.
//
// Example (worker p of layer k):
//   engine::LayerSlice slice(net.layers[k - 1], my_neurons, net.ymax);   // once per layer and run
//   engine::Activations y_k = engine::apply_layer(slice, y_in_with_received_rows);
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/model/network.hpp"

namespace engine {

class LayerSlice {
 public:
  // out_neurons: distinct global neuron ids in [0, N), any order (stored sorted).
  // Throws std::invalid_argument on an id out of range or repeated, or a non-square layer.
  LayerSlice(const Layer& layer, std::span<const std::int32_t> out_neurons, float ymax);
  // Every neuron of the layer; no copy of the weights is made.
  LayerSlice(const Layer& layer, float ymax);

  int neurons() const { return neurons_; }
  const std::vector<std::int32_t>& out_neurons() const { return out_neurons_; }  // ascending
  bool uniform_weights() const { return uniform_; }
  // Input neurons i with W_k(i, j) ≠ 0 for some owned j, ascending: what Y_in must contain.
  std::vector<std::int32_t> needed_inputs() const;

  // Internal view for the kernels (CSR over N input rows; column ids are local when sliced).
  struct View {
    const std::int32_t* row_begin;   // N+1 offsets
    const std::int32_t* cols;        // local output ids in [0, width)
    const float* values;             // nullptr when uniform
    const std::int32_t* to_global;   // local → global id; nullptr when the slice is the whole layer
    int width;                       // number of output neurons
    float weight, bias, ymax;
    bool uniform;
  };
  View view() const;

 private:
  int neurons_ = 0;
  float bias_ = 0, ymax_ = 0, weight_ = 0;
  bool uniform_ = false;
  const SparseMatrix* whole_ = nullptr;  // set when the slice is the whole layer
  std::vector<std::int32_t> out_neurons_;
  std::vector<std::int32_t> row_begin_, cols_;  // sliced CSR (empty for whole)
  std::vector<float> values_;
};

// Y_out for the slice's neurons; see the file comment for shapes. threads ≥ 1.
// Throws std::invalid_argument if y_in.cols() ≠ N.
Activations apply_layer(const LayerSlice& slice, const Activations& y_in, int threads = 1);

// The challenge's categories: 0-based rows of Y with at least one nonzero, ascending
// (add 1 for the challenge's files and the CLI).
std::vector<std::int32_t> categories(const Activations& y);

}  // namespace engine
