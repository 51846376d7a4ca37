// Runtime: time and concurrency as the worker and channels see them, so the same code runs on OS
// threads (memory and aws backends) and on SimGrid actors in simulated time (sim backend).
//
// - now_s() is seconds since the runtime started: steady clock on threads, simulated clock in sim.
//   Engine code never reads the wall clock itself.
// - compute(flops) declares work the caller has just done (or, in profile mode, would do): it
//   costs simulated time on the sim backend (flops / host speed) and nothing elsewhere.
// - spawn runs fn concurrently (a thread, or an actor on the caller's host); join waits for it.
//   Code run by spawned tasks may only block through this Runtime and the cloud services, never
//   on std::mutex held across a service call, so that it also runs as SimGrid actors.
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace engine::cloud {

class Task {
 public:
  virtual ~Task() = default;
  virtual void join() = 0;  // waits for the task to end; rethrows nothing (tasks report via captures)
};

class Runtime {
 public:
  virtual ~Runtime() = default;
  virtual double now_s() const = 0;
  virtual void sleep_s(double seconds) = 0;
  virtual void compute(double flops) = 0;
  virtual std::unique_ptr<Task> spawn(const std::string& name, std::function<void()> fn) = 0;
};

}  // namespace engine::cloud
