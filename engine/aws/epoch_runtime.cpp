#include "engine/aws/epoch_runtime.hpp"

#include <chrono>
#include <thread>

#include "engine/cloud/thread_task.hpp"

namespace engine::aws {

EpochRuntime::EpochRuntime(double origin_unix_s) : origin_unix_s_(origin_unix_s) {}

double EpochRuntime::unix_now_s() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double EpochRuntime::now_s() const { return unix_now_s() - origin_unix_s_; }

void EpochRuntime::sleep_s(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

std::unique_ptr<cloud::Task> EpochRuntime::spawn(const std::string& /*name*/, std::function<void()> fn) {
  return std::make_unique<cloud::ThreadTask>(std::move(fn));
}

}  // namespace engine::aws
