#include "engine/channel/channel.hpp"

namespace engine {

ChannelStats& ChannelStats::operator+=(const ChannelStats& o) {
  blocks_posted += o.blocks_posted;
  empty_markers += o.empty_markers;
  rows_posted += o.rows_posted;
  nnz_posted += o.nnz_posted;
  row_bytes_posted += o.row_bytes_posted;
  frame_bytes_posted += o.frame_bytes_posted;
  wire_bytes_posted += o.wire_bytes_posted;
  messages_posted += o.messages_posted;
  duplicates_dropped += o.duplicates_dropped;
  retries += o.retries;
  return *this;
}

}  // namespace engine
