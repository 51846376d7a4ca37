// IDX images (the MNIST / Fashion-MNIST format: Debian's dataset-fashion-mnist ships them gzipped)
// turned into Graph Challenge-style inputs for any N that is a perfect square: each 28×28 image is
// resized to √N×√N by bilinear interpolation (pixel centres aligned) and binarized (intensity ≥
// 128 → 1, else absent), as the challenge made its inputs from MNIST. Pixel (y, x) → neuron y·√N + x.
// read_idx_grey_images / read_idx_labels give the raw grey levels and labels (for training).
// Reads gzip or raw files (zlib detects which). A wrong magic number, bad dimensions, fewer images
// than asked for, a truncated or corrupt file → engine::InputError naming the file.
// Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/network.hpp"

namespace engine {

// Debian's Fashion-MNIST training images (60,000).
inline constexpr const char* kFashionMnistTrainImages = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

// The first `count` images, B×N (count ≥ 1). Throws InputError (also if N is not a perfect square).
Activations read_idx_images(const std::string& path, int neurons, int count);

// Every image of an IDX file as grey levels 0..255: count × rows × cols bytes, row-major.
// Trailing bytes after the last image are an error, as is any of the errors above.
struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;
};
IdxImages read_idx_grey_images(const std::string& path);

// Every label of an IDX label file (magic 0x00000801). Throws InputError as above.
std::vector<std::uint8_t> read_idx_labels(const std::string& path);

}  // namespace engine
