// SnsClient: engine::cloud::PubSub over Amazon SNS's query protocol (form-encoded POST, XML
// responses, API version 2010-03-31): CreateTopic, Subscribe (SQS endpoint, RawMessageDelivery,
// FilterPolicy), Publish, PublishBatch, Unsubscribe, DeleteTopic.
//
// Backend-specific behaviour: a PublishBatch whose entries partly fail is re-sent for the failed
// entries only (service faults, throttling); a sender-fault entry fails the call with kInvalidInput
// naming its code. Message attributes are sent as DataType String. Thread-safe.
#pragma once

#include <memory>

#include "engine/aws/service_client.hpp"
#include "engine/cloud/pubsub.hpp"

namespace engine::aws {

class SnsClient : public cloud::PubSub {
 public:
  explicit SnsClient(std::shared_ptr<ServiceClient> service);

  Result<std::string> create_topic(const std::string& name) override;
  Result<std::string> subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                      const cloud::FilterPolicy& filter) override;
  Result<void> publish_batch(const std::string& topic_id, std::span<const cloud::OutgoingMessage> messages) override;
  Result<void> unsubscribe(const std::string& subscription_id) override;
  Result<void> delete_topic(const std::string& topic_id) override;

  // Beyond the interface: one message; returns its MessageId.
  Result<std::string> publish(const std::string& topic_id, const cloud::OutgoingMessage& message);

  // The JSON SNS expects for a FilterPolicy attribute: {"key": ["v1", "v2"], ...}.
  static std::string filter_policy_json(const cloud::FilterPolicy& filter);

 private:
  using Params = std::vector<std::pair<std::string, std::string>>;
  Result<std::string> call(const std::string& action, const Params& params, Idempotent idempotent);
  // `form`: the encoded parameters after Action and Version, each starting with '&'.
  Result<std::string> call_form(const std::string& action, std::string_view form, Idempotent idempotent);
  std::shared_ptr<ServiceClient> service_;
};

}  // namespace engine::aws
