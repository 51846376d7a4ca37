// CancelWatch: how a worker running elsewhere (a process, an AWS Lambda) learns that its run was
// cancelled — the coordinator removed the run's resources after Ctrl-C or a failure — and stops
// at once instead of at its receive timeout, without reporting and without a retry storm.
//
// Signal: the run is alive while the object runs/<run>/control/alive exists in the run's bucket
// (the coordinator puts it before the first invocation; engine/aws/run_scope deletes it before
// anything else). Lambda cannot be told to stop an invocation, so the worker asks, but only when
// something already suggests it, never per layer:
// - a call fails with kNotFound (QueueDoesNotExist, a deleted topic, a deleted object): one probe
//   tells a cancelled run from a real error. Free in a healthy run.
// - an idle poll (a receive that returned nothing; a LIST whose page is empty or the same as the
//   last one of that prefix — blocks already seen, one source missing): at most one probe per
//   probe_interval_s. The object channel finds nothing missing when its prefix is emptied, so it
//   needs this; its cost is bounded by run seconds / probe_interval_s GETs per worker ($0.4 per
//   million), e.g. ≤ 12 for a minute's run at 5 s, while the same minute of waiting already
//   costs ≈ 500 LIST polls ($5 per million).
// A probe is one GET through the control store (unmetered, like the reports: it is the run's
// control plane, not its data traffic). Once cancelled, every call through services() fails at
// once with kNotFound ("run cancelled", not retryable) and sends nothing.
// The watch remembers what the worker put (the object channel's blocks), so a cancelled worker
// removes its own objects: it may put after the coordinator emptied the prefix.
// Thread-safe (the object channel calls from parallel tasks).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>

#include "engine/cloud/services.hpp"

namespace engine {

struct CancelWatchOptions {
  double probe_interval_s = 5.0;  // least time between probes caused by idle polls
};

class CancelWatch {
 public:
  // services: the worker's (the calls it watches); control: where the marker is read.
  CancelWatch(cloud::Services services, cloud::ObjectStore& control, std::string bucket, std::string alive_key,
              CancelWatchOptions options = {});
  ~CancelWatch();

  // services with pubsub, queue and objects watched; functions and runtime as given.
  cloud::Services services();

  bool cancelled() const { return cancelled_.load(); }
  std::string reason() const;  // the symptom that led to the probe that found the marker gone

  // Probes now (one GET). True: alive; false: cancelled (latched). A probe that itself fails
  // (other than kNotFound) says nothing: it returns true and does not latch.
  bool probe(const std::string& symptom);
  // Deletes every object put through services() (through the watched store's inner store, 1000 a
  // call); returns the first error.
  Result<void> remove_own_objects();

  // What the watched calls return once cancelled.
  Error cancelled_error(const std::string& where) const;

  // Used by the decorators (cancel_watch.cpp).
  bool probe_if_idle(const std::string& symptom);
  void remember_put(const std::string& bucket, const std::string& key);

 private:
  cloud::Services inner_;
  cloud::ObjectStore& control_;
  std::string bucket_, alive_key_;
  CancelWatchOptions options_;
  std::atomic<bool> cancelled_{false};
  mutable std::mutex mu_;
  std::string reason_;
  double last_probe_s_;
  std::set<std::pair<std::string, std::string>> put_;
  std::unique_ptr<cloud::PubSub> pubsub_;
  std::unique_ptr<cloud::Queue> queue_;
  std::unique_ptr<cloud::ObjectStore> objects_;
};

}  // namespace engine
