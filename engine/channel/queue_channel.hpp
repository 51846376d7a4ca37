// QueueChannel: activation blocks over publish/subscribe queues (SNS topics → one SQS queue per
// worker), FSD-Inference's queue variant.
//
// Layout (provision_queues, once per run): T topics; sender s publishes to topic s mod T
// ("sharded by sender", so no topic carries every worker's traffic); worker p's queue subscribes
// to every topic with raw delivery and the filter policy {"target": ["p"]}.
//
// Messages: a block is encoded (wire.hpp: binary frame, zstd), turned into text (base-85: +25%),
// and cut into bodies as large as the message limit allows, so every message but a block's last
// is full: a full 256 KiB message is exactly 4 billed 64 KiB chunks. Attributes (string-typed):
//   layer, source, target, chunk (0-based), chunks (count; "0" with body "-" = empty marker).
// flush() publishes the queued messages in order, greedily packed into PublishBatch calls of at
// most 10 entries and at most max_message_bytes in total (the AWS batch limit).
//
// receive() long-polls the worker's queue (wait_time_s; 20 s on AWS, short in tests), reassembles
// each (layer, source) from its chunks, decodes it and hands it over as soon as it is complete;
// messages of later layers are kept (undeleted, invisible for visibility_timeout_s) until their
// layer; duplicates and messages of finished layers are dropped. When a layer is complete, its
// messages are deleted with DeleteMessageBatch, 10 receipt handles per call.
// Not thread-safe (one per worker); blocks only through the services and the Runtime.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/channel/channel.hpp"
#include "engine/channel/retry.hpp"
#include "engine/channel/wire.hpp"
#include "engine/cloud/services.hpp"

namespace engine {

struct QueueChannelOptions {
  int max_message_bytes = 262144;     // per message and per batch (AWS: 256 KiB)
  double wait_time_s = 20.0;          // long polling (AWS allows 0..20)
  double visibility_timeout_s = 900;  // > the longest a message of a later layer is held
  bool compress = true;               // zstd; off: raw frames
  int compression_level = 3;
  RetryPolicy retry;
};

// Names and ids of one run's topics and queues; a plain value passed to every worker.
struct QueueLayout {
  std::string run_id;
  std::vector<std::string> topic_ids;      // sender s publishes to topic_ids[s % size]
  std::vector<cloud::QueueHandle> queues;  // worker p's inbox is queues[p]
  std::vector<std::string> subscription_ids;
  int workers() const { return static_cast<int>(queues.size()); }
  bool operator==(const QueueLayout&) const = default;
};

// Creates topics "fsd-<run>-t<i>", queues "fsd-<run>-w<p>" and the filtered subscriptions.
// Requests: T CreateTopic, P CreateQueue, P·T SetQueueAttributes (allow_topic), P·T Subscribe.
Result<QueueLayout> provision_queues(cloud::Services services, const std::string& run_id, int workers, int topics,
                                     const RetryPolicy& retry = {});
// Unsubscribes, deletes topics and queues (P·T Unsubscribe, T DeleteTopic, P DeleteQueue).
Result<void> teardown_queues(cloud::Services services, const QueueLayout& layout, const RetryPolicy& retry = {});

class QueueChannel final : public Channel {
 public:
  QueueChannel(cloud::Services services, QueueLayout layout, int self, wire::Limits limits,
               QueueChannelOptions options = {});

  Result<void> post(int layer, int target, const RowBlock& block) override;
  Result<void> flush() override;
  Result<void> receive(int layer, std::span<const int> sources, const BlockHandler& on_block) override;
  const ChannelStats& stats() const override { return stats_; }

 private:
  struct Partial {
    int chunks = -1;
    int received = 0;
    std::vector<std::string> parts;
  };
  Result<void> take(const cloud::ReceivedMessage& m, int layer, const std::set<int>& expected);
  Result<void> deliver_complete(int layer, const BlockHandler& on_block, std::size_t& delivered);
  Result<void> delete_handles(std::vector<std::string>& handles);

  cloud::Services services_;
  QueueLayout layout_;
  int self_;
  wire::Limits limits_;
  QueueChannelOptions options_;
  ChannelStats stats_;
  std::vector<cloud::OutgoingMessage> outbox_;
  std::map<int, std::map<int, Partial>> partial_;        // [layer][source]
  std::map<int, std::set<int>> delivered_;               // [layer] sources already handed over
  std::map<int, std::vector<std::string>> handles_;      // [layer] receipt handles to delete
  int finished_layer_ = -1;                              // layers ≤ this are done
};

}  // namespace engine
