// The Lambda custom-runtime loop over the Runtime API (plain HTTP on the sandbox's loopback).
#include "engine/aws/lambda_runtime.hpp"

#include <exception>
#include <nlohmann/json.hpp>

#include "engine/aws/http.hpp"

namespace engine::aws {

namespace {

constexpr const char* kApi = "/2018-06-01/runtime";

std::string error_body(const std::string& type, const std::string& message) {
  return nlohmann::json{{"errorType", type}, {"errorMessage", message}, {"stackTrace", nlohmann::json::array()}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<void> post(HttpClient& http, const std::string& url, const std::string& body, const HeaderList& headers) {
  HttpRequest r;
  r.method = "POST";
  r.url = url;
  r.body = body;
  r.headers = headers;
  r.headers.emplace_back("Content-Type", "application/json");
  HttpResponse response = http.send(r);
  if (response.status == 0)
    return Error{ErrorCode::kUnavailable, "lambda-runtime", "transport: " + response.transport_error};
  if (response.status != 202 && response.status != 200)
    return Error{ErrorCode::kInternal, "lambda-runtime",
                 "Runtime API answered HTTP " + std::to_string(response.status) + " to " + url};
  return Ok{};
}

}  // namespace

Result<int> run_lambda_runtime(const LambdaRuntimeOptions& options, const LambdaHandler& handler) {
  if (options.runtime_api.empty())
    return Error{ErrorCode::kInvalidInput, "lambda-runtime", "AWS_LAMBDA_RUNTIME_API is not set (not inside Lambda?)"};
  HttpClient http;
  const std::string base = "http://" + options.runtime_api + kApi;
  int handled = 0;
  while (options.max_invocations == 0 || handled < options.max_invocations) {
    HttpRequest next;
    next.url = base + "/invocation/next";
    next.timeout_s = 24 * 3600.0;  // blocks until an event comes (Lambda freezes us meanwhile)
    HttpResponse event = http.send(next);
    if (event.status == 0)
      return Error{ErrorCode::kUnavailable, "lambda-runtime", "next invocation: " + event.transport_error};
    if (event.status != 200)
      return Error{ErrorCode::kInternal, "lambda-runtime", "next invocation: HTTP " + std::to_string(event.status)};
    const std::string request_id = event.header("lambda-runtime-aws-request-id");
    if (request_id.empty())
      return Error{ErrorCode::kInternal, "lambda-runtime", "event without Lambda-Runtime-Aws-Request-Id"};
    const std::string invocation = base + "/invocation/" + request_id;

    Result<std::string> result = Error{ErrorCode::kInternal, "handler", "not run"};
    try {
      result = handler(event.body);
    } catch (const std::exception& e) {
      result = Error{ErrorCode::kInternal, "handler", std::string("exception: ") + e.what()};
    }
    Result<void> sent =
        result ? post(http, invocation + "/response", *result, {})
               : post(http, invocation + "/error", error_body(to_string(result.error().code), result.error().message()),
                      {{"Lambda-Runtime-Function-Error-Type", "Runtime.HandlerError"}});
    if (!sent) return sent.error();
    ++handled;
  }
  return handled;
}

Result<void> report_lambda_init_error(const std::string& runtime_api, const std::string& error_type,
                                      const std::string& message) {
  HttpClient http;
  return post(http, "http://" + runtime_api + kApi + "/init/error", error_body(error_type, message),
              {{"Lambda-Runtime-Function-Error-Type", "Runtime." + error_type}});
}

}  // namespace engine::aws
