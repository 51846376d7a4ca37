// Functions: invoking a cloud function (AWS Lambda Invoke), which is how the launch tree starts
// workers. The payload is the JSON event a Lambda handler receives.
//
// Contract on every backend:
// - kEvent returns as soon as the invocation is accepted (Lambda: HTTP 202), with an empty result;
//   the function runs concurrently. kRequestResponse waits and returns the function's result.
// - A function error (the handler threw, or timed out) is ErrorCode::kInternal with its message;
//   throttling (TooManyRequests, the concurrency limit) is kUnavailable.
// Implementations are thread-safe.
#pragma once

#include <string>

#include "engine/common/result.hpp"

namespace engine::cloud {

enum class InvocationType { kEvent, kRequestResponse };

class Functions {
 public:
  virtual ~Functions() = default;
  virtual Result<std::string> invoke(const std::string& function_name, const std::string& payload_json,
                                     InvocationType type) = 0;
};

}  // namespace engine::cloud
