// SqsClient: engine::cloud::Queue over Amazon SQS's JSON protocol (AWS JSON 1.0, X-Amz-Target
// "AmazonSQS.<Operation>"): CreateQueue, GetQueueUrl, GetQueueAttributes, SetQueueAttributes,
// SendMessageBatch, ReceiveMessage (long polling, message attributes, ApproximateReceiveCount),
// DeleteMessageBatch, DeleteQueue.
//
// Backend-specific behaviour: receive() checks each body against its MD5OfBody and fails with
// kInternal on a mismatch; a batch whose entries partly fail is re-sent for the failed entries only
// (throttled or service faults), and fails with kInvalidInput naming the entry's code when the
// sender is at fault. allow_topic() rewrites the queue policy with every topic allowed so far.
// Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>

#include "engine/aws/service_client.hpp"
#include "engine/cloud/queue.hpp"

namespace engine::aws {

class SqsClient : public cloud::Queue {
 public:
  explicit SqsClient(std::shared_ptr<ServiceClient> service);

  Result<cloud::QueueHandle> create_queue(const std::string& name) override;
  Result<void> allow_topic(const cloud::QueueHandle& queue, const std::string& topic_id) override;
  Result<cloud::Attributes> get_attributes(const std::string& queue_url) override;
  Result<void> send_batch(const std::string& queue_url, std::span<const cloud::OutgoingMessage> messages) override;
  Result<std::vector<cloud::ReceivedMessage>> receive(const std::string& queue_url,
                                                      const cloud::ReceiveOptions& options) override;
  Result<void> delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) override;
  Result<void> delete_queue(const std::string& queue_url) override;

  // Beyond the interface.
  Result<std::string> get_queue_url(const std::string& name);
  Result<void> set_attributes(const std::string& queue_url, const cloud::Attributes& attributes);

  // arn:<partition>:sqs:<region>:<account>:<name> from a queue URL (https://sqs.<region>.<domain>/<account>/<name>).
  static std::string arn_from_url(const std::string& queue_url, const std::string& fallback_region);
  // The messages of a ReceiveMessage response (kInternal if malformed or a body fails its MD5).
  static Result<std::vector<cloud::ReceivedMessage>> parse_receive_response(const std::string& body);

 private:
  Result<std::string> call(const std::string& operation, const std::string& body_json, Idempotent idempotent,
                           double timeout_s = 30.0);
  std::shared_ptr<ServiceClient> service_;
  std::mutex mu_;
  std::map<std::string, std::set<std::string>> allowed_topics_;  // queue url → topic ARNs
};

}  // namespace engine::aws
