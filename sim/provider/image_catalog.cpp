// ImageCatalog implementation and block hashing (FNV-1a 64, salted by model family).
#include "sim/provider/image_catalog.hpp"

#include <algorithm>
#include <unordered_set>

namespace provider {
namespace {
// FNV-1a 64-bit (Fowler, Noll, Vo; offset basis and prime from the reference description).
std::uint64_t fnv1a(std::span<const std::byte> bytes, std::uint64_t h) {
  for (std::byte b : bytes) {
    h ^= static_cast<std::uint64_t>(b);
    h *= 1099511628211ull;
  }
  return h;
}
}  // namespace

std::vector<BlockId> block_ids(std::span<const std::byte> bytes, std::size_t block_bytes, std::uint64_t family) {
  std::vector<BlockId> ids;
  std::unordered_set<BlockId> seen;
  const std::vector<std::byte> pad(block_bytes, std::byte{0});
  for (std::size_t off = 0; off < bytes.size(); off += block_bytes) {
    const std::size_t n = std::min(block_bytes, bytes.size() - off);
    std::uint64_t h = fnv1a(bytes.subspan(off, n), 14695981039346656037ull ^ (family * 0x9E3779B97F4A7C15ull));
    if (n < block_bytes) h = fnv1a(std::span<const std::byte>(pad).first(block_bytes - n), h);
    if (seen.insert(h).second) ids.push_back(h);
  }
  return ids;
}

int ImageCatalog::add(ModelImage image) {
  const int index = static_cast<int>(images_.size());
  for (BlockId b : image.blocks) holders_[b].push_back(index);
  images_.push_back(std::move(image));
  return index;
}

const std::vector<int>& ImageCatalog::images_with_block(BlockId block) const {
  static const std::vector<int> none;
  auto it = holders_.find(block);
  return it == holders_.end() ? none : it->second;
}

}  // namespace provider
