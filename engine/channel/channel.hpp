// Channel: how one worker exchanges activation rows with the others, layer by layer.
//
// A worker owns one Channel (it knows the worker's own id). Per layer it post()s one block to
// every other worker (an empty block is the explicit "nothing to send" marker, so no receiver
// waits for what will never come), flush()es, computes, then receive()s that layer's blocks from
// a known set of sources, each handed to on_block exactly once as soon as it is complete.
//
// Contract on every implementation:
// - Blocks of other layers that arrive early are kept for their layer; duplicates (at-least-once
//   delivery) and reordering are harmless: each (layer, source) is delivered once.
// - Throttling (ErrorCode::kUnavailable) is retried with exponential backoff (RetryPolicy).
// - A message or object that breaks the protocol (bad attribute, header mismatch, row or image
//   out of range, truncated or corrupt payload) makes receive() return ErrorCode::kInvalidInput
//   naming it; nothing is read out of bounds.
// - receive() gives up with kDeadline after RetryPolicy::receive_timeout_s without progress.
// - Blocking happens only through the cloud services and the Runtime (runs as SimGrid actors).
// Not thread-safe: one worker, one task at a time per Channel.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "engine/channel/row_block.hpp"
#include "engine/common/result.hpp"

namespace engine {

// What a channel moved, for the run record and the cost model.
struct ChannelStats {
  std::int64_t blocks_posted = 0;
  std::int64_t empty_markers = 0;
  std::int64_t rows_posted = 0;
  std::int64_t nnz_posted = 0;
  std::int64_t row_bytes_posted = 0;    // RowBlock::row_bytes()
  std::int64_t frame_bytes_posted = 0;  // after compression
  std::int64_t wire_bytes_posted = 0;   // as sent: message billed sizes or object sizes
  std::int64_t messages_posted = 0;     // queue messages or objects
  std::int64_t duplicates_dropped = 0;  // redeliveries recognised and ignored
  std::int64_t retries = 0;             // throttled calls retried
  ChannelStats& operator+=(const ChannelStats& o);
  bool operator==(const ChannelStats&) const = default;
};

using BlockHandler = std::function<void(int source, RowBlock&& block)>;

class Channel {
 public:
  virtual ~Channel() = default;
  // Queues a block for target (may send at once or at flush()).
  virtual Result<void> post(int layer, int target, const RowBlock& block) = 0;
  // Sends whatever post() queued.
  virtual Result<void> flush() = 0;
  // Delivers layer's block from every source in `sources`, each once, in arrival order.
  virtual Result<void> receive(int layer, std::span<const int> sources, const BlockHandler& on_block) = 0;
  virtual const ChannelStats& stats() const = 0;
};

}  // namespace engine
