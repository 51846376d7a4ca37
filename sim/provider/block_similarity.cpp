// block_similarity implementation: a set of version 1's padded blocks, looked up per version 2 block.
#include "sim/provider/block_similarity.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace provider {
namespace {
std::string padded_block(std::span<const std::byte> bytes, std::size_t off, std::size_t block_bytes) {
  std::string b(block_bytes, '\0');
  const std::size_t n = std::min(block_bytes, bytes.size() - off);
  std::copy_n(reinterpret_cast<const char*>(bytes.data()) + off, n, b.data());
  return b;
}
}  // namespace

BlockSimilarity block_similarity(std::span<const std::byte> v1, std::span<const std::byte> v2,
                                 std::size_t block_bytes) {
  if (block_bytes == 0) throw std::invalid_argument("block_similarity(): block_bytes must be > 0");
  std::unordered_set<std::string> blocks_v1;
  for (std::size_t off = 0; off < v1.size(); off += block_bytes) blocks_v1.insert(padded_block(v1, off, block_bytes));
  BlockSimilarity s;
  s.block_bytes = block_bytes;
  for (std::size_t off = 0; off < v2.size(); off += block_bytes) {
    ++s.blocks_v2;
    s.shared += blocks_v1.count(padded_block(v2, off, block_bytes));
  }
  return s;
}

}  // namespace provider
