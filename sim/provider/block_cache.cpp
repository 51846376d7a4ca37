// BlockCache implementation: std::list + hash index, per-image counters kept in step.
#include "sim/provider/block_cache.hpp"

namespace provider {

BlockCache::BlockCache(const ImageCatalog& catalog, std::int64_t capacity_blocks)
    : catalog_(&catalog), capacity_blocks_(capacity_blocks < 0 ? 0 : capacity_blocks) {}

std::int64_t BlockCache::cached_blocks_of(int image) const {
  return image >= 0 && image < static_cast<int>(cached_per_image_.size()) ? cached_per_image_[image] : 0;
}

void BlockCache::count(BlockId block, int delta) {
  if (cached_per_image_.size() < catalog_->size()) cached_per_image_.resize(catalog_->size(), 0);
  for (int image : catalog_->images_with_block(block)) cached_per_image_[image] += delta;
}

bool BlockCache::touch(BlockId block) {
  auto it = index_.find(block);
  if (it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return false;
  }
  if (capacity_blocks_ == 0) return true;
  while (static_cast<std::int64_t>(lru_.size()) >= capacity_blocks_) {
    count(lru_.back(), -1);
    index_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(block);
  index_.emplace(block, lru_.begin());
  count(block, +1);
  return true;
}

}  // namespace provider
