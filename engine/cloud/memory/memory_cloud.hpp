// MemoryCloud: the whole in-memory backend in one object — runtime, queues, topics, object store
// and functions — optionally behind the fault decorators of faults.hpp. services() hands out the
// non-owning set the coordinator, workers and channels use. Thread-safe as its parts.
//
//   engine::cloud::memory::MemoryCloud cloud({.throttle_probability = 0.1, .seed = 7});
//   cloud.functions().register_handler("fsd-worker", handler);
//   engine::cloud::Services s = cloud.services();
#pragma once

#include <memory>
#include <optional>

#include "engine/cloud/memory/faults.hpp"
#include "engine/cloud/memory/memory_functions.hpp"
#include "engine/cloud/memory/memory_object_store.hpp"
#include "engine/cloud/memory/memory_pubsub.hpp"
#include "engine/cloud/memory/memory_queue.hpp"
#include "engine/cloud/memory/memory_runtime.hpp"
#include "engine/cloud/services.hpp"

namespace engine::cloud::memory {

class MemoryCloud {
 public:
  // No faults unless given.
  explicit MemoryCloud(std::optional<FaultOptions> faults = std::nullopt);
  ~MemoryCloud();

  Services services();
  MemoryRuntime& runtime() { return runtime_; }
  MemoryQueue& queues() { return queue_; }
  MemoryObjectStore& objects() { return objects_; }
  MemoryFunctions& functions() { return *functions_; }

 private:
  MemoryRuntime runtime_;
  MemoryQueue queue_;
  MemoryPubSub pubsub_{queue_};
  MemoryObjectStore objects_;
  std::unique_ptr<MemoryFunctions> functions_;
  std::unique_ptr<FaultyPubSub> faulty_pubsub_;
  std::unique_ptr<FaultyQueue> faulty_queue_;
  std::unique_ptr<FaultyObjectStore> faulty_objects_;
};

}  // namespace engine::cloud::memory
