// SimQueue: each queue is a map of stored messages with the simulated time they become visible;
// long-polling receivers wait on a condition variable until the next visibility time or the end
// of their wait, and are woken early by every delivery.
#include "sim/services/sim_queue.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <limits>
#include <mutex>

#include "sim/simulation.hpp"

namespace sg4 = simgrid::s4u;
using engine::Error;
using engine::ErrorCode;
using engine::Result;
using engine::cloud::OutgoingMessage;
using engine::cloud::ReceivedMessage;

namespace sim {

SimQueue::SimQueue(Simulation& sim)
    : sim_(sim), endpoint_(sim.endpoint("sqs"), sim.calibration().sqs, sim.worker_calibration().request_overhead_s) {}

Error SimQueue::no_queue(const std::string& where, const std::string& url) const {
  return Error{ErrorCode::kNotFound, where, "no queue " + url};
}

std::shared_ptr<SimQueue::Box> SimQueue::find(const std::string& url) {
  auto it = boxes_.find(url);
  return it == boxes_.end() ? nullptr : it->second;
}

Result<std::uint64_t> SimQueue::check_batch(const std::string& where, std::span<const OutgoingMessage> messages) {
  if (messages.empty() || messages.size() > static_cast<std::size_t>(engine::cloud::kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, where, "a batch takes 1..10 entries, got " + std::to_string(messages.size())};
  std::uint64_t total = 0;
  for (const auto& m : messages) {
    const auto n = engine::cloud::billed_size(m);
    if (n > engine::cloud::kMaxMessageBytes)
      return Error{ErrorCode::kInvalidInput, where, "message of " + std::to_string(n) + " bytes exceeds 262144"};
    total += n;
  }
  if (total > engine::cloud::kMaxMessageBytes)
    return Error{ErrorCode::kInvalidInput, where, "batch of " + std::to_string(total) + " bytes exceeds 262144"};
  return total;
}

Result<engine::cloud::QueueHandle> SimQueue::create_queue(const std::string& name) {
  endpoint_.control();
  const std::string url = "https://sqs.sim/" + name;
  if (!boxes_.count(url)) {
    auto b = std::make_shared<Box>(
        Box{name, url, "arn:sim:sqs:" + name, {}, sg4::Mutex::create(), sg4::ConditionVariable::create()});
    by_arn_[b->arn] = url;
    boxes_.emplace(url, std::move(b));
  }
  const Box& b = *boxes_.at(url);
  return engine::cloud::QueueHandle{b.url, b.arn};
}

Result<void> SimQueue::allow_topic(const engine::cloud::QueueHandle& queue, const std::string&) {
  endpoint_.control();  // SetQueueAttributes is a request on AWS too (engine/aws/sqs_client.cpp)
  if (!find(queue.url)) return no_queue("sqs:SetQueueAttributes", queue.url);
  return engine::Ok{};
}

Result<engine::cloud::Attributes> SimQueue::get_attributes(const std::string& queue_url) {
  endpoint_.control();
  auto b = find(queue_url);
  if (!b) return no_queue("sqs:GetQueueAttributes", queue_url);
  const double now = Simulation::now_s();
  std::size_t visible = 0;
  for (const auto& [_, s] : b->messages) visible += s.visible_at_s <= now && s.receive_count == 0;
  return engine::cloud::Attributes{{"ApproximateNumberOfMessages", std::to_string(visible)},
                                   {"QueueArn", b->arn}};
}

Result<void> SimQueue::send_batch(const std::string& queue_url, std::span<const OutgoingMessage> messages) {
  auto checked = check_batch("sqs:SendMessageBatch", messages);
  if (!checked) return checked.error();
  ++sim_.stats().sqs_sends;
  sim_.charge_compress(*checked);
  sim_.charge_messages(messages.size());
  if (!endpoint_.arrive(*checked)) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, "sqs:SendMessageBatch", "throttled"};
  }
  endpoint_.work();
  auto b = find(queue_url);
  if (!b) {
    endpoint_.reply(0);
    return no_queue("sqs:SendMessageBatch", queue_url);
  }
  for (const auto& m : messages) deliver(b->arn, m, Simulation::now_s());
  endpoint_.reply(0);
  return engine::Ok{};
}

bool SimQueue::deliver(const std::string& queue_arn, const OutgoingMessage& message, double visible_at_s) {
  auto it = by_arn_.find(queue_arn);
  if (it == by_arn_.end()) return false;
  Box& b = *boxes_.at(it->second);
  b.messages.emplace(next_serial_++, Stored{message, visible_at_s, 0, 0});
  ++sim_.stats().deliveries;
  if (Endpoint::in_actor()) b.arrived->notify_all();  // waiters recompute their wake-up time
  return true;
}

Result<std::vector<ReceivedMessage>> SimQueue::receive(const std::string& queue_url,
                                                         const engine::cloud::ReceiveOptions& options) {
  const char* where = "sqs:ReceiveMessage";
  if (options.max_messages < 1 || options.max_messages > engine::cloud::kMaxBatchEntries || options.wait_time_s < 0 ||
      options.wait_time_s > 20 || options.visibility_timeout_s < 0)
    return Error{ErrorCode::kInvalidInput, where, "max_messages 1..10, wait_time_s 0..20, visibility_timeout_s >= 0"};
  sim_.wait_background();  // the published worker joins its publish pool before it polls
  ++sim_.stats().sqs_receives;
  if (!endpoint_.arrive(0)) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "throttled"};
  }
  endpoint_.work();
  auto b = find(queue_url);
  if (!b) {
    endpoint_.reply(0);
    return no_queue(where, queue_url);
  }
  std::vector<ReceivedMessage> out;
  std::uint64_t response_bytes = 0;
  const double deadline = Simulation::now_s() + options.wait_time_s;
  std::unique_lock lock(*b->mutex);
  for (;;) {
    const double now = Simulation::now_s();
    double next_visible = std::numeric_limits<double>::infinity();
    for (auto& [serial, s] : b->messages) {
      if (s.visible_at_s > now) {
        next_visible = std::min(next_visible, s.visible_at_s);
        continue;
      }
      if (static_cast<int>(out.size()) == options.max_messages) break;
      s.visible_at_s = now + options.visibility_timeout_s;
      ++s.receive_count;
      s.receipt_serial = next_serial_++;
      out.push_back(ReceivedMessage{"m-" + std::to_string(serial),
                                    std::to_string(serial) + ":" + std::to_string(s.receipt_serial), s.message.body,
                                    s.message.attributes, s.receive_count});
      response_bytes += engine::cloud::billed_size(s.message);
    }
    if (!out.empty() || now >= deadline || !Endpoint::in_actor()) break;
    b->arrived->wait_until(lock, std::min(deadline, next_visible));
  }
  lock.unlock();
  endpoint_.reply(response_bytes);
  sim_.charge_decompress(response_bytes);
  sim_.charge_messages(out.size());
  sim_.charge_message_bodies(response_bytes);
  return out;
}

Result<void> SimQueue::delete_batch(const std::string& queue_url, std::span<const std::string> receipt_handles) {
  const char* where = "sqs:DeleteMessageBatch";
  if (receipt_handles.empty() || receipt_handles.size() > static_cast<std::size_t>(engine::cloud::kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, where, "a batch takes 1..10 receipt handles"};
  ++sim_.stats().sqs_deletes;
  if (!endpoint_.arrive(0)) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "throttled"};
  }
  endpoint_.work();
  auto b = find(queue_url);
  if (!b) {
    endpoint_.reply(0);
    return no_queue(where, queue_url);
  }
  for (const auto& handle : receipt_handles) {
    const auto colon = handle.find(':');
    if (colon == std::string::npos) continue;  // not one of ours: AWS reports it per entry; ignoring is safe
    std::uint64_t serial = 0, receipt = 0;
    try {
      serial = std::stoull(handle.substr(0, colon));
      receipt = std::stoull(handle.substr(colon + 1));
    } catch (const std::exception&) {
      continue;
    }
    auto it = b->messages.find(serial);
    // A stale handle (the message was received again since) does not delete: at-least-once.
    if (it != b->messages.end() && it->second.receipt_serial == receipt) b->messages.erase(it);
  }
  endpoint_.reply(0);
  return engine::Ok{};
}

Result<void> SimQueue::delete_queue(const std::string& queue_url) {
  endpoint_.control();
  auto it = boxes_.find(queue_url);
  if (it == boxes_.end()) return no_queue("sqs:DeleteQueue", queue_url);
  by_arn_.erase(it->second->arn);
  it->second->arrived->notify_all();
  boxes_.erase(it);
  return engine::Ok{};
}

std::size_t SimQueue::size(const std::string& queue_url) const {
  auto it = boxes_.find(queue_url);
  return it == boxes_.end() ? 0 : it->second->messages.size();
}

}  // namespace sim
