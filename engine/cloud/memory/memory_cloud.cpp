#include "engine/cloud/memory/memory_cloud.hpp"

namespace engine::cloud::memory {

MemoryCloud::MemoryCloud(std::optional<FaultOptions> faults)
    : functions_(std::make_unique<MemoryFunctions>(runtime_)) {
  if (faults) {
    faulty_pubsub_ = std::make_unique<FaultyPubSub>(pubsub_, runtime_, *faults);
    faulty_queue_ = std::make_unique<FaultyQueue>(queue_, *faults);
    faulty_objects_ = std::make_unique<FaultyObjectStore>(objects_, *faults);
  }
}

// Invocations still running use the services: stop them before anything else goes.
MemoryCloud::~MemoryCloud() {
  functions_->join_all();
  faulty_pubsub_.reset();
}

Services MemoryCloud::services() {
  Services s;
  s.pubsub = faulty_pubsub_ ? static_cast<PubSub*>(faulty_pubsub_.get()) : &pubsub_;
  s.queue = faulty_queue_ ? static_cast<Queue*>(faulty_queue_.get()) : &queue_;
  s.objects = faulty_objects_ ? static_cast<ObjectStore*>(faulty_objects_.get()) : &objects_;
  s.functions = functions_.get();
  s.runtime = &runtime_;
  return s;
}

}  // namespace engine::cloud::memory
