// BlockCache: a server's bounded LRU cache of model-image blocks (content-addressed by BlockId).
//
// Inserting a block that is not cached evicts the least recently used blocks beyond the capacity.
// The cache also keeps, for every image of an ImageCatalog, how many of that image's distinct
// blocks it holds, updated on every insert and eviction, so that "share of the requested image
// already cached" costs O(1) per server at decision time (the 50 µs budget for 1000 servers).
// Deterministic; not thread-safe (one simulation owns it).
#pragma once

#include <cstdint>
#include <list>
#include <unordered_map>
#include <vector>

#include "sim/provider/image_catalog.hpp"

namespace provider {

class BlockCache {
 public:
  // capacity_blocks may be 0 (no cache: every cold start downloads the whole image).
  BlockCache(const ImageCatalog& catalog, std::int64_t capacity_blocks);

  bool contains(BlockId block) const { return index_.count(block) != 0; }
  std::int64_t size_blocks() const { return static_cast<std::int64_t>(lru_.size()); }
  std::int64_t capacity_blocks() const { return capacity_blocks_; }

  // Distinct blocks of catalog image `image` currently cached.
  std::int64_t cached_blocks_of(int image) const;

  // Marks `block` most recently used, inserting it (and evicting the LRU tail) if absent.
  // Returns true if the block was absent, i.e. had to be downloaded.
  bool touch(BlockId block);

 private:
  void count(BlockId block, int delta);

  const ImageCatalog* catalog_;
  std::int64_t capacity_blocks_;
  std::list<BlockId> lru_;  // front = most recently used
  std::unordered_map<BlockId, std::list<BlockId>::iterator> index_;
  std::vector<std::int64_t> cached_per_image_;  // sized lazily to catalog_->size()
};

}  // namespace provider
