#include "engine/cloud/meter.hpp"

#include <cmath>
#include <mutex>

namespace engine::cloud {

struct Meter::Counters {
  std::atomic<std::int64_t> sns_publish_requests{0}, sns_publish_billed{0}, sns_messages{0}, sns_payload_bytes{0},
      sns_other_requests{0};
  std::atomic<std::int64_t> sqs_send_requests{0}, sqs_send_billed{0}, sqs_receive_requests{0}, sqs_receive_billed{0},
      sqs_empty_receives{0}, sqs_messages_received{0}, sqs_received_bytes{0}, sqs_delete_requests{0},
      sqs_other_requests{0};
  std::atomic<std::int64_t> s3_put_requests{0}, s3_put_bytes{0}, s3_get_requests{0}, s3_get_bytes{0},
      s3_list_requests{0}, s3_delete_requests{0}, s3_other_requests{0};
  std::atomic<std::int64_t> lambda_invocations{0};
  std::atomic<std::int64_t> sns_errors{0}, sqs_errors{0}, s3_errors{0}, lambda_errors{0};
  std::mutex lambda_mu;  // guards the two doubles (no atomic<double> fetch_add before C++20 on all libs)
  double lambda_gb_s = 0, lambda_duration_s = 0;
};

namespace {
using C = Meter::Counters;

std::int64_t payload_of(std::span<const OutgoingMessage> messages) {
  std::int64_t n = 0;
  for (const auto& m : messages) n += static_cast<std::int64_t>(billed_size(m));
  return n;
}

// Counts a result: on success `billed`, on failure the service's error counter.
template <class R>
R count(R r, std::atomic<std::int64_t>& ok_counter, std::atomic<std::int64_t>& errors) {
  (r ? ok_counter : errors).fetch_add(1, std::memory_order_relaxed);
  return r;
}

class MeteredPubSub final : public PubSub {
 public:
  MeteredPubSub(PubSub& inner, C& c) : inner_(inner), c_(c) {}
  Result<std::string> create_topic(const std::string& name) override {
    return count(inner_.create_topic(name), c_.sns_other_requests, c_.sns_errors);
  }
  Result<std::string> subscribe_queue(const std::string& t, const std::string& q, const FilterPolicy& f) override {
    return count(inner_.subscribe_queue(t, q, f), c_.sns_other_requests, c_.sns_errors);
  }
  Result<void> publish_batch(const std::string& topic, std::span<const OutgoingMessage> messages) override {
    auto r = inner_.publish_batch(topic, messages);
    if (!r) {
      c_.sns_errors.fetch_add(1, std::memory_order_relaxed);
      return r;
    }
    const std::int64_t bytes = payload_of(messages);
    c_.sns_publish_requests.fetch_add(1, std::memory_order_relaxed);
    c_.sns_publish_billed.fetch_add(billed_chunks(bytes), std::memory_order_relaxed);
    c_.sns_messages.fetch_add(static_cast<std::int64_t>(messages.size()), std::memory_order_relaxed);
    c_.sns_payload_bytes.fetch_add(bytes, std::memory_order_relaxed);
    return r;
  }
  Result<void> unsubscribe(const std::string& id) override {
    return count(inner_.unsubscribe(id), c_.sns_other_requests, c_.sns_errors);
  }
  Result<void> delete_topic(const std::string& id) override {
    return count(inner_.delete_topic(id), c_.sns_other_requests, c_.sns_errors);
  }

 private:
  PubSub& inner_;
  C& c_;
};

class MeteredQueue final : public Queue {
 public:
  MeteredQueue(Queue& inner, C& c) : inner_(inner), c_(c) {}
  Result<QueueHandle> create_queue(const std::string& name) override {
    return count(inner_.create_queue(name), c_.sqs_other_requests, c_.sqs_errors);
  }
  Result<void> allow_topic(const QueueHandle& q, const std::string& t) override {
    return count(inner_.allow_topic(q, t), c_.sqs_other_requests, c_.sqs_errors);
  }
  Result<Attributes> get_attributes(const std::string& url) override {
    return count(inner_.get_attributes(url), c_.sqs_other_requests, c_.sqs_errors);
  }
  Result<void> send_batch(const std::string& url, std::span<const OutgoingMessage> messages) override {
    auto r = inner_.send_batch(url, messages);
    if (!r) {
      c_.sqs_errors.fetch_add(1, std::memory_order_relaxed);
      return r;
    }
    c_.sqs_send_requests.fetch_add(1, std::memory_order_relaxed);
    c_.sqs_send_billed.fetch_add(billed_chunks(payload_of(messages)), std::memory_order_relaxed);
    return r;
  }
  Result<std::vector<ReceivedMessage>> receive(const std::string& url, const ReceiveOptions& o) override {
    auto r = inner_.receive(url, o);
    if (!r) {
      c_.sqs_errors.fetch_add(1, std::memory_order_relaxed);
      return r;
    }
    std::int64_t bytes = 0;
    for (const auto& m : *r) {
      bytes += static_cast<std::int64_t>(m.body.size());
      for (const auto& [k, v] : m.attributes) bytes += static_cast<std::int64_t>(k.size() + v.size());
    }
    c_.sqs_receive_requests.fetch_add(1, std::memory_order_relaxed);
    c_.sqs_receive_billed.fetch_add(billed_chunks(bytes), std::memory_order_relaxed);
    if (r->empty()) c_.sqs_empty_receives.fetch_add(1, std::memory_order_relaxed);
    c_.sqs_messages_received.fetch_add(static_cast<std::int64_t>(r->size()), std::memory_order_relaxed);
    c_.sqs_received_bytes.fetch_add(bytes, std::memory_order_relaxed);
    return r;
  }
  Result<void> delete_batch(const std::string& url, std::span<const std::string> handles) override {
    return count(inner_.delete_batch(url, handles), c_.sqs_delete_requests, c_.sqs_errors);
  }
  Result<void> delete_queue(const std::string& url) override {
    return count(inner_.delete_queue(url), c_.sqs_other_requests, c_.sqs_errors);
  }

 private:
  Queue& inner_;
  C& c_;
};

class MeteredObjectStore final : public ObjectStore {
 public:
  MeteredObjectStore(ObjectStore& inner, C& c) : inner_(inner), c_(c) {}
  Result<void> create_bucket(const std::string& b) override {
    return count(inner_.create_bucket(b), c_.s3_other_requests, c_.s3_errors);
  }
  Result<void> put(const std::string& b, const std::string& k, std::string_view bytes) override {
    auto r = count(inner_.put(b, k, bytes), c_.s3_put_requests, c_.s3_errors);
    if (r) c_.s3_put_bytes.fetch_add(static_cast<std::int64_t>(bytes.size()), std::memory_order_relaxed);
    return r;
  }
  Result<std::string> get(const std::string& b, const std::string& k) override {
    auto r = count(inner_.get(b, k), c_.s3_get_requests, c_.s3_errors);
    if (r) c_.s3_get_bytes.fetch_add(static_cast<std::int64_t>(r->size()), std::memory_order_relaxed);
    return r;
  }
  Result<ListPage> list(const std::string& b, const std::string& p, const std::string& t, int max_keys) override {
    return count(inner_.list(b, p, t, max_keys), c_.s3_list_requests, c_.s3_errors);
  }
  Result<void> delete_objects(const std::string& b, std::span<const std::string> keys) override {
    return count(inner_.delete_objects(b, keys), c_.s3_delete_requests, c_.s3_errors);
  }

 private:
  ObjectStore& inner_;
  C& c_;
};

class MeteredFunctions final : public Functions {
 public:
  MeteredFunctions(Functions& inner, C& c) : inner_(inner), c_(c) {}
  Result<std::string> invoke(const std::string& name, const std::string& payload, InvocationType type) override {
    return count(inner_.invoke(name, payload, type), c_.lambda_invocations, c_.lambda_errors);
  }

 private:
  Functions& inner_;
  C& c_;
};
}  // namespace

Meter::Meter(Services inner) : counters_(std::make_unique<Counters>()), inner_(inner) {
  if (inner.pubsub) pubsub_ = std::make_unique<MeteredPubSub>(*inner.pubsub, *counters_);
  if (inner.queue) queue_ = std::make_unique<MeteredQueue>(*inner.queue, *counters_);
  if (inner.objects) objects_ = std::make_unique<MeteredObjectStore>(*inner.objects, *counters_);
  if (inner.functions) functions_ = std::make_unique<MeteredFunctions>(*inner.functions, *counters_);
}

Meter::~Meter() = default;

Services Meter::services() {
  return Services{pubsub_.get(), queue_.get(), objects_.get(), functions_.get(), inner_.runtime};
}

void Meter::record_function_run(double duration_s, int memory_mb) {
  // Lambda bills duration rounded up to the millisecond (AWS Lambda pricing, since Dec 2020).
  const double billed_ms = std::ceil(duration_s * 1000.0 - 1e-9);
  std::lock_guard lock(counters_->lambda_mu);
  counters_->lambda_gb_s += billed_ms / 1000.0 * memory_mb / 1024.0;
  counters_->lambda_duration_s += duration_s;
}

MeteredUsage Meter::usage() const {
  const C& c = *counters_;
  MeteredUsage u;
  u.sns_publish_requests = c.sns_publish_requests;
  u.sns_publish_billed = c.sns_publish_billed;
  u.sns_messages = c.sns_messages;
  u.sns_payload_bytes = c.sns_payload_bytes;
  u.sns_other_requests = c.sns_other_requests;
  u.sqs_send_requests = c.sqs_send_requests;
  u.sqs_send_billed = c.sqs_send_billed;
  u.sqs_receive_requests = c.sqs_receive_requests;
  u.sqs_receive_billed = c.sqs_receive_billed;
  u.sqs_empty_receives = c.sqs_empty_receives;
  u.sqs_messages_received = c.sqs_messages_received;
  u.sqs_received_bytes = c.sqs_received_bytes;
  u.sqs_delete_requests = c.sqs_delete_requests;
  u.sqs_other_requests = c.sqs_other_requests;
  u.s3_put_requests = c.s3_put_requests;
  u.s3_put_bytes = c.s3_put_bytes;
  u.s3_get_requests = c.s3_get_requests;
  u.s3_get_bytes = c.s3_get_bytes;
  u.s3_list_requests = c.s3_list_requests;
  u.s3_delete_requests = c.s3_delete_requests;
  u.s3_other_requests = c.s3_other_requests;
  u.lambda_invocations = c.lambda_invocations;
  u.sns_errors = c.sns_errors;
  u.sqs_errors = c.sqs_errors;
  u.s3_errors = c.s3_errors;
  u.lambda_errors = c.lambda_errors;
  std::lock_guard lock(counters_->lambda_mu);
  u.lambda_gb_s = c.lambda_gb_s;
  u.lambda_duration_s = c.lambda_duration_s;
  return u;
}

}  // namespace engine::cloud
