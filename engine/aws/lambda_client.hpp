// LambdaClient: engine::cloud::Functions over AWS Lambda's Invoke API
// (POST /2015-03-31/functions/<name>/invocations, X-Amz-Invocation-Type Event | RequestResponse).
//
// Event returns "" once Lambda accepts the event (HTTP 202); RequestResponse returns the function's
// result. A function error (X-Amz-Function-Error) is kInternal with the handler's errorMessage.
// Invoke is not idempotent (a repeat would start a second worker), so it is retried only when
// throttled (TooManyRequestsException, the concurrency limit) or when the connection was refused.
// Thread-safe.
#pragma once

#include <memory>

#include "engine/aws/service_client.hpp"
#include "engine/cloud/functions.hpp"

namespace engine::aws {

class LambdaClient : public cloud::Functions {
 public:
  explicit LambdaClient(std::shared_ptr<ServiceClient> service);
  Result<std::string> invoke(const std::string& function_name, const std::string& payload_json,
                             cloud::InvocationType type) override;

 private:
  std::shared_ptr<ServiceClient> service_;
};

}  // namespace engine::aws
