// Two versions of a really retrained model: a 784-512-512-10 ReLU MLP (float32, Eigen) trained with
// plain minibatch SGD (batch 64, learning rate 0.05, softmax cross-entropy, seeded init) on the
// first 30,000 Fashion-MNIST training images → version 1; training continues on the other 30,000
// → version 2. FineTune::kAllLayers updates every weight; kFrozenFirstLayer keeps the first layer
// (the feature extractor) fixed in the second phase, as fine-tuning often does.
// Serialized image: W1 (784 rows of 512, one row per input pixel), b1, W2, b2, W3, b3, float32,
// back to back. Weights of pixels that are zero in every image of the second phase get no gradient
// and so stay bit-identical even under kAllLayers; everything else changes.
// Deterministic for a seed on one machine (Eigen's summation order may differ across CPUs);
// takes tens of seconds; single-threaded.
#pragma once

#include <cstdint>
#include <string>

#include "sim/provider/model_versions.hpp"

namespace provider {

enum class FineTune { kAllLayers, kFrozenFirstLayer };
const char* to_string(FineTune mode);

struct FashionVersionsReport {
  double test_accuracy_v1 = 0, test_accuracy_v2 = 0;  // on the 10,000 test images
};

// `dir` holds train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-*.gz.
// `train_images` (≤ 60,000, even) limits the data: the first half trains v1, the second half v2.
ImageVersions fashion_mnist_versions(const std::string& dir, FineTune mode, std::uint64_t seed,
                                     FashionVersionsReport* report = nullptr, int train_images = 60000,
                                     int hidden = 512);

}  // namespace provider
