// Signing, sending, counting and retrying for every AWS protocol client.
#include "engine/aws/service_client.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <set>
#include <thread>

namespace engine::aws {

namespace {

// Error codes AWS documents as throttling (SDK "standard" retry mode list, 2024).
const std::set<std::string>& throttling_codes() {
  static const std::set<std::string> codes = {"Throttling",
                                              "ThrottlingException",
                                              "ThrottledException",
                                              "RequestThrottledException",
                                              "TooManyRequestsException",
                                              "ProvisionedThroughputExceededException",
                                              "TransactionInProgressException",
                                              "RequestLimitExceeded",
                                              "BandwidthLimitExceeded",
                                              "LimitExceededException",
                                              "RequestThrottled",
                                              "SlowDown",
                                              "PriorRequestNotComplete",
                                              "EC2ThrottledException",
                                              "KMSThrottlingException",
                                              "AWS.SimpleQueueService.RequestThrottled"};
  return codes;
}

ErrorCode classify(long status, const std::string& code) {
  if (status >= 500 || status == 429 || is_throttling_code(code)) return ErrorCode::kUnavailable;
  static const std::set<std::string> missing = {"NoSuchKey",         "NoSuchBucket",
                                                "NotFound",          "ResourceNotFoundException",
                                                "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
                                                "NonExistentQueue"};
  if (status == 404 || missing.count(code)) return ErrorCode::kNotFound;
  return ErrorCode::kInvalidInput;
}

std::string clip(std::string s, std::size_t n) {
  if (s.size() > n) s = s.substr(0, n) + "...";
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

}  // namespace

std::string redact(std::string text, const Credentials& credentials) {
  for (const std::string* secret : {&credentials.secret_access_key, &credentials.session_token}) {
    if (secret->empty()) continue;
    for (auto pos = text.find(*secret); pos != std::string::npos; pos = text.find(*secret, pos))
      text.replace(pos, secret->size(), "<redacted>");
  }
  return text;
}

bool is_throttling_code(const std::string& code) { return throttling_codes().count(code) > 0; }

AwsErrorInfo parse_xml_error(const HttpResponse& response) {
  AwsErrorInfo info;
  pugi::xml_document doc;
  if (response.body.empty() || !doc.load_buffer(response.body.data(), response.body.size())) {
    info.code = response.body.empty() ? "" : "MalformedErrorResponse";
    return info;
  }
  // SNS: <ErrorResponse><Error>..</Error></ErrorResponse>; S3: <Error>..</Error>.
  pugi::xml_node error = doc.child("Error");
  if (!error) error = doc.first_child().child("Error");
  info.code = error.child_value("Code");
  info.message = error.child_value("Message");
  return info;
}

AwsErrorInfo parse_json_error(const HttpResponse& response) {
  AwsErrorInfo info;
  auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    for (const char* key : {"__type", "code", "Code", "Type"}) {
      if (parsed.contains(key) && parsed[key].is_string()) {
        info.code = parsed[key].get<std::string>();
        break;
      }
    }
    for (const char* key : {"message", "Message", "errorMessage"}) {
      if (parsed.contains(key) && parsed[key].is_string()) {
        info.message = parsed[key].get<std::string>();
        break;
      }
    }
  } else if (!response.body.empty()) {
    info.code = "MalformedErrorResponse";
  }
  // "com.amazonaws.sqs#QueueDoesNotExist" → "QueueDoesNotExist".
  if (auto hash = info.code.rfind('#'); hash != std::string::npos) info.code = info.code.substr(hash + 1);
  // SQS (JSON protocol) also names the legacy query error code: "AWS.SimpleQueueService.NonExistentQueue;Sender".
  std::string query_error = response.header("x-amzn-query-error");
  if (!query_error.empty() && info.code.empty()) info.code = query_error.substr(0, query_error.find(';'));
  std::string type = response.header("x-amzn-errortype");  // Lambda: "ResourceNotFoundException:..."
  if (!type.empty() && (info.code.empty() || info.code == "User" || info.code == "Service"))
    info.code = type.substr(0, type.find(':'));
  return info;
}

ServiceClient::ServiceClient(std::shared_ptr<HttpClient> http, std::shared_ptr<const Credentials> credentials,
                             ServiceConfig config, std::shared_ptr<RequestCounter> counter)
    : http_(std::move(http)),
      credentials_(std::move(credentials)),
      config_(std::move(config)),
      counter_(std::move(counter)),
      rng_(std::random_device{}()) {
  auto scheme_end = config_.endpoint.find("://");
  std::string scheme = scheme_end == std::string::npos ? "https" : config_.endpoint.substr(0, scheme_end);
  authority_ = url_authority(config_.endpoint);
  base_url_ = scheme + "://" + authority_;
  s3_ = config_.service == "s3";
}

double ServiceClient::backoff_s(int attempt) {
  double cap = std::min(config_.retry.max_delay_s, config_.retry.base_delay_s * double(1ull << std::min(attempt, 30)));
  std::lock_guard lock(rng_mu_);
  return std::uniform_real_distribution<double>(0.0, cap)(rng_);
}

Result<HttpResponse> ServiceClient::call(const AwsRequest& request, const ErrorParser& parse_error) {
  const std::string_view body = request.payload();
  HttpRequest http;
  http.method = request.method;
  http.body = body;
  http.timeout_s = request.timeout_s;
  http.url.reserve(request.host_prefix.size() + base_url_.size() + request.path.size() + 1 + request.query.size());
  if (request.host_prefix.empty()) {
    http.url = base_url_;
  } else {  // scheme://<prefix>host
    const std::size_t host = base_url_.find("://") + 3;
    http.url.append(base_url_, 0, host);
    http.url += request.host_prefix;
    http.url.append(base_url_, host);
  }
  http.url += request.path;
  if (!request.query.empty()) {
    http.url += '?';
    http.url += request.query;
  }

  // The headers as sent: the request's, Host, S3's payload hash, then what signing adds.
  const std::string payload_hash = sha256_hex(body);
  http.headers.reserve(request.headers.size() + 5);
  http.headers = request.headers;
  http.headers.emplace_back("Host", request.host_prefix.empty() ? authority_ : request.host_prefix + authority_);
  if (s3_) http.headers.emplace_back("x-amz-content-sha256", payload_hash);
  const std::size_t unsigned_headers = http.headers.size();
  SigningScope scope{config_.region, config_.service, "", s3_};

  const int max_attempts = std::max(1, config_.retry.max_attempts);
  for (int attempt = 0;; ++attempt) {
    scope.amz_date = amz_date_now();  // a retry re-signs: signatures expire after 5 minutes
    http.headers.resize(unsigned_headers);
    sign_headers(request.method, request.path, request.query, http.headers, payload_hash, scope, *credentials_);
    HttpResponse response = http_->send(http);
    bool ok = response.status >= 200 && response.status < 300;
    counter_->record(config_.service, request.operation, ok, attempt > 0);
    if (ok) return response;

    Error error{ErrorCode::kUnavailable, config_.service + ":" + request.operation, ""};
    bool may_retry = false;
    if (response.status == 0) {
      error.code = response.timed_out ? ErrorCode::kDeadline : ErrorCode::kUnavailable;
      error.what = "transport: " + response.transport_error;
      may_retry = !response.request_sent || request.idempotent == Idempotent::kYes;
    } else {
      AwsErrorInfo info = parse_error(response);
      error.code = classify(response.status, info.code);
      error.what = (info.code.empty() ? "HTTP " + std::to_string(response.status) : info.code) + ": " +
                   clip(info.message.empty() ? response.body : info.message, 300) + " (HTTP " +
                   std::to_string(response.status) + ")";
      bool throttled = response.status == 429 || is_throttling_code(info.code);
      may_retry = throttled || (response.status >= 500 && request.idempotent == Idempotent::kYes);
    }
    if (!may_retry || attempt + 1 >= max_attempts) {
      if (attempt > 0) error.what += " after " + std::to_string(attempt + 1) + " attempts";
      error.what = redact(std::move(error.what), *credentials_);
      return error;
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(backoff_s(attempt)));
  }
}

}  // namespace engine::aws
