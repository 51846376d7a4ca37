// ImageCatalog: the model images a cluster serves, each a list of fixed-size content-addressed
// blocks, and the reverse index block → images that contain it (used by BlockCache's counters).
//
// An image's bytes are cut into blocks of block_bytes (the last one padded, so every block costs
// block_bytes to download); a block's id is the 64-bit FNV-1a hash of its bytes mixed with a
// `family` salt, so two different functions' models never share blocks by accident while two
// versions of one model share exactly their identical blocks. Images keep distinct blocks only
// (a content-addressed store downloads a repeated block once). Deterministic; not thread-safe to
// mutate, safe to read from many threads. Add every image before any BlockCache is filled.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace provider {

using BlockId = std::uint64_t;

struct ModelImage {
  std::string name;
  std::vector<BlockId> blocks;  // distinct, in order of first appearance
};

// Block ids of `bytes` cut into block_bytes pieces, duplicates removed (first occurrence kept).
std::vector<BlockId> block_ids(std::span<const std::byte> bytes, std::size_t block_bytes, std::uint64_t family);

class ImageCatalog {
 public:
  explicit ImageCatalog(std::int64_t block_bytes) : block_bytes_(block_bytes) {}

  int add(ModelImage image);  // returns the image's index
  const ModelImage& image(int index) const { return images_.at(static_cast<std::size_t>(index)); }
  std::size_t size() const { return images_.size(); }
  std::int64_t block_bytes() const { return block_bytes_; }
  const std::vector<int>& images_with_block(BlockId block) const;

 private:
  std::int64_t block_bytes_;
  std::vector<ModelImage> images_;
  std::unordered_map<BlockId, std::vector<int>> holders_;
};

}  // namespace provider
