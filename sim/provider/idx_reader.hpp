// Minimal reader of gzip-compressed IDX files (the MNIST / Fashion-MNIST format, LeCun et al.):
// big-endian magic 0x00000803 (images: count, rows, cols, then bytes) or 0x00000801 (labels:
// count, then bytes). Strict: a missing file, bad gzip, wrong magic, implausible dimensions or a
// short or long payload throws engine::InputError naming the file. Pure functions; thread-safe.
// (Written here because engine/model had no IDX reader when the provider needed one.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace provider {

struct IdxImages {
  int count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // count × rows × cols, row-major
};

IdxImages read_idx_images(const std::string& path);
std::vector<std::uint8_t> read_idx_labels(const std::string& path);

}  // namespace provider
