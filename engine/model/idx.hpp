// IDX images (the MNIST / Fashion-MNIST format: Debian's dataset-fashion-mnist ships them gzipped)
// turned into Graph Challenge-style inputs for any N that is a perfect square: each 28×28 image is
// resized to √N×√N by bilinear interpolation (pixel centres aligned) and binarized (intensity ≥
// 128 → 1, else absent), as the challenge made its inputs from MNIST. Pixel (y, x) → neuron y·√N + x.
// Reads gzip or raw files (zlib detects which). A wrong magic number, bad dimensions, fewer images
// than asked for, a truncated or corrupt file → engine::InputError naming the file.
// Stateless; thread-safe.
#pragma once

#include <string>

#include "engine/model/network.hpp"

namespace engine {

// Debian's Fashion-MNIST training images (60,000).
inline constexpr const char* kFashionMnistTrainImages = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

// The first `count` images, B×N (count ≥ 1). Throws InputError (also if N is not a perfect square).
Activations read_idx_images(const std::string& path, int neurons, int count);

}  // namespace engine
