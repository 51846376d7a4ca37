// ThreadTask: a cloud::Task that is a std::thread, for the runtimes whose tasks are real threads
// (memory::MemoryRuntime, aws::EpochRuntime). Joined on destruction; join() is idempotent.
#pragma once

#include <functional>
#include <thread>

#include "engine/cloud/runtime.hpp"

namespace engine::cloud {

class ThreadTask final : public Task {
 public:
  explicit ThreadTask(std::function<void()> fn) : thread_(std::move(fn)) {}
  ~ThreadTask() override { join(); }
  void join() override {
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::thread thread_;
};

}  // namespace engine::cloud
