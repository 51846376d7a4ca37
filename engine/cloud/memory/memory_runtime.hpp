// MemoryRuntime: the Runtime of the memory and aws backends — OS threads and the steady clock.
//
// now_s() counts seconds since construction (steady clock); compute() costs nothing (the work was
// really done); spawn() starts a std::thread, joined by Task::join() or, at the latest, by the
// Task's destructor. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "engine/cloud/runtime.hpp"

namespace engine::cloud::memory {

class MemoryRuntime final : public Runtime {
 public:
  MemoryRuntime();
  double now_s() const override;
  void sleep_s(double seconds) override;
  void compute(double flops) override {}
  std::unique_ptr<Task> spawn(const std::string& name, std::function<void()> fn) override;

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace engine::cloud::memory
