// RunScope: run-scoped AWS resources. Decorates PubSub, Queue and ObjectStore: every topic,
// subscription and queue created and every object put through it is remembered, and cleanup()
// removes what is still there (objects — the run's alive marker among them, which tells workers
// elsewhere to stop, engine/worker/cancel_watch.hpp —, then subscriptions, topics, queues, then
// the prefixes' objects once more), whether the run ended well, failed, or was interrupted (see
// CleanupOnSignal). Buckets are kept: they are
// shared across runs (the object channel writes under a run-scoped prefix).
// Missing resources are not errors (the deployment tears its queues down itself). cleanup() is
// idempotent and final: from its start, creating through the scope fails with kUnavailable, and it
// waits for creations in flight, so a run interrupted mid-provisioning leaves nothing behind; a
// cleanup() called while another runs waits for that one to finish (so the main thread cannot end
// the process under the signal watcher's cleanup). Thread-safe: workers
// create and put concurrently; cleanup takes a snapshot.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "engine/cloud/object_store.hpp"
#include "engine/cloud/pubsub.hpp"
#include "engine/cloud/queue.hpp"

namespace engine::aws {

struct CleanupReport {
  int subscriptions = 0, topics = 0, queues = 0, objects = 0;  // removed
  std::vector<std::string> errors;                             // what could not be removed, and why
};

class RunScope {
 public:
  RunScope(cloud::PubSub& pubsub, cloud::Queue& queue, cloud::ObjectStore& objects);
  ~RunScope();  // cleanup(), errors ignored

  cloud::PubSub& pubsub() { return *pubsub_; }
  cloud::Queue& queue() { return *queue_; }
  cloud::ObjectStore& objects() { return *objects_; }

  CleanupReport cleanup();
  // Also removes, at cleanup, every object under bucket/prefix: what workers in other processes
  // or Lambdas put (their channel objects, their reports, the alive marker), which this scope
  // cannot see. Listed twice: first, and after the queues are gone (one LIST more per prefix).
  void remove_prefix_at_cleanup(const std::string& bucket, const std::string& prefix);

  class Tracker;  // the decorators' shared record (run_scope.cpp)

 private:
  std::unique_ptr<Tracker> tracker_;
  std::unique_ptr<cloud::PubSub> pubsub_;
  std::unique_ptr<cloud::Queue> queue_;
  std::unique_ptr<cloud::ObjectStore> objects_;
  cloud::PubSub* inner_pubsub_ = nullptr;  // cleanup goes straight to the services
  cloud::Queue* inner_queue_ = nullptr;
  cloud::ObjectStore* inner_objects_ = nullptr;
};

// While alive, SIGINT and SIGTERM run `on_signal` once (on a watcher thread, not in the signal
// handler) and then end the process with 128 + the signal number. At most one at a time.
class CleanupOnSignal {
 public:
  explicit CleanupOnSignal(std::function<void()> on_signal);
  ~CleanupOnSignal();
  CleanupOnSignal(const CleanupOnSignal&) = delete;
  CleanupOnSignal& operator=(const CleanupOnSignal&) = delete;

 private:
  std::function<void()> on_signal_;
  int pipe_[2] = {-1, -1};
  void* old_int_ = nullptr;
  void* old_term_ = nullptr;
  std::unique_ptr<std::thread> watcher_;
};

}  // namespace engine::aws
