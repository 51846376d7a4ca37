#include "engine/cloud/memory/memory_queue.hpp"

#include <algorithm>

#include "engine/cloud/memory/limits.hpp"

namespace engine::cloud::memory {
namespace {
Error no_queue(const std::string& where, const std::string& url) {
  return Error{ErrorCode::kNotFound, where, "no queue " + url};
}
}  // namespace

Result<QueueHandle> MemoryQueue::create_queue(const std::string& name) {
  if (name.empty() || name.size() > 80)
    return Error{ErrorCode::kInvalidInput, "sqs:CreateQueue", "queue names have 1..80 characters"};
  std::lock_guard lock(mu_);
  const std::string url = "memory://sqs/" + name;
  auto& q = queues_[url];
  if (!q) {
    q = std::make_unique<State>();
    q->name = name;
    q->arn = "arn:memory:sqs:" + name;
    url_by_arn_[q->arn] = url;
  }
  return QueueHandle{url, q->arn};
}

Result<void> MemoryQueue::allow_topic(const QueueHandle& queue, const std::string& /*topic_id*/) {
  std::lock_guard lock(mu_);
  if (!queues_.count(queue.url)) return no_queue("sqs:SetQueueAttributes", queue.url);
  return Ok{};
}

Result<Attributes> MemoryQueue::get_attributes(const std::string& queue_url) {
  std::lock_guard lock(mu_);
  auto it = queues_.find(queue_url);
  if (it == queues_.end()) return no_queue("sqs:GetQueueAttributes", queue_url);
  const auto now = Clock::now();
  std::size_t visible = 0;
  for (const auto& m : it->second->messages) visible += m.visible_at <= now;
  return Attributes{{"QueueArn", it->second->arn},
                    {"ApproximateNumberOfMessages", std::to_string(visible)},
                    {"ApproximateNumberOfMessagesNotVisible", std::to_string(it->second->messages.size() - visible)}};
}

void MemoryQueue::enqueue_locked(State& q, const OutgoingMessage& m) {
  q.messages.push_back(Stored{"m" + std::to_string(next_id_++), m, Clock::now(), 0});
  q.arrived.notify_all();
}

Result<void> MemoryQueue::send_batch(const std::string& queue_url, std::span<const OutgoingMessage> messages) {
  if (auto ok = check_batch(messages, "sqs:SendMessageBatch"); !ok) return ok;
  std::lock_guard lock(mu_);
  auto it = queues_.find(queue_url);
  if (it == queues_.end()) return no_queue("sqs:SendMessageBatch", queue_url);
  for (const auto& m : messages) enqueue_locked(*it->second, m);
  return Ok{};
}

Result<void> MemoryQueue::deliver(const std::string& queue_arn, const OutgoingMessage& message) {
  std::lock_guard lock(mu_);
  auto u = url_by_arn_.find(queue_arn);
  if (u == url_by_arn_.end()) return no_queue("sns:deliver", queue_arn);
  enqueue_locked(*queues_.at(u->second), message);
  return Ok{};
}

Result<std::vector<ReceivedMessage>> MemoryQueue::receive(const std::string& queue_url, const ReceiveOptions& o) {
  if (o.max_messages < 1 || o.max_messages > kMaxBatchEntries)
    return Error{ErrorCode::kInvalidInput, "sqs:ReceiveMessage", "MaxNumberOfMessages must be 1..10"};
  if (o.wait_time_s < 0 || o.wait_time_s > 20)
    return Error{ErrorCode::kInvalidInput, "sqs:ReceiveMessage", "WaitTimeSeconds must be 0..20"};
  std::unique_lock lock(mu_);
  auto it = queues_.find(queue_url);
  if (it == queues_.end()) return no_queue("sqs:ReceiveMessage", queue_url);
  State* q = it->second.get();
  const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(o.wait_time_s));
  const auto invisible_for =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.visibility_timeout_s));
  for (;;) {
    const auto now = Clock::now();
    std::vector<ReceivedMessage> out;
    auto next_visible = Clock::time_point::max();
    for (auto& m : q->messages) {
      if (m.visible_at > now) {
        next_visible = std::min(next_visible, m.visible_at);
        continue;
      }
      if (static_cast<int>(out.size()) == o.max_messages) break;
      m.visible_at = now + invisible_for;
      ++m.receive_count;
      std::string handle = m.id + "#" + std::to_string(next_id_++);
      q->handle_to_id[handle] = m.id;
      out.push_back(ReceivedMessage{m.id, std::move(handle), m.message.body, m.message.attributes, m.receive_count});
    }
    if (!out.empty() || now >= deadline) return out;
    q->arrived.wait_until(lock, std::min(deadline, next_visible));
    // The queue may have been deleted while we waited.
    auto again = queues_.find(queue_url);
    if (again == queues_.end() || again->second.get() != q) return std::vector<ReceivedMessage>{};
  }
}

Result<void> MemoryQueue::delete_batch(const std::string& queue_url, std::span<const std::string> handles) {
  if (handles.empty() || handles.size() > static_cast<std::size_t>(kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, "sqs:DeleteMessageBatch", "a batch holds 1..10 receipt handles"};
  std::lock_guard lock(mu_);
  auto it = queues_.find(queue_url);
  if (it == queues_.end()) return no_queue("sqs:DeleteMessageBatch", queue_url);
  State& q = *it->second;
  for (const auto& h : handles) {
    auto id = q.handle_to_id.find(h);
    if (id == q.handle_to_id.end())
      return Error{ErrorCode::kInvalidInput, "sqs:DeleteMessageBatch", "receipt handle " + h + " was never issued"};
    std::erase_if(q.messages, [&](const Stored& m) { return m.id == id->second; });
  }
  return Ok{};
}

Result<void> MemoryQueue::delete_queue(const std::string& queue_url) {
  std::lock_guard lock(mu_);
  auto it = queues_.find(queue_url);
  if (it == queues_.end()) return no_queue("sqs:DeleteQueue", queue_url);
  it->second->arrived.notify_all();
  url_by_arn_.erase(it->second->arn);
  // Receivers blocked on this queue's condition variable wake, see the queue gone and return;
  // keep the state alive until they have (they re-check under the lock), hence the graveyard.
  graveyard_.push_back(std::move(it->second));
  queues_.erase(it);
  return Ok{};
}

std::size_t MemoryQueue::depth(const std::string& queue_url) const {
  std::lock_guard lock(mu_);
  auto it = queues_.find(queue_url);
  return it == queues_.end() ? 0 : it->second->messages.size();
}

}  // namespace engine::cloud::memory
