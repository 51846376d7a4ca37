// ServiceClient: one AWS service endpoint (SNS, SQS, S3 or Lambda) as the protocol clients use it:
// signs each request with SigV4, sends it, counts it, and retries what may be retried.
//
// Retry rule (as the AWS SDKs' "standard" mode): up to RetryPolicy::max_attempts, with full-jitter
// exponential backoff (a uniform delay in [0, min(max_delay_s, base_delay_s * 2^attempt)]), on
//   - throttling (HTTP 429, or an error code such as Throttling, SlowDown, TooManyRequestsException)
//     and refused connections: the service did not act, so any request may be repeated;
//   - 5xx, resets and timeouts: the service may have acted, so only requests marked idempotent;
// never on other 4xx (the request itself is wrong). The final failure becomes an Error:
// kUnavailable (throttled / 5xx / transport), kDeadline (timed out), kNotFound (missing queue,
// topic, bucket, key, function), kInvalidInput (other 4xx); `what` carries the AWS error code and
// message and never a header, so never a credential.
// Thread-safe: many threads may call() at once.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

#include "engine/aws/credentials.hpp"
#include "engine/aws/http.hpp"
#include "engine/aws/request_counter.hpp"
#include "engine/common/result.hpp"

namespace engine::aws {

struct RetryPolicy {
  int max_attempts = 5;
  double base_delay_s = 0.05;
  double max_delay_s = 5.0;
};

enum class Idempotent { kYes, kNo };

struct AwsRequest {
  std::string operation;  // "Publish", "GetObject": names the request in counts and errors
  std::string method = "POST";
  std::string path = "/";  // percent-encoded once
  std::string query;       // percent-encoded, without '?'
  HeaderList headers;      // besides Host, X-Amz-*, Authorization which call() adds
  std::string body;
  // Sent instead of `body` when set: bytes the caller keeps alive during call() (an S3 PUT sends
  // the caller's object without copying it).
  std::optional<std::string_view> body_ref;
  Idempotent idempotent = Idempotent::kYes;
  double timeout_s = 30.0;
  std::string host_prefix;  // S3 virtual-hosted style: "bucket." in front of the endpoint host

  std::string_view payload() const { return body_ref ? *body_ref : std::string_view(body); }
};

// The AWS error in a non-2xx response: code ("NoSuchKey") and message, as each protocol puts them.
struct AwsErrorInfo {
  std::string code;
  std::string message;
};
using ErrorParser = std::function<AwsErrorInfo(const HttpResponse&)>;
AwsErrorInfo parse_xml_error(const HttpResponse& response);   // <Error><Code/><Message/></Error>
AwsErrorInfo parse_json_error(const HttpResponse& response);  // {"__type": "...#Code", "message": ...}

struct ServiceConfig {
  std::string service;  // signing name: "sns", "sqs", "s3", "lambda"
  std::string region;
  std::string endpoint;  // "scheme://host[:port]"
  RetryPolicy retry;
};

class ServiceClient {
 public:
  ServiceClient(std::shared_ptr<HttpClient> http, std::shared_ptr<const Credentials> credentials, ServiceConfig config,
                std::shared_ptr<RequestCounter> counter);

  // Sends the request (with retries); returns the 2xx response or the Error.
  Result<HttpResponse> call(const AwsRequest& request, const ErrorParser& parse_error);

  const ServiceConfig& config() const { return config_; }

 private:
  double backoff_s(int attempt);
  std::shared_ptr<HttpClient> http_;
  std::shared_ptr<const Credentials> credentials_;
  ServiceConfig config_;
  std::string authority_;  // "host[:port]" of the endpoint
  std::string base_url_;   // "scheme://host[:port]"
  bool s3_;                // S3 signs x-amz-content-sha256 and keeps paths as sent
  std::shared_ptr<RequestCounter> counter_;
  std::mutex rng_mu_;
  std::mt19937_64 rng_;
};

bool is_throttling_code(const std::string& code);
// Replaces any occurrence of the secret key or session token (a server may echo a request back).
std::string redact(std::string text, const Credentials& credentials);

}  // namespace engine::aws
