#include "engine/cloud/memory/memory_runtime.hpp"

#include <thread>

#include "engine/cloud/thread_task.hpp"

namespace engine::cloud::memory {

MemoryRuntime::MemoryRuntime() : start_(std::chrono::steady_clock::now()) {}

double MemoryRuntime::now_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void MemoryRuntime::sleep_s(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

std::unique_ptr<Task> MemoryRuntime::spawn(const std::string& /*name*/, std::function<void()> fn) {
  return std::make_unique<cloud::ThreadTask>(std::move(fn));
}

}  // namespace engine::cloud::memory
