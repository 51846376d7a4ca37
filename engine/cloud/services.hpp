// Services: the set of cloud service interfaces a worker, a channel or the coordinator is handed.
// Non-owning: a backend (memory, aws, sim) owns the implementations and outlives the set.
#pragma once

#include "engine/cloud/functions.hpp"
#include "engine/cloud/object_store.hpp"
#include "engine/cloud/pubsub.hpp"
#include "engine/cloud/queue.hpp"
#include "engine/cloud/runtime.hpp"

namespace engine::cloud {

struct Services {
  PubSub* pubsub = nullptr;
  Queue* queue = nullptr;
  ObjectStore* objects = nullptr;
  Functions* functions = nullptr;
  Runtime* runtime = nullptr;
};

}  // namespace engine::cloud
