// Lambda Invoke over REST/JSON.
#include "engine/aws/lambda_client.hpp"

#include <nlohmann/json.hpp>

namespace engine::aws {

LambdaClient::LambdaClient(std::shared_ptr<ServiceClient> service) : service_(std::move(service)) {}

Result<std::string> LambdaClient::invoke(const std::string& function_name, const std::string& payload_json,
                                         cloud::InvocationType type) {
  const std::string where = "lambda:Invoke";
  AwsRequest r;
  r.operation = "Invoke";
  r.method = "POST";
  r.path = "/2015-03-31/functions/" + uri_encode(function_name, false) + "/invocations";
  bool event = type == cloud::InvocationType::kEvent;
  r.headers = {{"Content-Type", "application/json"}, {"X-Amz-Invocation-Type", event ? "Event" : "RequestResponse"}};
  r.body = payload_json;
  r.idempotent = Idempotent::kNo;
  r.timeout_s = event ? 30.0 : 900.0 + 30.0;  // Lambda's longest timeout is 900 s
  auto response = service_->call(r, parse_json_error);
  if (!response) return response.error();
  if (event) return std::string();
  std::string function_error = response->header("x-amz-function-error");
  if (!function_error.empty()) {
    auto j = nlohmann::json::parse(response->body, nullptr, false);
    std::string message = j.is_object() && j.contains("errorMessage") && j["errorMessage"].is_string()
                              ? j["errorMessage"].get<std::string>()
                              : response->body.substr(0, 300);
    std::string type_name = j.is_object() && j.contains("errorType") && j["errorType"].is_string()
                                ? j["errorType"].get<std::string>()
                                : function_error;
    return Error{ErrorCode::kInternal, where, function_name + ": " + type_name + ": " + message};
  }
  return std::move(response->body);
}

}  // namespace engine::aws
