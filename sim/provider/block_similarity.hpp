// Block similarity between two serialized versions of a model image: the share of version 2's
// blocks (cut at multiples of block_bytes, last one padded with zeros) whose exact bytes also
// occur among version 1's blocks, i.e. what a content-addressed block cache holding version 1
// would not need to download to start version 2. Exact byte comparison (no hashing shortcuts).
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <span>

namespace provider {

struct BlockSimilarity {
  std::size_t block_bytes = 0;
  std::size_t blocks_v2 = 0;  // blocks of version 2
  std::size_t shared = 0;     // of those, present in version 1
  double share() const { return blocks_v2 ? double(shared) / double(blocks_v2) : 0.0; }
};

BlockSimilarity block_similarity(std::span<const std::byte> v1, std::span<const std::byte> v2, std::size_t block_bytes);

}  // namespace provider
