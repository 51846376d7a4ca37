// SQS over the AWS JSON 1.0 protocol.
#include "engine/aws/sqs_client.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "engine/aws/md5_many.hpp"

namespace engine::aws {

using nlohmann::json;

namespace {

Error malformed(const std::string& where, const std::string& what) {
  return Error{ErrorCode::kInternal, where, "malformed response: " + what};
}

Result<json> parse_object(const std::string& where, const std::string& body) {
  json j = json::parse(body.empty() ? std::string("{}") : body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return malformed(where, "not a JSON object");
  return j;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Handles a batch response {"Successful": [...], "Failed": [{"Id","Code","Message","SenderFault"}]}:
// returns the ids to retry, or the error if a failure is the sender's fault.
Result<std::vector<std::string>> failed_entries(const std::string& where, const json& response) {
  std::vector<std::string> retry;
  auto it = response.find("Failed");
  if (it == response.end() || it->is_null()) return retry;
  if (!it->is_array()) return malformed(where, "Failed is not a list");
  for (const auto& f : *it) {
    if (!f.is_object()) return malformed(where, "a Failed entry is not an object");
    bool sender = f.value("SenderFault", false);
    std::string code = str(f, "Code");
    if (sender && !is_throttling_code(code))
      return Error{ErrorCode::kInvalidInput, where, "entry " + str(f, "Id") + ": " + code + ": " + str(f, "Message")};
    retry.push_back(str(f, "Id"));
  }
  return retry;
}

constexpr int kBatchAttempts = 5;

// Appends `s` as a JSON string literal: quotes, backslashes and control characters escaped.
void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\u00";
      out += kHex[(c >> 4) & 15];
      out += kHex[c & 15];
    } else {
      out += c;
    }
  }
  out += '"';
}

// The retry loop of the batch calls: sends entries 0..n−1 (entry(i) builds entry i, which gets the
// Id "i"), then resends only the entries the response lists as failed (throttled or the service's
// fault), for up to kBatchAttempts rounds. A failure report that accept(error) accepts ends the
// call successfully (DeleteMessageBatch: an expired receipt handle).
template <class Send, class Entry, class Accept>
Result<void> batch_with_retries(const std::string& where, std::size_t n, Send send, Entry entry, Accept accept) {
  std::vector<std::size_t> pending(n);
  for (std::size_t i = 0; i < n; ++i) pending[i] = i;
  for (int round = 0; !pending.empty(); ++round) {
    json entries = json::array();
    for (std::size_t i : pending) {
      json e = entry(i);
      e["Id"] = std::to_string(i);
      entries.push_back(std::move(e));
    }
    auto body = send(entries);
    if (!body) return body.error();
    auto j = parse_object(where, *body);
    if (!j) return j.error();
    auto failed = failed_entries(where, *j);
    if (!failed) return accept(failed.error()) ? Result<void>(Ok{}) : Result<void>(failed.error());
    if (failed->empty()) return Ok{};
    if (round + 1 >= kBatchAttempts)
      return Error{ErrorCode::kUnavailable, where, std::to_string(failed->size()) + " entries still failing"};
    pending.clear();
    for (const auto& id : *failed) {
      std::size_t i = std::strtoul(id.c_str(), nullptr, 10);
      if (i >= n) return malformed(where, "unknown entry id " + id);
      pending.push_back(i);
    }
  }
  return Ok{};
}

}  // namespace

SqsClient::SqsClient(std::shared_ptr<ServiceClient> service) : service_(std::move(service)) {}

Result<std::string> SqsClient::call(const std::string& operation, const std::string& body_json, Idempotent idempotent,
                                    double timeout_s) {
  AwsRequest r;
  r.operation = operation;
  r.headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "AmazonSQS." + operation}};
  r.body_ref = body_json;  // the caller's string outlives the call: no copy
  r.idempotent = idempotent;
  r.timeout_s = timeout_s;
  auto response = service_->call(r, parse_json_error);
  if (!response) return response.error();
  return std::move(response->body);
}

std::string SqsClient::arn_from_url(const std::string& url, const std::string& fallback_region) {
  // http(s)://sqs.<region>.<domain>[:port]/<account>/<name>
  std::string authority = url_authority(url);
  std::string region = fallback_region;
  if (authority.rfind("sqs.", 0) == 0) {
    auto dot = authority.find('.', 4);
    if (dot != std::string::npos) region = authority.substr(4, dot - 4);
  }
  auto path_start = url.find('/', url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  std::string path = path_start == std::string::npos ? "" : url.substr(path_start + 1);
  auto slash = path.find('/');
  std::string account = slash == std::string::npos ? "" : path.substr(0, slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string partition = region.rfind("cn-", 0) == 0       ? "aws-cn"
                          : region.rfind("us-gov-", 0) == 0 ? "aws-us-gov"
                                                            : "aws";
  return "arn:" + partition + ":sqs:" + region + ":" + account + ":" + name;
}

Result<cloud::QueueHandle> SqsClient::create_queue(const std::string& name) {
  const std::string where = "sqs:CreateQueue";
  auto body = call("CreateQueue", json{{"QueueName", name}}.dump(), Idempotent::kYes);
  if (!body) return body.error();
  auto j = parse_object(where, *body);
  if (!j) return j.error();
  std::string url = str(*j, "QueueUrl");
  if (url.empty()) return malformed(where, "no QueueUrl");
  // The ARN follows from the URL; asking GetQueueAttributes would cost a request per queue.
  return cloud::QueueHandle{url, arn_from_url(url, service_->config().region)};
}

Result<std::string> SqsClient::get_queue_url(const std::string& name) {
  auto body = call("GetQueueUrl", json{{"QueueName", name}}.dump(), Idempotent::kYes);
  if (!body) return body.error();
  auto j = parse_object("sqs:GetQueueUrl", *body);
  if (!j) return j.error();
  std::string url = str(*j, "QueueUrl");
  if (url.empty()) return malformed("sqs:GetQueueUrl", "no QueueUrl");
  return url;
}

Result<cloud::Attributes> SqsClient::get_attributes(const std::string& queue_url) {
  auto body =
      call("GetQueueAttributes", json{{"QueueUrl", queue_url}, {"AttributeNames", {"All"}}}.dump(), Idempotent::kYes);
  if (!body) return body.error();
  auto j = parse_object("sqs:GetQueueAttributes", *body);
  if (!j) return j.error();
  cloud::Attributes out;
  auto it = j->find("Attributes");
  if (it != j->end() && it->is_object())
    for (const auto& [k, v] : it->items())
      if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

Result<void> SqsClient::set_attributes(const std::string& queue_url, const cloud::Attributes& attributes) {
  auto body =
      call("SetQueueAttributes", json{{"QueueUrl", queue_url}, {"Attributes", attributes}}.dump(), Idempotent::kYes);
  if (!body) return body.error();
  return Ok{};
}

Result<void> SqsClient::allow_topic(const cloud::QueueHandle& queue, const std::string& topic_id) {
  json arns = json::array();
  {
    std::lock_guard lock(mu_);
    auto& topics = allowed_topics_[queue.url];
    topics.insert(topic_id);
    for (const auto& t : topics) arns.push_back(t);
  }
  // Least privilege: only SNS, only SendMessage, only into this queue, only from these topics.
  json policy = {{"Version", "2012-10-17"},
                 {"Statement",
                  {{{"Sid", "fsd-topics"},
                    {"Effect", "Allow"},
                    {"Principal", {{"Service", "sns.amazonaws.com"}}},
                    {"Action", "sqs:SendMessage"},
                    {"Resource", queue.arn},
                    {"Condition", {{"ArnEquals", {{"aws:SourceArn", arns}}}}}}}}};
  return set_attributes(queue.url, {{"Policy", policy.dump()}});
}

Result<void> SqsClient::send_batch(const std::string& queue_url, std::span<const cloud::OutgoingMessage> messages) {
  const std::string where = "sqs:SendMessageBatch";
  if (messages.empty() || messages.size() > static_cast<std::size_t>(cloud::kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, where,
                 "a batch holds 1..10 messages, got " + std::to_string(messages.size())};
  // Repeating a send can only duplicate a message, which the Queue contract allows (at least once).
  return batch_with_retries(
      where, messages.size(),
      [&](const json& entries) {
        return call("SendMessageBatch", json{{"QueueUrl", queue_url}, {"Entries", entries}}.dump(), Idempotent::kYes);
      },
      [&](std::size_t i) {
        json e = {{"MessageBody", messages[i].body}};
        if (!messages[i].attributes.empty()) {
          json attrs = json::object();
          for (const auto& [k, v] : messages[i].attributes) attrs[k] = {{"DataType", "String"}, {"StringValue", v}};
          e["MessageAttributes"] = attrs;
        }
        return e;
      },
      [](const Error&) { return false; });
}

Result<std::vector<cloud::ReceivedMessage>> SqsClient::receive(const std::string& queue_url,
                                                               const cloud::ReceiveOptions& options) {
  int wait_s = static_cast<int>(std::max(0.0, std::min(20.0, options.wait_time_s)));
  // Written directly rather than through a json object (the hot path: one per poll); keys in
  // the order nlohmann would dump them.
  std::string request;
  request.reserve(256 + queue_url.size());
  request +=
      "{\"AttributeNames\":[\"ApproximateReceiveCount\"],\"MaxNumberOfMessages\":" +
      std::to_string(std::max(1, std::min(options.max_messages, cloud::kMaxBatchEntries))) +
      ",\"MessageAttributeNames\":[\"All\"],\"MessageSystemAttributeNames\":[\"ApproximateReceiveCount\"],"
      "\"QueueUrl\":";
  append_json_string(request, queue_url);
  request += ",\"VisibilityTimeout\":" + std::to_string(static_cast<int>(options.visibility_timeout_s)) +
             ",\"WaitTimeSeconds\":" + std::to_string(wait_s) + "}";
  // Repeating a receive is safe: messages of a lost response reappear after the visibility timeout.
  auto body = call("ReceiveMessage", request, Idempotent::kYes, wait_s + 15.0);
  if (!body) return body.error();
  return parse_receive_response(*body);
}

// simdjson rather than nlohmann here: a full receive carries up to 10 × 256 KiB of bodies, and
// nlohmann's lexer (~50 MB/s on this machine, 280 µs for 15 KB) cost more than the emulator's
// whole request; simdjson parses the same 15 KB in ~3 µs (docs/PERFORMANCE.md, "AWS clients").
Result<std::vector<cloud::ReceivedMessage>> SqsClient::parse_receive_response(const std::string& body) {
  static const std::string where = "sqs:ReceiveMessage";
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element doc;
  // Parsed in place (no copy of a body of up to 2.5 MB; simdjson pads it only if needed).
  static const std::string kEmptyObject = "{}";
  if (auto error = parser.parse(body.empty() ? kEmptyObject : body).get(doc))
    return malformed(where, std::string("JSON: ") + simdjson::error_message(error));
  if (!doc.is_object()) return malformed(where, "not a JSON object");
  std::vector<cloud::ReceivedMessage> out;
  simdjson::dom::element messages;
  if (doc["Messages"].get(messages) || messages.is_null()) return out;  // absent: nothing received
  simdjson::dom::array list;
  if (messages.get(list)) return malformed(where, "Messages is not a list");
  auto text = [](simdjson::dom::element e, const char* key) {
    std::string_view v;
    return e[key].get(v) ? std::string_view() : v;
  };
  out.reserve(list.size());
  std::vector<std::string_view> expected_md5;  // per message, "" when absent (views into the parsed document)
  expected_md5.reserve(list.size());
  for (simdjson::dom::element m : list) {
    if (!m.is_object()) return malformed(where, "a message is not an object");
    cloud::ReceivedMessage r;
    r.message_id = text(m, "MessageId");
    r.receipt_handle = text(m, "ReceiptHandle");
    r.body = text(m, "Body");
    if (r.receipt_handle.empty()) return malformed(where, "message " + r.message_id + " has no ReceiptHandle");
    expected_md5.push_back(text(m, "MD5OfBody"));
    simdjson::dom::object attributes;
    if (!m["MessageAttributes"].get(attributes))
      for (auto [key, value] : attributes)
        if (value.is_object()) r.attributes.insert_or_assign(std::string(key), std::string(text(value, "StringValue")));
    simdjson::dom::element system;
    if (!m["Attributes"].get(system) && system.is_object()) {
      const std::string count(text(system, "ApproximateReceiveCount"));
      if (!count.empty()) r.receive_count = std::max(1, std::atoi(count.c_str()));
    }
    out.push_back(std::move(r));
  }
  // Every body against its MD5OfBody, all at once (md5_many hashes sixteen side by side).
  thread_local std::vector<std::string_view> bodies;
  thread_local std::vector<Md5Digest> digests;
  bodies.clear();
  for (std::size_t i = 0; i < out.size(); ++i)
    if (!expected_md5[i].empty()) bodies.push_back(out[i].body);
  digests.resize(bodies.size());
  md5_many(bodies, digests);
  for (std::size_t i = 0, d = 0; i < out.size(); ++i) {
    if (expected_md5[i].empty()) continue;
    if (!digest_matches_hex(digests[d++], expected_md5[i]))
      return Error{ErrorCode::kInternal, where, "message " + out[i].message_id + ": body does not match MD5OfBody"};
  }
  return out;
}

Result<void> SqsClient::delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) {
  const std::string where = "sqs:DeleteMessageBatch";
  if (receipt_handles.empty() || receipt_handles.size() > static_cast<std::size_t>(cloud::kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, where,
                 "a batch holds 1..10 receipt handles, got " + std::to_string(receipt_handles.size())};
  return batch_with_retries(
      where, receipt_handles.size(),
      [&](const json& entries) {
        return call("DeleteMessageBatch", json{{"QueueUrl", queue_url}, {"Entries", entries}}.dump(),
                    Idempotent::kYes);
      },
      [&](std::size_t i) { return json{{"ReceiptHandle", receipt_handles[i]}}; },
      // Deleting twice (an expired receipt handle) is not an error in the Queue contract.
      [](const Error& e) { return e.what.find("ReceiptHandleIsInvalid") != std::string::npos; });
}

Result<void> SqsClient::delete_queue(const std::string& queue_url) {
  auto body = call("DeleteQueue", json{{"QueueUrl", queue_url}}.dump(), Idempotent::kYes);
  if (!body) return body.error();
  return Ok{};
}

}  // namespace engine::aws
