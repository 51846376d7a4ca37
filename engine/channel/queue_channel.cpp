#include "engine/channel/queue_channel.hpp"

#include <algorithm>
#include <charconv>

namespace engine {
namespace {

constexpr const char* kLayer = "layer";
constexpr const char* kSource = "source";
constexpr const char* kTarget = "target";
constexpr const char* kChunk = "chunk";
constexpr const char* kChunks = "chunks";
constexpr const char* kMarkerBody = "-";

std::size_t digits(std::size_t n) { return std::to_string(n).size(); }

Error protocol(const std::string& what) { return Error{ErrorCode::kInvalidInput, "QueueChannel::receive", what}; }

// A strict non-negative decimal ≤ 999,999,999 (no sign, no spaces, no leading '+').
bool parse_count(const std::string& s, int& out) {
  if (s.empty() || s.size() > 9) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size() && out >= 0;
}

}  // namespace

Result<QueueLayout> provision_queues(cloud::Services s, const std::string& run_id, int workers, int topics,
                                     const RetryPolicy& retry) {
  if (workers < 1 || topics < 1) return Error{ErrorCode::kInvalidInput, "provision_queues", "workers and topics must be ≥ 1"};
  cloud::Runtime& rt = *s.runtime;
  QueueLayout layout;
  layout.run_id = run_id;
  for (int t = 0; t < topics; ++t) {
    auto id = with_retry(rt, retry, nullptr, [&] { return s.pubsub->create_topic("fsd-" + run_id + "-t" + std::to_string(t)); });
    if (!id) return id.error();
    layout.topic_ids.push_back(*id);
  }
  for (int p = 0; p < workers; ++p) {
    auto q = with_retry(rt, retry, nullptr, [&] { return s.queue->create_queue("fsd-" + run_id + "-w" + std::to_string(p)); });
    if (!q) return q.error();
    layout.queues.push_back(*q);
    for (const auto& topic : layout.topic_ids) {
      auto ok = with_retry(rt, retry, nullptr, [&] { return s.queue->allow_topic(*q, topic); });
      if (!ok) return ok.error();
      const cloud::FilterPolicy filter{{kTarget, {std::to_string(p)}}};
      auto sub = with_retry(rt, retry, nullptr, [&] { return s.pubsub->subscribe_queue(topic, q->arn, filter); });
      if (!sub) return sub.error();
      layout.subscription_ids.push_back(*sub);
    }
  }
  return layout;
}

Result<void> teardown_queues(cloud::Services s, const QueueLayout& layout, const RetryPolicy& retry) {
  cloud::Runtime& rt = *s.runtime;
  for (const auto& sub : layout.subscription_ids)
    if (auto ok = with_retry(rt, retry, nullptr, [&] { return s.pubsub->unsubscribe(sub); }); !ok) return ok;
  for (const auto& t : layout.topic_ids)
    if (auto ok = with_retry(rt, retry, nullptr, [&] { return s.pubsub->delete_topic(t); }); !ok) return ok;
  for (const auto& q : layout.queues)
    if (auto ok = with_retry(rt, retry, nullptr, [&] { return s.queue->delete_queue(q.url); }); !ok) return ok;
  return Ok{};
}

QueueChannel::QueueChannel(cloud::Services services, QueueLayout layout, int self, wire::Limits limits,
                           QueueChannelOptions options)
    : services_(services), layout_(std::move(layout)), self_(self), limits_(limits), options_(options) {
  if (self < 0 || self >= layout_.workers() || layout_.topic_ids.empty())
    throw std::invalid_argument("QueueChannel: worker id out of range or no topics");
  if (options_.max_message_bytes < 1024 || options_.max_message_bytes > static_cast<int>(cloud::kMaxMessageBytes))
    throw std::invalid_argument("QueueChannel: max_message_bytes must be 1024..262144");
}

Result<void> QueueChannel::post(int layer, int target, const RowBlock& block) {
  if (target < 0 || target >= layout_.workers() || target == self_)
    return Error{ErrorCode::kInvalidInput, "QueueChannel::post", "bad target " + std::to_string(target)};
  cloud::Attributes attrs{{kLayer, std::to_string(layer)},
                          {kSource, std::to_string(self_)},
                          {kTarget, std::to_string(target)}};
  ++stats_.blocks_posted;
  if (block.empty()) {
    ++stats_.empty_markers;
    attrs[kChunk] = "0";
    attrs[kChunks] = "0";
    outbox_.push_back({kMarkerBody, std::move(attrs)});
    return Ok{};
  }
  const std::string frame = wire::encode_block({layer, self_, target}, block, options_.compress, options_.compression_level);
  const std::string text = wire::to_text(frame);
  stats_.rows_posted += static_cast<std::int64_t>(block.rows());
  stats_.nnz_posted += block.nnz();
  stats_.row_bytes_posted += block.row_bytes();
  stats_.frame_bytes_posted += static_cast<std::int64_t>(frame.size());
  // Body capacity: the limit minus the attributes, sized for the widest chunk numbers possible.
  std::size_t attr_bytes = 0;
  for (const auto& [k, v] : attrs) attr_bytes += k.size() + v.size();
  attr_bytes += std::char_traits<char>::length(kChunk) + std::char_traits<char>::length(kChunks) + 2 * digits(text.size());
  const std::size_t capacity = static_cast<std::size_t>(options_.max_message_bytes) - attr_bytes;
  const std::size_t chunks = (text.size() + capacity - 1) / capacity;
  for (std::size_t c = 0; c < chunks; ++c) {
    cloud::OutgoingMessage m{text.substr(c * capacity, capacity), attrs};
    m.attributes[kChunk] = std::to_string(c);
    m.attributes[kChunks] = std::to_string(chunks);
    outbox_.push_back(std::move(m));
  }
  return Ok{};
}

Result<void> QueueChannel::flush() {
  const std::string& topic = layout_.topic_ids[self_ % layout_.topic_ids.size()];
  std::size_t begin = 0;
  while (begin < outbox_.size()) {
    // Greedy packing: as many messages as fit in 10 entries and max_message_bytes in total.
    std::size_t end = begin, bytes = 0;
    while (end < outbox_.size() && end - begin < static_cast<std::size_t>(cloud::kMaxBatchEntries) &&
           bytes + cloud::billed_size(outbox_[end]) <= static_cast<std::size_t>(options_.max_message_bytes))
      bytes += cloud::billed_size(outbox_[end++]);
    const std::span<const cloud::OutgoingMessage> batch(outbox_.data() + begin, end - begin);
    auto ok = with_retry(*services_.runtime, options_.retry, &stats_.retries,
                         [&] { return services_.pubsub->publish_batch(topic, batch); });
    if (!ok) return ok;
    stats_.messages_posted += static_cast<std::int64_t>(batch.size());
    stats_.wire_bytes_posted += static_cast<std::int64_t>(bytes);
    begin = end;
  }
  outbox_.clear();
  return Ok{};
}

Result<void> QueueChannel::take(const cloud::ReceivedMessage& m, int layer, const std::set<int>& expected) {
  const std::string who = "message " + m.message_id + ": ";
  int values[5];
  const char* keys[5] = {kLayer, kSource, kTarget, kChunk, kChunks};
  for (int i = 0; i < 5; ++i) {
    auto it = m.attributes.find(keys[i]);
    if (it == m.attributes.end()) return protocol(who + "missing attribute '" + keys[i] + "'");
    if (!parse_count(it->second, values[i]))
      return protocol(who + "attribute '" + keys[i] + "' is not a count: '" + it->second.substr(0, 32) + "'");
  }
  const auto [l, source, target, chunk, chunks] = values;
  if (target != self_) return protocol(who + "target " + std::to_string(target) + " is not this worker (" + std::to_string(self_) + ")");
  if (source >= layout_.workers() || source == self_) return protocol(who + "bad source " + std::to_string(source));
  if (chunks == 0 ? (chunk != 0 || m.body != kMarkerBody) : chunk >= chunks)
    return protocol(who + "chunk " + std::to_string(chunk) + " of " + std::to_string(chunks) + " is inconsistent");
  // Finished layers, and blocks already handed over, are redeliveries: delete and forget.
  if (l <= finished_layer_ || delivered_[l].count(source)) {
    ++stats_.duplicates_dropped;
    handles_[std::max(l, layer)].push_back(m.receipt_handle);
    return Ok{};
  }
  if (l == layer && !expected.count(source))
    return protocol(who + "layer " + std::to_string(l) + " expects no block from worker " + std::to_string(source));
  handles_[l].push_back(m.receipt_handle);
  Partial& part = partial_[l][source];
  if (part.chunks < 0) {
    part.chunks = chunks;
    part.parts.resize(std::max(chunks, 1));
  } else if (part.chunks != chunks) {
    return protocol(who + "chunk count " + std::to_string(chunks) + " differs from an earlier " + std::to_string(part.chunks));
  }
  const std::size_t index = static_cast<std::size_t>(chunk);
  if (!part.parts[index].empty() || (chunks == 0 && part.received > 0)) {
    ++stats_.duplicates_dropped;
    return Ok{};
  }
  part.parts[index] = chunks == 0 ? std::string(kMarkerBody) : m.body;
  ++part.received;
  return Ok{};
}

Result<void> QueueChannel::deliver_complete(int layer, const BlockHandler& on_block, std::size_t& delivered) {
  auto& parts = partial_[layer];
  for (auto it = parts.begin(); it != parts.end();) {
    const int source = it->first;
    Partial& p = it->second;
    if (p.received < std::max(p.chunks, 1)) {
      ++it;
      continue;
    }
    RowBlock block;
    if (p.chunks > 0) {
      std::string text;
      for (const auto& s : p.parts) text += s;
      auto frame = wire::from_text(text);
      if (!frame)
        return protocol("layer " + std::to_string(layer) + " block from worker " + std::to_string(source) + ": " +
                        frame.error().what);
      auto decoded = wire::decode_block(*frame, {layer, source, self_}, limits_);
      if (!decoded)
        return protocol("layer " + std::to_string(layer) + " block from worker " + std::to_string(source) + ": " +
                        decoded.error().what);
      block = std::move(*decoded);
    }
    delivered_[layer].insert(source);
    it = parts.erase(it);
    ++delivered;
    on_block(source, std::move(block));
  }
  return Ok{};
}

Result<void> QueueChannel::delete_handles(std::vector<std::string>& handles) {
  const std::string& url = layout_.queues[self_].url;
  for (std::size_t b = 0; b < handles.size(); b += cloud::kMaxBatchEntries) {
    const std::size_t n = std::min<std::size_t>(cloud::kMaxBatchEntries, handles.size() - b);
    const std::span<const std::string> batch(handles.data() + b, n);
    auto ok = with_retry(*services_.runtime, options_.retry, &stats_.retries,
                         [&] { return services_.queue->delete_batch(url, batch); });
    if (!ok) return ok;
  }
  handles.clear();
  return Ok{};
}

Result<void> QueueChannel::receive(int layer, std::span<const int> sources, const BlockHandler& on_block) {
  if (layer <= finished_layer_) throw std::logic_error("QueueChannel::receive: layer already received");
  const std::set<int> expected(sources.begin(), sources.end());
  std::size_t delivered = 0;
  cloud::Runtime& rt = *services_.runtime;
  if (auto ok = deliver_complete(layer, on_block, delivered); !ok) return ok;
  double last_progress_s = rt.now_s();
  const cloud::ReceiveOptions ro{cloud::kMaxBatchEntries, options_.wait_time_s, options_.visibility_timeout_s};
  while (delivered < expected.size()) {
    auto got = with_retry(rt, options_.retry, &stats_.retries,
                          [&] { return services_.queue->receive(layout_.queues[self_].url, ro); });
    if (!got) return got.error();
    for (const auto& m : *got)
      if (auto ok = take(m, layer, expected); !ok) return ok;
    const std::size_t before = delivered;
    if (auto ok = deliver_complete(layer, on_block, delivered); !ok) return ok;
    if (delivered > before || !got->empty()) {
      last_progress_s = rt.now_s();
    } else if (rt.now_s() - last_progress_s > options_.retry.receive_timeout_s) {
      return Error{ErrorCode::kDeadline, "QueueChannel::receive",
                   "layer " + std::to_string(layer) + ": " + std::to_string(expected.size() - delivered) +
                       " block(s) missing after " + std::to_string(options_.retry.receive_timeout_s) + " s"};
    }
  }
  finished_layer_ = layer;
  partial_.erase(layer);
  if (auto ok = delete_handles(handles_[layer]); !ok) return ok;
  handles_.erase(layer);
  // Handles of duplicates of finished layers were filed under this layer; nothing older remains.
  std::erase_if(delivered_, [&](const auto& kv) { return kv.first <= layer; });
  return Ok{};
}

}  // namespace engine
