#include "engine/cloud/memory/memory_runtime.hpp"

#include <thread>

namespace engine::cloud::memory {
namespace {
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
}  // namespace

MemoryRuntime::MemoryRuntime() : start_(std::chrono::steady_clock::now()) {}

double MemoryRuntime::now_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void MemoryRuntime::sleep_s(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

std::unique_ptr<Task> MemoryRuntime::spawn(const std::string& /*name*/, std::function<void()> fn) {
  return std::make_unique<ThreadTask>(std::move(fn));
}

}  // namespace engine::cloud::memory
