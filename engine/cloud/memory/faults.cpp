#include "engine/cloud/memory/faults.hpp"

#include <algorithm>

namespace engine::cloud::memory {
namespace {
Error throttled(const char* where) { return Error{ErrorCode::kUnavailable, where, "injected throttling"}; }
}  // namespace

bool FaultDice::roll(double probability) {
  if (probability <= 0) return false;
  std::lock_guard lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < probability;
}

// --- PubSub ---
FaultyPubSub::FaultyPubSub(PubSub& inner, Runtime& runtime, const FaultOptions& options)
    : inner_(inner), runtime_(runtime), options_(options), dice_(options.seed) {}

FaultyPubSub::~FaultyPubSub() {
  std::vector<std::unique_ptr<Task>> tasks;
  {
    std::lock_guard lock(mu_);
    tasks.swap(delayed_);
  }
  for (auto& t : tasks) t->join();
}

Result<std::string> FaultyPubSub::create_topic(const std::string& name) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sns:CreateTopic");
  return inner_.create_topic(name);
}
Result<std::string> FaultyPubSub::subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                                  const FilterPolicy& filter) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sns:Subscribe");
  return inner_.subscribe_queue(topic_id, queue_arn, filter);
}
Result<void> FaultyPubSub::unsubscribe(const std::string& id) { return inner_.unsubscribe(id); }
Result<void> FaultyPubSub::delete_topic(const std::string& id) { return inner_.delete_topic(id); }

Result<void> FaultyPubSub::publish_batch(const std::string& topic_id, std::span<const OutgoingMessage> messages) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sns:PublishBatch");
  std::vector<OutgoingMessage> now(messages.begin(), messages.end());
  if (dice_.roll(options_.reorder_probability)) dice_.shuffle(now);
  // The real call first, so an invalid batch is rejected as the service would reject it.
  if (auto ok = inner_.publish_batch(topic_id, now); !ok) return ok;
  for (const auto& m : now) {
    const bool duplicate = dice_.roll(options_.duplicate_probability);
    const bool delayed = dice_.roll(options_.delay_probability);
    if (!duplicate && !delayed) continue;
    // A duplicate arrives again now or, when delayed, later (a late redelivery reorders too).
    auto send = [this, topic_id, m] {
      for (int attempt = 0; attempt < 100; ++attempt) {
        if (inner_.publish_batch(topic_id, std::span<const OutgoingMessage>(&m, 1))) return;
        runtime_.sleep_s(0.001);
      }
    };
    if (!delayed) {
      send();
      continue;
    }
    const double delay_s = options_.delay_s;
    auto task = runtime_.spawn("delayed-delivery", [this, send, delay_s] {
      runtime_.sleep_s(delay_s);
      send();
    });
    std::lock_guard lock(mu_);
    delayed_.push_back(std::move(task));
  }
  return Ok{};
}

// --- Queue ---
Result<QueueHandle> FaultyQueue::create_queue(const std::string& name) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sqs:CreateQueue");
  return inner_.create_queue(name);
}
Result<void> FaultyQueue::allow_topic(const QueueHandle& q, const std::string& t) { return inner_.allow_topic(q, t); }
Result<Attributes> FaultyQueue::get_attributes(const std::string& url) { return inner_.get_attributes(url); }
Result<void> FaultyQueue::send_batch(const std::string& url, std::span<const OutgoingMessage> messages) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sqs:SendMessageBatch");
  return inner_.send_batch(url, messages);
}
Result<std::vector<ReceivedMessage>> FaultyQueue::receive(const std::string& url, const ReceiveOptions& options) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sqs:ReceiveMessage");
  auto r = inner_.receive(url, options);
  if (r && dice_.roll(options_.reorder_probability)) dice_.shuffle(*r);
  return r;
}
Result<void> FaultyQueue::delete_batch(const std::string& url, std::span<const std::string> handles) {
  if (dice_.roll(options_.throttle_probability)) return throttled("sqs:DeleteMessageBatch");
  return inner_.delete_batch(url, handles);
}
Result<void> FaultyQueue::delete_queue(const std::string& url) { return inner_.delete_queue(url); }

// --- ObjectStore ---
Result<void> FaultyObjectStore::create_bucket(const std::string& bucket) { return inner_.create_bucket(bucket); }
Result<void> FaultyObjectStore::put(const std::string& bucket, const std::string& key, std::string_view bytes) {
  if (dice_.roll(options_.throttle_probability)) return throttled("s3:PutObject");
  return inner_.put(bucket, key, bytes);
}
Result<std::string> FaultyObjectStore::get(const std::string& bucket, const std::string& key) {
  if (dice_.roll(options_.throttle_probability)) return throttled("s3:GetObject");
  return inner_.get(bucket, key);
}
Result<ListPage> FaultyObjectStore::list(const std::string& bucket, const std::string& prefix,
                                         const std::string& token, int max_keys) {
  if (dice_.roll(options_.throttle_probability)) return throttled("s3:ListObjectsV2");
  return inner_.list(bucket, prefix, token, max_keys);
}
Result<void> FaultyObjectStore::delete_objects(const std::string& bucket, std::span<const std::string> keys) {
  if (dice_.roll(options_.throttle_probability)) return throttled("s3:DeleteObjects");
  return inner_.delete_objects(bucket, keys);
}

}  // namespace engine::cloud::memory
