// SimPubSub: SNS topics fanned out to SQS queues in simulated time (engine::cloud::PubSub).
//
// publish_batch costs one request to the "sns" endpoint (request bytes = the batch's billed
// size). When the service has accepted it, every message is delivered to every subscribed queue
// whose filter policy it passes, becoming visible there sns.delivery_latency_s later; with
// sns.duplicate_probability > 0 a delivery is made twice (seeded, so runs repeat exactly).
// Batch limits as AWS: 1..10 entries, each and all together ≤ 256 KiB. With the modelled worker's
// publish_threads > 1 a valid batch is published by a background actor of the calling instance and
// the call returns at once (calibration.hpp, WorkerCalibration::publish_threads). Not thread-safe:
// one SimGrid world on one OS thread.
#pragma once

#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/cloud/pubsub.hpp"
#include "sim/services/endpoint.hpp"

namespace sim {

class Simulation;
class SimQueue;

class SimPubSub : public engine::cloud::PubSub {
 public:
  SimPubSub(Simulation& sim, SimQueue& queues);

  engine::Result<std::string> create_topic(const std::string& name) override;
  engine::Result<std::string> subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                              const engine::cloud::FilterPolicy& filter) override;
  engine::Result<void> publish_batch(const std::string& topic_id,
                                     std::span<const engine::cloud::OutgoingMessage> messages) override;
  engine::Result<void> unsubscribe(const std::string& subscription_id) override;
  engine::Result<void> delete_topic(const std::string& topic_id) override;

  // SNS filter semantics on string attributes: every key present with one of the listed values.
  static bool passes(const engine::cloud::FilterPolicy& filter, const engine::cloud::Attributes& attributes);

 private:
  // The request itself: its CPU charges, the call to the endpoint, the fan-out.
  engine::Result<void> publish_now(const std::string& topic_id, std::span<const engine::cloud::OutgoingMessage> messages,
                                   std::uint64_t bytes);

  struct Subscription {
    std::string id, topic_id, queue_arn;
    engine::cloud::FilterPolicy filter;
  };
  Simulation& sim_;
  SimQueue& queues_;
  Endpoint endpoint_;
  std::map<std::string, std::vector<std::string>> topics_;  // topic id → subscription ids
  std::map<std::string, Subscription> subscriptions_;
  std::uint64_t next_subscription_ = 1;
  std::mt19937_64 rng_;
};

}  // namespace sim
