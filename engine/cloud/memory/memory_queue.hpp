// MemoryQueue: SQS standard queues in process memory, with the semantics the channels rely on.
//
// - receive() long-polls: it blocks (condition variable) until a message is visible or
//   wait_time_s elapses; a received message is invisible for visibility_timeout_s and then
//   visible again unless deleted (its receive_count grows), so delivery is at least once.
// - Messages are returned oldest first; reordering and duplicates are injected by the decorators
//   of faults.hpp, not here, so a fault-free run is reproducible.
// - Limits as AWS: ≤ 10 entries per batch, ≤ 256 KiB per message and per batch, legal body text.
// - deliver() is how MemoryPubSub fans a published message in (SNS → SQS raw delivery).
// Thread-safe: one mutex guards all queues; waiting receivers do not hold it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/cloud/queue.hpp"

namespace engine::cloud::memory {

class MemoryQueue final : public Queue {
 public:
  Result<QueueHandle> create_queue(const std::string& name) override;
  Result<void> allow_topic(const QueueHandle& queue, const std::string& topic_id) override;
  Result<Attributes> get_attributes(const std::string& queue_url) override;
  Result<void> send_batch(const std::string& queue_url, std::span<const OutgoingMessage> messages) override;
  Result<std::vector<ReceivedMessage>> receive(const std::string& queue_url, const ReceiveOptions& options) override;
  Result<void> delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) override;
  Result<void> delete_queue(const std::string& queue_url) override;

  // Enqueues one message in the queue with this arn (kNotFound if there is none).
  Result<void> deliver(const std::string& queue_arn, const OutgoingMessage& message);

  // Messages in the queue, visible or not (for tests).
  std::size_t depth(const std::string& queue_url) const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Stored {
    std::string id;
    OutgoingMessage message;
    Clock::time_point visible_at;
    int receive_count = 0;
  };
  struct State {
    std::string name, arn;
    std::deque<Stored> messages;
    std::map<std::string, std::string> handle_to_id;  // every handle ever issued, for delete
    std::condition_variable arrived;
  };
  void enqueue_locked(State& q, const OutgoingMessage& m);

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<State>> queues_;  // by url
  std::map<std::string, std::string> url_by_arn_;
  std::vector<std::unique_ptr<State>> graveyard_;  // deleted queues a receiver may still wait on
  std::uint64_t next_id_ = 1;
};

}  // namespace engine::cloud::memory
