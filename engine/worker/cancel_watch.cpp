// The watched services of a worker elsewhere and the alive-marker probe (see cancel_watch.hpp).
#include "engine/worker/cancel_watch.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

namespace engine {
namespace {

// Runs call() unless the run is known cancelled; a kNotFound error triggers a probe, so a
// cancelled run's missing queue/topic/object becomes "run cancelled" and not a worker failure.
template <class Call>
auto watched(CancelWatch& w, const char* where, Call&& call) -> decltype(call()) {
  if (w.cancelled()) return w.cancelled_error(where);
  auto r = call();
  if (!r && r.error().code == ErrorCode::kNotFound && !w.probe(r.error().message())) return w.cancelled_error(where);
  return r;
}

class WatchedPubSub final : public cloud::PubSub {
 public:
  WatchedPubSub(cloud::PubSub& inner, CancelWatch& w) : inner_(inner), w_(w) {}
  Result<std::string> create_topic(const std::string& name) override { return inner_.create_topic(name); }
  Result<std::string> subscribe_queue(const std::string& topic, const std::string& queue_arn,
                                      const cloud::FilterPolicy& filter) override {
    return inner_.subscribe_queue(topic, queue_arn, filter);
  }
  Result<void> publish_batch(const std::string& topic, std::span<const cloud::OutgoingMessage> m) override {
    return watched(w_, "publish_batch", [&] { return inner_.publish_batch(topic, m); });
  }
  Result<void> unsubscribe(const std::string& id) override { return inner_.unsubscribe(id); }
  Result<void> delete_topic(const std::string& id) override { return inner_.delete_topic(id); }

 private:
  cloud::PubSub& inner_;
  CancelWatch& w_;
};

class WatchedQueue final : public cloud::Queue {
 public:
  WatchedQueue(cloud::Queue& inner, CancelWatch& w) : inner_(inner), w_(w) {}
  Result<cloud::QueueHandle> create_queue(const std::string& name) override { return inner_.create_queue(name); }
  Result<void> allow_topic(const cloud::QueueHandle& q, const std::string& topic) override {
    return inner_.allow_topic(q, topic);
  }
  Result<cloud::Attributes> get_attributes(const std::string& url) override {
    return watched(w_, "get_attributes", [&] { return inner_.get_attributes(url); });
  }
  Result<void> send_batch(const std::string& url, std::span<const cloud::OutgoingMessage> m) override {
    return watched(w_, "send_batch", [&] { return inner_.send_batch(url, m); });
  }
  Result<std::vector<cloud::ReceivedMessage>> receive(const std::string& url, const cloud::ReceiveOptions& o) override {
    auto r = watched(w_, "receive", [&] { return inner_.receive(url, o); });
    if (r && r->empty() && !w_.probe_if_idle("an empty receive")) return w_.cancelled_error("receive");
    return r;
  }
  Result<void> delete_batch(const std::string& url, std::span<const std::string> h) override {
    return watched(w_, "delete_batch", [&] { return inner_.delete_batch(url, h); });
  }
  Result<void> delete_queue(const std::string& url) override { return inner_.delete_queue(url); }

 private:
  cloud::Queue& inner_;
  CancelWatch& w_;
};

class WatchedObjects final : public cloud::ObjectStore {
 public:
  WatchedObjects(cloud::ObjectStore& inner, CancelWatch& w) : inner_(inner), w_(w) {}
  Result<void> create_bucket(const std::string& b) override { return inner_.create_bucket(b); }
  Result<void> put(const std::string& b, const std::string& k, std::string_view bytes) override {
    if (w_.cancelled()) return w_.cancelled_error("put");
    w_.remember_put(b, k);  // before the call: a PUT that timed out may still land
    return watched(w_, "put", [&] { return inner_.put(b, k, bytes); });
  }
  Result<std::string> get(const std::string& b, const std::string& k) override {
    return watched(w_, "get", [&] { return inner_.get(b, k); });
  }
  Result<cloud::ListPage> list(const std::string& b, const std::string& p, const std::string& token,
                               int max_keys) override {
    auto r = watched(w_, "list", [&] { return inner_.list(b, p, token, max_keys); });
    if (r && unchanged(b + '\n' + p + '\n' + token, r->keys) && !w_.probe_if_idle("a listing without news"))
      return w_.cancelled_error("list");
    return r;
  }
  Result<void> delete_objects(const std::string& b, std::span<const std::string> keys) override {
    return watched(w_, "delete_objects", [&] { return inner_.delete_objects(b, keys); });
  }

 private:
  // An idle poll: the same page as the last listing of this prefix (empty, or only blocks already
  // seen while a source is missing). Remembers a digest per (bucket, prefix, token), at most 64.
  bool unchanged(const std::string& where, const std::vector<std::string>& keys) {
    std::uint64_t h = 14695981039346656037ull;
    for (const auto& k : keys) {
      for (unsigned char c : k) h = (h ^ c) * 1099511628211ull;
      h = (h ^ 0xff) * 1099511628211ull;
    }
    std::lock_guard lock(mu_);
    if (last_.size() >= 64 && !last_.count(where)) last_.clear();
    auto [it, fresh] = last_.try_emplace(where, h);
    const bool same = !fresh && it->second == h;
    it->second = h;
    return same || keys.empty();
  }

  cloud::ObjectStore& inner_;
  CancelWatch& w_;
  std::mutex mu_;
  std::map<std::string, std::uint64_t> last_;
};

}  // namespace

CancelWatch::CancelWatch(cloud::Services services, cloud::ObjectStore& control, std::string bucket,
                         std::string alive_key, CancelWatchOptions options)
    : inner_(services),
      control_(control),
      bucket_(std::move(bucket)),
      alive_key_(std::move(alive_key)),
      options_(options),
      last_probe_s_(services.runtime->now_s()) {
  if (inner_.pubsub) pubsub_ = std::make_unique<WatchedPubSub>(*inner_.pubsub, *this);
  if (inner_.queue) queue_ = std::make_unique<WatchedQueue>(*inner_.queue, *this);
  if (inner_.objects) objects_ = std::make_unique<WatchedObjects>(*inner_.objects, *this);
}

CancelWatch::~CancelWatch() = default;

cloud::Services CancelWatch::services() {
  cloud::Services s = inner_;
  s.pubsub = pubsub_.get();
  s.queue = queue_.get();
  s.objects = objects_.get();
  return s;
}

std::string CancelWatch::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

Error CancelWatch::cancelled_error(const std::string& where) const {
  return Error{ErrorCode::kNotFound, "CancelWatch:" + where, "run cancelled (" + alive_key_ + " is gone)"};
}

bool CancelWatch::probe(const std::string& symptom) {
  if (cancelled_) return false;
  {
    std::lock_guard lock(mu_);
    last_probe_s_ = inner_.runtime->now_s();
  }
  auto got = control_.get(bucket_, alive_key_);
  if (got || got.error().code != ErrorCode::kNotFound) return true;
  std::lock_guard lock(mu_);
  if (!cancelled_) reason_ = symptom;
  cancelled_ = true;
  return false;
}

bool CancelWatch::probe_if_idle(const std::string& symptom) {
  if (cancelled_) return false;
  {
    std::lock_guard lock(mu_);
    if (inner_.runtime->now_s() - last_probe_s_ < options_.probe_interval_s) return true;
  }
  return probe(symptom);
}

void CancelWatch::remember_put(const std::string& bucket, const std::string& key) {
  std::lock_guard lock(mu_);
  put_.emplace(bucket, key);
}

Result<void> CancelWatch::remove_own_objects() {
  std::set<std::pair<std::string, std::string>> put;
  {
    std::lock_guard lock(mu_);
    put.swap(put_);
  }
  std::vector<std::string> keys;
  for (auto it = put.begin(); it != put.end();) {
    const std::string bucket = it->first;
    keys.clear();
    for (; it != put.end() && it->first == bucket && keys.size() < 1000; ++it) keys.push_back(it->second);
    if (auto ok = inner_.objects->delete_objects(bucket, keys); !ok && ok.error().code != ErrorCode::kNotFound)
      return ok;
  }
  return Ok{};
}

}  // namespace engine
