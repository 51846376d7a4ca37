// The serial engine: a whole network over a batch of images, in one process (optionally several
// threads). Same rule and same floats as apply_layer (layer_kernel.hpp), organised for speed:
//  - images are independent, so they are processed in fixed blocks of kBlockImages; threads take
//    blocks dynamically, layer after layer (a barrier between layers keeps W_k hot in cache);
//  - an image whose activations die (row all zero) stays dead — 0·W = 0 and the bias touches
//    nonzeros only — so it is dropped and costs nothing in later layers;
//  - uniform layers (every weight 1/16) sum activations and scale once (no weight loads);
//  - a saturated row (all N neurons at ymax — what the challenge-shaped networks drive live images
//    to within ~10 layers) is stored as a flag, and its image under layer k is computed once per
//    layer by the same row routine, so every later saturated row costs O(1) and gives the same floats.
// Deterministic: the result does not depend on the thread count. Does not read the clock (callers
// time it). Thread-safe: reads net and images only.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/network.hpp"

namespace engine {

struct InferOptions {
  int threads = 1;
  // If set, receives nnz(Y_k) for k = 1..L (saturated rows count N): the activation density
  // profile, for memory budgets and the cost model.
  std::vector<std::int64_t>* layer_nonzeros = nullptr;
};

// Y_L for the B×N images (row b = image b, column = neuron; all B rows kept). Throws
// std::invalid_argument if images.cols() ≠ net.neurons or the network has no layers.
Activations infer(const Network& net, const Activations& images, const InferOptions& options = {});

// Challenge metric: images × Σ_k nnz(W_k) / seconds.
double edges_per_second(const Network& net, std::int64_t images, double seconds);

}  // namespace engine
