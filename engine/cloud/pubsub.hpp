// PubSub: topics that fan out to subscribed queues (SNS → SQS), the publish side of QueueChannel.
//
// Contract on every backend:
// - publish_batch takes 1..10 messages, each ≤ kMaxMessageBytes; a message reaches every queue
//   whose subscription's filter policy it passes, with raw delivery (body and attributes as sent).
// - Delivery is at least once and unordered: a queue may see a message twice, and messages from
//   one batch in any order. Delivery is asynchronous: a message may become visible in the queue
//   after publish_batch returns (AWS: typically tens of ms; memory backend: at once unless a
//   delay fault is injected; sim: the configured delivery latency).
// - Throttling and 5xx come back as ErrorCode::kUnavailable: the caller retries with backoff.
// Implementations are thread-safe: many tasks of one worker may publish at once.
#pragma once

#include <span>
#include <string>

#include "engine/cloud/message.hpp"
#include "engine/common/result.hpp"

namespace engine::cloud {

class PubSub {
 public:
  virtual ~PubSub() = default;

  // Creates (or returns the existing) topic; returns its id (an ARN on AWS).
  virtual Result<std::string> create_topic(const std::string& name) = 0;

  // Subscribes a queue (by its arn, see Queue::create_queue) with raw delivery and a filter
  // policy (empty: everything). Returns the subscription id.
  virtual Result<std::string> subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                              const FilterPolicy& filter) = 0;

  virtual Result<void> publish_batch(const std::string& topic_id, std::span<const OutgoingMessage> messages) = 0;

  virtual Result<void> unsubscribe(const std::string& subscription_id) = 0;
  virtual Result<void> delete_topic(const std::string& topic_id) = 0;
};

}  // namespace engine::cloud
