#include "engine/cloud/memory/memory_functions.hpp"

namespace engine::cloud::memory {

void MemoryFunctions::register_handler(const std::string& function_name, Handler handler) {
  std::lock_guard lock(mu_);
  handlers_[function_name] = std::move(handler);
}

Result<std::string> MemoryFunctions::invoke(const std::string& function_name, const std::string& payload_json,
                                            InvocationType type) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    auto it = handlers_.find(function_name);
    if (it == handlers_.end())
      return Error{ErrorCode::kNotFound, "lambda:Invoke", "no function " + function_name};
    handler = it->second;
  }
  if (type == InvocationType::kRequestResponse) {
    auto r = handler(payload_json);
    if (!r) return Error{ErrorCode::kInternal, "lambda:Invoke", r.error().message()};
    return r;
  }
  auto task = runtime_.spawn(function_name, [this, handler, payload_json] {
    auto r = handler(payload_json);
    if (!r) {
      std::lock_guard lock(mu_);
      errors_.push_back(r.error());
    }
  });
  std::lock_guard lock(mu_);
  running_.push_back(std::move(task));
  return std::string{};
}

void MemoryFunctions::join_all() {
  // Invocations may start more invocations (the launch tree): join until none is left.
  for (;;) {
    std::vector<std::unique_ptr<Task>> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(running_);
    }
    if (batch.empty()) return;
    for (auto& t : batch) t->join();
  }
}

std::vector<Error> MemoryFunctions::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

}  // namespace engine::cloud::memory
