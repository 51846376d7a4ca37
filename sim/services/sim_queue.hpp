// SimQueue: SQS standard queues in simulated time, implementing engine::cloud::Queue.
//
// Semantics the queue channel relies on:
// - receive returns up to max_messages (≤ 10) messages visible when the request arrives; with
//   wait_time_s > 0 (long polling) it waits for the first one to become visible, at most
//   wait_time_s, and returns as soon as one is. A received message is invisible for
//   visibility_timeout_s, then visible again (receive_count + 1) unless deleted: at-least-once.
//   Unlike AWS short polling, wait_time_s = 0 sees every visible message (no server sampling).
// - Messages delivered by SimPubSub become visible at their delivery time, not at once.
// - Batch limits: 1..10 entries, each ≤ 256 KiB and ≤ 256 KiB in total per send_batch.
// Every call costs one request to the "sqs" endpoint (see Endpoint). Not thread-safe: one
// SimGrid world on one OS thread.
#pragma once

#include <simgrid/s4u/ConditionVariable.hpp>
#include <simgrid/s4u/Mutex.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/cloud/queue.hpp"
#include "sim/services/endpoint.hpp"

namespace sim {

class Simulation;

class SimQueue : public engine::cloud::Queue {
 public:
  explicit SimQueue(Simulation& sim);

  engine::Result<engine::cloud::QueueHandle> create_queue(const std::string& name) override;
  engine::Result<void> allow_topic(const engine::cloud::QueueHandle& queue, const std::string& topic_id) override;
  engine::Result<engine::cloud::Attributes> get_attributes(const std::string& queue_url) override;
  engine::Result<void> send_batch(const std::string& queue_url,
                                  std::span<const engine::cloud::OutgoingMessage> messages) override;
  engine::Result<std::vector<engine::cloud::ReceivedMessage>> receive(
      const std::string& queue_url, const engine::cloud::ReceiveOptions& options) override;
  engine::Result<void> delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) override;
  engine::Result<void> delete_queue(const std::string& queue_url) override;

  // SimPubSub's delivery: the message becomes visible in the queue with that ARN at visible_at_s.
  // Returns false if no such queue exists (SNS then drops the delivery, as AWS does).
  bool deliver(const std::string& queue_arn, const engine::cloud::OutgoingMessage& message, double visible_at_s);

  // Messages in a queue, visible or in flight (tests; SQS ApproximateNumberOfMessages + NotVisible).
  std::size_t size(const std::string& queue_url) const;

  // Validation shared with SimPubSub::publish_batch: 1..10 entries, each and all ≤ 256 KiB.
  static engine::Result<std::uint64_t> check_batch(const std::string& where,
                                                   std::span<const engine::cloud::OutgoingMessage> messages);

 private:
  struct Stored {
    engine::cloud::OutgoingMessage message;
    double visible_at_s = 0;
    int receive_count = 0;
    std::uint64_t receipt_serial = 0;  // the only receipt handle delete accepts
  };
  struct Box {
    std::string name, url, arn;
    std::map<std::uint64_t, Stored> messages;  // by message serial: deterministic order
    simgrid::s4u::MutexPtr mutex;
    simgrid::s4u::ConditionVariablePtr arrived;
  };
  std::shared_ptr<Box> find(const std::string& url);
  engine::Error no_queue(const std::string& where, const std::string& url) const;

  Simulation& sim_;
  Endpoint endpoint_;
  std::map<std::string, std::shared_ptr<Box>> boxes_;  // by url; shared so a waiter outlives delete_queue
  std::map<std::string, std::string> by_arn_;  // arn → url
  std::uint64_t next_serial_ = 1;
};

}  // namespace sim
