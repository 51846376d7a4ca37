#include "engine/cloud/memory/memory_pubsub.hpp"

#include <algorithm>

#include "engine/cloud/memory/limits.hpp"

namespace engine::cloud::memory {

bool passes(const FilterPolicy& filter, const Attributes& attributes) {
  for (const auto& [key, allowed] : filter) {
    auto it = attributes.find(key);
    if (it == attributes.end() || std::find(allowed.begin(), allowed.end(), it->second) == allowed.end()) return false;
  }
  return true;
}

Result<std::string> MemoryPubSub::create_topic(const std::string& name) {
  if (name.empty() || name.size() > 256)
    return Error{ErrorCode::kInvalidInput, "sns:CreateTopic", "topic names have 1..256 characters"};
  std::lock_guard lock(mu_);
  const std::string id = "arn:memory:sns:" + name;
  topics_[id];  // idempotent, as SNS
  return id;
}

Result<std::string> MemoryPubSub::subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                                  const FilterPolicy& filter) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic_id);
  if (it == topics_.end()) return Error{ErrorCode::kNotFound, "sns:Subscribe", "no topic " + topic_id};
  std::string id = topic_id + ":sub" + std::to_string(next_subscription_++);
  it->second.push_back(Subscription{id, topic_id, queue_arn, filter});
  return id;
}

Result<void> MemoryPubSub::publish_batch(const std::string& topic_id, std::span<const OutgoingMessage> messages) {
  if (auto ok = check_batch(messages, "sns:PublishBatch"); !ok) return ok;
  std::vector<Subscription> subs;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(topic_id);
    if (it == topics_.end()) return Error{ErrorCode::kNotFound, "sns:PublishBatch", "no topic " + topic_id};
    subs = it->second;
  }
  for (const auto& m : messages)
    for (const auto& s : subs)
      if (passes(s.filter, m.attributes)) {
        // A queue deleted under a live subscription drops the message, as SNS does.
        (void)queues_.deliver(s.queue_arn, m);
      }
  return Ok{};
}

Result<void> MemoryPubSub::unsubscribe(const std::string& subscription_id) {
  std::lock_guard lock(mu_);
  for (auto& [topic, subs] : topics_) std::erase_if(subs, [&](const Subscription& s) { return s.id == subscription_id; });
  return Ok{};
}

Result<void> MemoryPubSub::delete_topic(const std::string& topic_id) {
  std::lock_guard lock(mu_);
  topics_.erase(topic_id);
  return Ok{};
}

}  // namespace engine::cloud::memory
