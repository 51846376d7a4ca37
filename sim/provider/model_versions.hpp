// Two versions of a model image as serialized bytes, for block similarity and cold-start costs.
//
// graphchallenge_versions: partitions are Graph Challenge layers (n1024-l<k>.mtx, read with
//   engine::read_matrix_market). Each layer is serialized as CSR: rows+1 row offsets (int32),
//   then column indices (int32), then values (float32), little-endian as in memory. Version 1 is
//   layers 1..layers. Version 2 "retrains" the last retrained_layers of them with the sparsity mask
//   kept (fine-tuning a pruned network): every value of those layers becomes w·(1 + 0.01·z),
//   z uniform in [−1, 1) from `seed`. So their index arrays stay identical, their values all change.
// synthetic_versions: size_bytes of seeded random bytes; version 2 replaces a contiguous tail of
//   (1 − shared_fraction) of the blocks (at block_bytes granularity) by fresh random bytes.
// Deterministic for a seed; pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/model/network.hpp"

namespace provider {

struct ImageVersions {
  std::vector<std::byte> v1, v2;
};

// CSR bytes of one sparse layer (the layout above).
void append_csr_bytes(const engine::SparseMatrix& m, std::vector<std::byte>& out);

ImageVersions graphchallenge_versions(const std::string& dir, int layers, int retrained_layers, std::uint64_t seed);

ImageVersions synthetic_versions(std::size_t size_bytes, double shared_fraction, std::size_t block_bytes,
                                 std::uint64_t seed);

}  // namespace provider
