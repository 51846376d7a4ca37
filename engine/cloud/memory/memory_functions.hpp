// MemoryFunctions: cloud functions as handlers registered in process; an invocation runs the
// handler on a new thread of the given Runtime (kEvent: returns at once) or on the caller's
// thread (kRequestResponse). A handler's error comes back as kInternal from kRequestResponse and
// is kept for errors() from kEvent (Lambda would retry or dead-letter it; we report it).
// Thread-safe. The destructor joins every running invocation.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/cloud/functions.hpp"
#include "engine/cloud/runtime.hpp"

namespace engine::cloud::memory {

using Handler = std::function<Result<std::string>(const std::string& payload_json)>;

class MemoryFunctions final : public Functions {
 public:
  explicit MemoryFunctions(Runtime& runtime) : runtime_(runtime) {}
  ~MemoryFunctions() override { join_all(); }

  void register_handler(const std::string& function_name, Handler handler);
  Result<std::string> invoke(const std::string& function_name, const std::string& payload_json,
                             InvocationType type) override;

  void join_all();                  // waits for every kEvent invocation started so far (and theirs)
  std::vector<Error> errors() const;  // errors of finished kEvent invocations

 private:
  Runtime& runtime_;
  mutable std::mutex mu_;
  std::map<std::string, Handler> handlers_;
  std::vector<std::unique_ptr<Task>> running_;
  std::vector<Error> errors_;
};

}  // namespace engine::cloud::memory
