// Queue: one worker's inbox (SQS standard queue semantics).
//
// Contract on every backend:
// - receive returns 0..max_messages (≤10) visible messages, waiting up to wait_time_s for the
//   first one (long polling; 0 = return at once). A received message is invisible for
//   visibility_timeout_s, then visible again unless deleted: at-least-once, unordered.
// - delete_batch takes 1..10 receipt handles from receive; deleting twice is not an error.
// - Sends are limited to kMaxMessageBytes per message and 10 per batch.
// - Throttling and 5xx come back as ErrorCode::kUnavailable: retry with backoff.
// Implementations are thread-safe.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "engine/cloud/message.hpp"
#include "engine/common/result.hpp"

namespace engine::cloud {

struct QueueHandle {
  std::string url;  // what every call takes
  std::string arn;  // what PubSub::subscribe_queue takes
  bool operator==(const QueueHandle&) const = default;
};

struct ReceiveOptions {
  int max_messages = 10;
  double wait_time_s = 0.0;  // long polling: AWS allows 0..20
  double visibility_timeout_s = 30.0;
};

class Queue {
 public:
  virtual ~Queue() = default;

  virtual Result<QueueHandle> create_queue(const std::string& name) = 0;
  // Lets a topic deliver into the queue (SQS queue policy on AWS; nothing to do elsewhere).
  virtual Result<void> allow_topic(const QueueHandle& queue, const std::string& topic_id) = 0;
  virtual Result<Attributes> get_attributes(const std::string& queue_url) = 0;

  virtual Result<void> send_batch(const std::string& queue_url, std::span<const OutgoingMessage> messages) = 0;
  virtual Result<std::vector<ReceivedMessage>> receive(const std::string& queue_url, const ReceiveOptions& options) = 0;
  virtual Result<void> delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) = 0;

  virtual Result<void> delete_queue(const std::string& queue_url) = 0;
};

}  // namespace engine::cloud
