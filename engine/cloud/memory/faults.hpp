// Fault injection as decorators over any PubSub, Queue or ObjectStore (RocksDB's
// fault_injection_fs pattern): each forwards to the wrapped service and, with the configured
// probabilities, injects what the cloud really does to a client:
// - throttling: the call fails with kUnavailable before reaching the service (SNS/SQS
//   "Throttling", S3 "503 SlowDown"); callers must retry with backoff;
// - duplicate delivery: a published message is delivered twice (at-least-once);
// - reordering: a batch is published, and a receive returned, in shuffled order;
// - delay: a published message reaches its queues only after delay_s (on a task of the Runtime).
// Randomness comes from one seeded generator per decorator (std::mt19937_64, guarded by a mutex):
// the injected faults depend on the seed and on thread interleaving, so print the seed.
// Thread-safe. FaultyPubSub's destructor waits for its delayed deliveries.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <vector>

#include "engine/cloud/object_store.hpp"
#include "engine/cloud/pubsub.hpp"
#include "engine/cloud/queue.hpp"
#include "engine/cloud/runtime.hpp"

namespace engine::cloud::memory {

struct FaultOptions {
  std::uint64_t seed = 1;
  double throttle_probability = 0.0;   // per call
  double duplicate_probability = 0.0;  // per published message
  double reorder_probability = 0.0;    // per batch published / per receive
  double delay_probability = 0.0;      // per published message
  double delay_s = 0.005;
};

// A seeded coin shared by one decorator's calls.
class FaultDice {
 public:
  explicit FaultDice(std::uint64_t seed) : rng_(seed) {}
  bool roll(double probability);
  template <class T>
  void shuffle(std::vector<T>& v) {
    std::lock_guard lock(mu_);
    std::shuffle(v.begin(), v.end(), rng_);
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_;
};

class FaultyPubSub final : public PubSub {
 public:
  FaultyPubSub(PubSub& inner, Runtime& runtime, const FaultOptions& options);
  ~FaultyPubSub() override;
  Result<std::string> create_topic(const std::string& name) override;
  Result<std::string> subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                      const FilterPolicy& filter) override;
  Result<void> publish_batch(const std::string& topic_id, std::span<const OutgoingMessage> messages) override;
  Result<void> unsubscribe(const std::string& subscription_id) override;
  Result<void> delete_topic(const std::string& topic_id) override;

 private:
  PubSub& inner_;
  Runtime& runtime_;
  FaultOptions options_;
  FaultDice dice_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Task>> delayed_;
};

class FaultyQueue final : public Queue {
 public:
  FaultyQueue(Queue& inner, const FaultOptions& options) : inner_(inner), options_(options), dice_(options.seed + 1) {}
  Result<QueueHandle> create_queue(const std::string& name) override;
  Result<void> allow_topic(const QueueHandle& queue, const std::string& topic_id) override;
  Result<Attributes> get_attributes(const std::string& queue_url) override;
  Result<void> send_batch(const std::string& queue_url, std::span<const OutgoingMessage> messages) override;
  Result<std::vector<ReceivedMessage>> receive(const std::string& queue_url, const ReceiveOptions& options) override;
  Result<void> delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) override;
  Result<void> delete_queue(const std::string& queue_url) override;

 private:
  Queue& inner_;
  FaultOptions options_;
  FaultDice dice_;
};

class FaultyObjectStore final : public ObjectStore {
 public:
  FaultyObjectStore(ObjectStore& inner, const FaultOptions& options)
      : inner_(inner), options_(options), dice_(options.seed + 2) {}
  Result<void> create_bucket(const std::string& bucket) override;
  Result<void> put(const std::string& bucket, const std::string& key, std::string_view bytes) override;
  Result<std::string> get(const std::string& bucket, const std::string& key) override;
  Result<ListPage> list(const std::string& bucket, const std::string& prefix, const std::string& continuation_token,
                        int max_keys) override;
  Result<void> delete_objects(const std::string& bucket, std::span<const std::string> keys) override;

 private:
  ObjectStore& inner_;
  FaultOptions options_;
  FaultDice dice_;
};

}  // namespace engine::cloud::memory
