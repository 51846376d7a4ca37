// MemoryPubSub: SNS topics in process memory that fan messages out to MemoryQueue queues.
//
// publish_batch validates the batch as PublishBatch does (1..10 entries, 256 KiB each and in
// total, legal text), then delivers each message, synchronously and with raw delivery (body and
// attributes as published), to every subscribed queue whose filter policy it passes. Messages
// matching no subscription are dropped, as SNS drops them. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "engine/cloud/memory/memory_queue.hpp"
#include "engine/cloud/pubsub.hpp"

namespace engine::cloud::memory {

// True when the attributes pass the filter policy (every key present with a listed value).
bool passes(const FilterPolicy& filter, const Attributes& attributes);

class MemoryPubSub final : public PubSub {
 public:
  explicit MemoryPubSub(MemoryQueue& queues) : queues_(queues) {}

  Result<std::string> create_topic(const std::string& name) override;
  Result<std::string> subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                      const FilterPolicy& filter) override;
  Result<void> publish_batch(const std::string& topic_id, std::span<const OutgoingMessage> messages) override;
  Result<void> unsubscribe(const std::string& subscription_id) override;
  Result<void> delete_topic(const std::string& topic_id) override;

 private:
  struct Subscription {
    std::string id, topic_id, queue_arn;
    FilterPolicy filter;
  };
  MemoryQueue& queues_;
  std::mutex mu_;
  std::map<std::string, std::vector<Subscription>> topics_;  // by topic id
  int next_subscription_ = 1;
};

}  // namespace engine::cloud::memory
