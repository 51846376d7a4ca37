// Wire format of activation blocks, shared by every channel (docs/ENGINE.md, "Wire format").
//
// A block for (layer, source, target) is serialised as a little-endian binary frame
//   magic "FSD1" | i32 layer, source, target | i32 rows | i64 nnz |
//   i32 neurons[rows] | i32 counts[rows] | i32 images[nnz] | f32 values[nnz]
// (columnar, so zstd finds the repetition in each array), then compressed:
//   frame = 'Z' + zstd(raw, with content size and checksum)   or   'R' + raw (compression off).
// The queue channel sends frames as text (to_text: Ascii85-style base-85, 4 bytes → 5
// characters, all in '!'..'u', legal in SQS bodies); the object channel stores frames as is.
//
// decode_block() trusts nothing: it checks the codec byte, the decompressed size against what the
// limits allow (no decompression bombs), the magic, that the header names the expected (layer,
// source, target), that sizes add up exactly, that neurons are ascending in [0, neurons), images
// ascending in [0, images) within each row, and values finite and > 0. Any violation is an
// ErrorCode::kInvalidInput naming what is wrong; nothing is read out of bounds.
// Pure functions; thread-safe. Assumes a little-endian host (x86-64, arm64), checked at compile time.
#pragma once

#include <string>
#include <string_view>

#include "engine/channel/row_block.hpp"
#include "engine/common/result.hpp"

namespace engine::wire {

struct BlockId {
  int layer = 0, source = 0, target = 0;
  bool operator==(const BlockId&) const = default;
};

struct Limits {
  int neurons = 0;  // N: neuron indices must be < neurons
  int images = 0;   // B: image indices must be < images
};

// compression_level: zstd level (negative = faster, 1..19 = smaller); compress=false → 'R' frame.
std::string encode_block(const BlockId& id, const RowBlock& block, bool compress, int compression_level);
Result<RowBlock> decode_block(std::string_view frame, const BlockId& expected, const Limits& limits);

// Binary ↔ SQS-legal text. to_text makes ⌈5n/4⌉ characters (a final group of m < 4 bytes takes
// m + 1); from_text rejects characters outside '!'..'u', a final group of 1 character, and
// groups whose value exceeds 2^32 − 1.
std::string to_text(std::string_view bytes);
Result<std::string> from_text(std::string_view text);
std::size_t text_size(std::size_t bytes);  // = to_text(bytes).size()

}  // namespace engine::wire
