// SimPubSub: topics are lists of subscriptions; a publish hands each passing message to SimQueue
// with its visibility time (accept time + delivery latency).
#include "sim/services/sim_pubsub.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <stdexcept>

#include "sim/services/sim_queue.hpp"
#include "sim/simulation.hpp"

using engine::Error;
using engine::ErrorCode;
using engine::Result;
using engine::cloud::OutgoingMessage;

namespace sim {

SimPubSub::SimPubSub(Simulation& sim, SimQueue& queues)
    : sim_(sim), queues_(queues), endpoint_(sim.endpoint("sns"), sim.calibration().sns.publish, sim.worker_calibration().request_overhead_s),
      rng_(sim.calibration().seed) {}

bool SimPubSub::passes(const engine::cloud::FilterPolicy& filter, const engine::cloud::Attributes& attributes) {
  for (const auto& [key, allowed] : filter) {
    auto it = attributes.find(key);
    if (it == attributes.end() || std::find(allowed.begin(), allowed.end(), it->second) == allowed.end()) return false;
  }
  return true;
}

Result<std::string> SimPubSub::create_topic(const std::string& name) {
  endpoint_.control();
  const std::string id = "arn:sim:sns:" + name;
  topics_.try_emplace(id);
  return id;
}

Result<std::string> SimPubSub::subscribe_queue(const std::string& topic_id, const std::string& queue_arn,
                                               const engine::cloud::FilterPolicy& filter) {
  endpoint_.control();
  auto it = topics_.find(topic_id);
  if (it == topics_.end()) return Error{ErrorCode::kNotFound, "sns:Subscribe", "no topic " + topic_id};
  const std::string id = topic_id + ":sub-" + std::to_string(next_subscription_++);
  subscriptions_[id] = Subscription{id, topic_id, queue_arn, filter};
  it->second.push_back(id);
  return id;
}

Result<void> SimPubSub::publish_batch(const std::string& topic_id, std::span<const OutgoingMessage> messages) {
  const char* where = "sns:PublishBatch";
  auto checked = SimQueue::check_batch(where, messages);
  if (!checked) return checked.error();
  const int threads = sim_.worker_calibration().publish_threads;
  if (threads <= 1 || !Endpoint::in_actor()) return publish_now(topic_id, messages, *checked);
  sim_.start_background(threads, "publish", [this, topic_id, bytes = *checked,
                                             batch = std::vector<OutgoingMessage>(messages.begin(), messages.end())] {
    for (int retry = 0;; ++retry) {
      auto ok = publish_now(topic_id, batch, bytes);
      if (ok) return;
      if (ok.error().code != ErrorCode::kUnavailable || retry == 4)
        throw std::runtime_error("background " + ok.error().message());
      simgrid::s4u::this_actor::sleep_for(0.1 * (1 << retry));  // sds_inf_queue_worker.py's backoff
    }
  });
  return engine::Ok{};
}

Result<void> SimPubSub::publish_now(const std::string& topic_id, std::span<const OutgoingMessage> messages,
                                    std::uint64_t bytes) {
  const char* where = "sns:PublishBatch";
  ++sim_.stats().publish_batches;
  sim_.charge_compress(bytes);
  sim_.charge_messages(messages.size());
  sim_.charge_message_bodies(bytes);
  if (!endpoint_.arrive(bytes)) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "throttled"};
  }
  endpoint_.work();
  auto topic = topics_.find(topic_id);
  if (topic == topics_.end()) {
    endpoint_.reply(0);
    return Error{ErrorCode::kNotFound, where, "no topic " + topic_id};
  }
  const auto& sns = sim_.calibration().sns;
  const double visible_at = Simulation::now_s() + sns.delivery_latency_s;
  std::bernoulli_distribution duplicate(sns.duplicate_probability);
  std::exponential_distribution<double> jitter(sns.delivery_jitter_s > 0 ? 1.0 / sns.delivery_jitter_s : 1.0);
  for (const auto& m : messages)
    for (const auto& sub_id : topic->second) {
      const Subscription& sub = subscriptions_.at(sub_id);
      if (!passes(sub.filter, m.attributes)) continue;
      const double at = visible_at + (sns.delivery_jitter_s > 0 ? jitter(rng_) : 0.0);
      queues_.deliver(sub.queue_arn, m, at);
      if (sns.duplicate_probability > 0 && duplicate(rng_)) queues_.deliver(sub.queue_arn, m, at);
    }
  endpoint_.reply(0);
  return engine::Ok{};
}

Result<void> SimPubSub::unsubscribe(const std::string& subscription_id) {
  endpoint_.control();
  auto it = subscriptions_.find(subscription_id);
  if (it == subscriptions_.end()) return Error{ErrorCode::kNotFound, "sns:Unsubscribe", subscription_id};
  auto& subs = topics_[it->second.topic_id];
  subs.erase(std::remove(subs.begin(), subs.end(), subscription_id), subs.end());
  subscriptions_.erase(it);
  return engine::Ok{};
}

Result<void> SimPubSub::delete_topic(const std::string& topic_id) {
  endpoint_.control();
  auto it = topics_.find(topic_id);
  if (it == topics_.end()) return engine::Ok{};  // AWS: deleting a missing topic succeeds
  for (const auto& sub_id : it->second) subscriptions_.erase(sub_id);
  topics_.erase(it);
  return engine::Ok{};
}

}  // namespace sim
