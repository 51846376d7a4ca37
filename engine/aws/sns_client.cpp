// SNS over the query protocol.
#include "engine/aws/sns_client.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace engine::aws {

namespace {

Error malformed(const std::string& where, const std::string& what) {
  return Error{ErrorCode::kInternal, where, "malformed response: " + what};
}

// Parses an XML body and returns <Action>Response/<Action>Result.
Result<pugi::xml_node> result_node(pugi::xml_document& doc, const std::string& action, const std::string& body) {
  const std::string where = "sns:" + action;
  pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) return malformed(where, std::string("XML: ") + parsed.description());
  pugi::xml_node response = doc.child((action + "Response").c_str());
  if (!response) return malformed(where, "no <" + action + "Response>");
  return response.child((action + "Result").c_str());  // may be empty (Unsubscribe, DeleteTopic)
}

void add_attributes(std::vector<std::pair<std::string, std::string>>& params, const std::string& prefix,
                    const cloud::Attributes& attributes) {
  int n = 0;
  for (const auto& [k, v] : attributes) {
    std::string p = prefix + "MessageAttributes.entry." + std::to_string(++n) + ".";
    params.emplace_back(p + "Name", k);
    params.emplace_back(p + "Value.DataType", "String");
    params.emplace_back(p + "Value.StringValue", v);
  }
}

constexpr int kBatchAttempts = 5;

}  // namespace

SnsClient::SnsClient(std::shared_ptr<ServiceClient> service) : service_(std::move(service)) {}

Result<std::string> SnsClient::call(const std::string& action, const Params& params, Idempotent idempotent) {
  std::size_t size = 0;
  for (const auto& [k, v] : params) size += 2 + k.size() + v.size();
  std::string form;
  form.reserve(size + size / 8);
  for (const auto& [k, v] : params) {
    form += '&';
    uri_encode_append(form, k, false);
    form += '=';
    uri_encode_append(form, v, false);
  }
  return call_form(action, form, idempotent);
}

Result<std::string> SnsClient::call_form(const std::string& action, std::string_view form, Idempotent idempotent) {
  AwsRequest r;
  r.operation = action;
  r.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  r.body.reserve(40 + action.size() + form.size());
  r.body = "Action=";
  r.body += action;
  r.body += "&Version=2010-03-31";
  r.body += form;
  r.idempotent = idempotent;
  auto response = service_->call(r, parse_xml_error);
  if (!response) return response.error();
  return std::move(response->body);
}

std::string SnsClient::filter_policy_json(const cloud::FilterPolicy& filter) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, values] : filter) j[k] = values;
  return j.dump();
}

Result<std::string> SnsClient::create_topic(const std::string& name) {
  auto body = call("CreateTopic", {{"Name", name}}, Idempotent::kYes);  // idempotent by name
  if (!body) return body.error();
  pugi::xml_document doc;
  auto result = result_node(doc, "CreateTopic", *body);
  if (!result) return result.error();
  std::string arn = result->child_value("TopicArn");
  if (arn.empty()) return malformed("sns:CreateTopic", "no TopicArn");
  return arn;
}

Result<std::string> SnsClient::subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                               const cloud::FilterPolicy& filter) {
  Params params = {{"TopicArn", topic_id},
                   {"Protocol", "sqs"},
                   {"Endpoint", queue_arn},
                   {"ReturnSubscriptionArn", "true"},
                   {"Attributes.entry.1.key", "RawMessageDelivery"},
                   {"Attributes.entry.1.value", "true"}};
  if (!filter.empty()) {
    params.emplace_back("Attributes.entry.2.key", "FilterPolicy");
    params.emplace_back("Attributes.entry.2.value", filter_policy_json(filter));
  }
  auto body = call("Subscribe", params, Idempotent::kYes);  // same (topic, endpoint, attributes) → same subscription
  if (!body) return body.error();
  pugi::xml_document doc;
  auto result = result_node(doc, "Subscribe", *body);
  if (!result) return result.error();
  std::string arn = result->child_value("SubscriptionArn");
  if (arn.empty()) return malformed("sns:Subscribe", "no SubscriptionArn");
  return arn;
}

Result<std::string> SnsClient::publish(const std::string& topic_id, const cloud::OutgoingMessage& message) {
  const std::string where = "sns:Publish";
  if (cloud::billed_size(message) > cloud::kMaxMessageBytes)
    return Error{ErrorCode::kInvalidInput, where,
                 "message of " + std::to_string(cloud::billed_size(message)) + " bytes exceeds " +
                     std::to_string(cloud::kMaxMessageBytes)};
  Params params = {{"TopicArn", topic_id}, {"Message", message.body}};
  add_attributes(params, "", message.attributes);
  // Repeating a publish can only duplicate a message, which the PubSub contract allows.
  auto body = call("Publish", params, Idempotent::kYes);
  if (!body) return body.error();
  pugi::xml_document doc;
  auto result = result_node(doc, "Publish", *body);
  if (!result) return result.error();
  return std::string(result->child_value("MessageId"));
}

Result<void> SnsClient::publish_batch(const std::string& topic_id, std::span<const cloud::OutgoingMessage> messages) {
  const std::string where = "sns:PublishBatch";
  if (messages.empty() || messages.size() > static_cast<std::size_t>(cloud::kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, where,
                 "a batch holds 1..10 messages, got " + std::to_string(messages.size())};
  for (const auto& m : messages)
    if (cloud::billed_size(m) > cloud::kMaxMessageBytes)
      return Error{ErrorCode::kInvalidInput, where,
                   "message of " + std::to_string(cloud::billed_size(m)) + " bytes exceeds " +
                       std::to_string(cloud::kMaxMessageBytes)};
  std::vector<std::size_t> pending(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) pending[i] = i;
  for (int round = 0; !pending.empty(); ++round) {
    // The form is written directly, each body encoded once into it (no parameter list holding
    // copies of the bodies). The parameter names are unreserved characters: sent as they are.
    std::size_t size = 16 + topic_id.size();
    for (std::size_t i : pending) size += 160 + messages[i].body.size() + 100 * messages[i].attributes.size();
    std::string form;
    form.reserve(size + size / 8);
    form += "&TopicArn=";
    uri_encode_append(form, topic_id, false);
    int n = 0;
    for (std::size_t i : pending) {
      const std::string p = "PublishBatchRequestEntries.member." + std::to_string(++n) + ".";
      form += '&' + p + "Id=" + std::to_string(i);
      form += '&' + p + "Message=";
      uri_encode_append(form, messages[i].body, false);
      int a = 0;
      for (const auto& [k, v] : messages[i].attributes) {
        const std::string e = '&' + p + "MessageAttributes.entry." + std::to_string(++a) + ".";
        form += e + "Name=";
        uri_encode_append(form, k, false);
        form += e + "Value.DataType=String";
        form += e + "Value.StringValue=";
        uri_encode_append(form, v, false);
      }
    }
    auto body = call_form("PublishBatch", form, Idempotent::kYes);
    if (!body) return body.error();
    pugi::xml_document doc;
    auto result = result_node(doc, "PublishBatch", *body);
    if (!result) return result.error();
    std::vector<std::size_t> retry;
    for (pugi::xml_node f : result->child("Failed").children("member")) {
      std::string code = f.child_value("Code"), id = f.child_value("Id");
      bool sender = std::string(f.child_value("SenderFault")) == "true";
      if (sender && !is_throttling_code(code))
        return Error{ErrorCode::kInvalidInput, where, "entry " + id + ": " + code + ": " + f.child_value("Message")};
      std::size_t i = std::strtoul(id.c_str(), nullptr, 10);
      if (i >= messages.size()) return malformed(where, "unknown entry id " + id);
      retry.push_back(i);
    }
    if (retry.empty()) return Ok{};
    if (round + 1 >= kBatchAttempts)
      return Error{ErrorCode::kUnavailable, where, std::to_string(retry.size()) + " entries still failing"};
    pending = std::move(retry);
  }
  return Ok{};
}

Result<void> SnsClient::unsubscribe(const std::string& subscription_id) {
  auto body = call("Unsubscribe", {{"SubscriptionArn", subscription_id}}, Idempotent::kYes);
  if (!body) return body.error();
  return Ok{};
}

Result<void> SnsClient::delete_topic(const std::string& topic_id) {
  auto body = call("DeleteTopic", {{"TopicArn", topic_id}}, Idempotent::kYes);
  if (!body) return body.error();
  return Ok{};
}

}  // namespace engine::aws
