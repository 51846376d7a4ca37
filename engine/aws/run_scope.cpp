// Tracking decorators and cleanup of run-scoped resources; the signal watcher.
#include "engine/aws/run_scope.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdio>

namespace engine::aws {

// What the run created. Once closed (cleanup began), new creations are refused, and cleanup
// waits for those in flight, so nothing created concurrently with an interrupt escapes it.
class RunScope::Tracker {
 public:
  std::mutex mu;
  std::condition_variable idle;
  bool closed = false;
  bool cleaning = false;  // a cleanup() is removing things; others wait for it to finish
  int in_flight = 0;
  std::vector<std::string> topics, subscriptions, queue_urls;
  std::map<std::string, std::set<std::string>> objects;    // bucket → keys put
  std::set<std::pair<std::string, std::string>> prefixes;  // (bucket, prefix) to empty

  // Runs a creating call unless closed; `record` runs under the lock with the result.
  template <class Call, class Record>
  auto create(const char* where, Call&& call, Record&& record) -> decltype(call()) {
    {
      std::lock_guard lock(mu);
      if (closed) return Error{ErrorCode::kUnavailable, where, "the run is being cleaned up"};
      ++in_flight;
    }
    auto r = call();
    std::lock_guard lock(mu);
    record(r);
    if (--in_flight == 0) idle.notify_all();
    return r;
  }
};

namespace {

class TrackedPubSub final : public cloud::PubSub {
 public:
  TrackedPubSub(cloud::PubSub& inner, RunScope::Tracker& t) : inner_(inner), t_(t) {}
  Result<std::string> create_topic(const std::string& name) override {
    return t_.create(
        "RunScope:create_topic", [&] { return inner_.create_topic(name); },
        [&](const Result<std::string>& r) {
          if (r) t_.topics.push_back(*r);
        });
  }
  Result<std::string> subscribe_queue(const std::string& topic, const std::string& queue_arn,
                                      const cloud::FilterPolicy& filter) override {
    return t_.create(
        "RunScope:subscribe_queue", [&] { return inner_.subscribe_queue(topic, queue_arn, filter); },
        [&](const Result<std::string>& r) {
          if (r) t_.subscriptions.push_back(*r);
        });
  }
  Result<void> publish_batch(const std::string& topic, std::span<const cloud::OutgoingMessage> m) override {
    return inner_.publish_batch(topic, m);
  }
  Result<void> unsubscribe(const std::string& id) override { return inner_.unsubscribe(id); }
  Result<void> delete_topic(const std::string& id) override { return inner_.delete_topic(id); }

 private:
  cloud::PubSub& inner_;
  RunScope::Tracker& t_;
};

class TrackedQueue final : public cloud::Queue {
 public:
  TrackedQueue(cloud::Queue& inner, RunScope::Tracker& t) : inner_(inner), t_(t) {}
  Result<cloud::QueueHandle> create_queue(const std::string& name) override {
    return t_.create(
        "RunScope:create_queue", [&] { return inner_.create_queue(name); },
        [&](const Result<cloud::QueueHandle>& r) {
          if (r) t_.queue_urls.push_back(r->url);
        });
  }
  Result<void> allow_topic(const cloud::QueueHandle& q, const std::string& topic) override {
    return inner_.allow_topic(q, topic);
  }
  Result<cloud::Attributes> get_attributes(const std::string& url) override { return inner_.get_attributes(url); }
  Result<void> send_batch(const std::string& url, std::span<const cloud::OutgoingMessage> m) override {
    return inner_.send_batch(url, m);
  }
  Result<std::vector<cloud::ReceivedMessage>> receive(const std::string& url, const cloud::ReceiveOptions& o) override {
    return inner_.receive(url, o);
  }
  Result<void> delete_batch(const std::string& url, std::span<const std::string> h) override {
    return inner_.delete_batch(url, h);
  }
  Result<void> delete_queue(const std::string& url) override { return inner_.delete_queue(url); }

 private:
  cloud::Queue& inner_;
  RunScope::Tracker& t_;
};

class TrackedObjects final : public cloud::ObjectStore {
 public:
  TrackedObjects(cloud::ObjectStore& inner, RunScope::Tracker& t) : inner_(inner), t_(t) {}
  Result<void> create_bucket(const std::string& b) override { return inner_.create_bucket(b); }
  Result<void> put(const std::string& b, const std::string& k, std::string_view bytes) override {
    // Remembered whatever the outcome: a PUT that timed out may still have landed.
    return t_.create(
        "RunScope:put", [&] { return inner_.put(b, k, bytes); }, [&](const Result<void>&) { t_.objects[b].insert(k); });
  }
  Result<std::string> get(const std::string& b, const std::string& k) override { return inner_.get(b, k); }
  Result<cloud::ListPage> list(const std::string& b, const std::string& p, const std::string& token,
                               int max_keys) override {
    return inner_.list(b, p, token, max_keys);
  }
  Result<void> delete_objects(const std::string& b, std::span<const std::string> keys) override {
    return inner_.delete_objects(b, keys);
  }

 private:
  cloud::ObjectStore& inner_;
  RunScope::Tracker& t_;
};

bool gone(const Result<void>& r) { return r || r.error().code == ErrorCode::kNotFound; }

std::atomic<int> g_signal_fd{-1};

void on_signal(int sig) {
  int fd = g_signal_fd.load();
  if (fd >= 0) {
    unsigned char s = static_cast<unsigned char>(sig);
    [[maybe_unused]] ssize_t n = ::write(fd, &s, 1);  // async-signal-safe
  }
}

}  // namespace

RunScope::RunScope(cloud::PubSub& pubsub, cloud::Queue& queue, cloud::ObjectStore& objects)
    : tracker_(std::make_unique<Tracker>()),
      pubsub_(std::make_unique<TrackedPubSub>(pubsub, *tracker_)),
      queue_(std::make_unique<TrackedQueue>(queue, *tracker_)),
      objects_(std::make_unique<TrackedObjects>(objects, *tracker_)) {
  inner_pubsub_ = &pubsub;
  inner_queue_ = &queue;
  inner_objects_ = &objects;
}

RunScope::~RunScope() { cleanup(); }

void RunScope::remove_prefix_at_cleanup(const std::string& bucket, const std::string& prefix) {
  std::lock_guard lock(tracker_->mu);
  tracker_->prefixes.emplace(bucket, prefix);
}

CleanupReport RunScope::cleanup() {
  std::vector<std::string> topics, subscriptions, queue_urls;
  std::map<std::string, std::set<std::string>> objects;
  std::set<std::pair<std::string, std::string>> prefixes;
  {
    std::unique_lock lock(tracker_->mu);
    if (tracker_->cleaning) {  // e.g. the signal watcher's: the process must not end before it does
      tracker_->idle.wait(lock, [&] { return !tracker_->cleaning; });
      return {};
    }
    tracker_->closed = true;
    tracker_->cleaning = true;
    // Creations in flight finish (bounded by the clients' own timeouts) and are recorded first.
    tracker_->idle.wait(lock, [&] { return tracker_->in_flight == 0; });
    topics.swap(tracker_->topics);
    subscriptions.swap(tracker_->subscriptions);
    queue_urls.swap(tracker_->queue_urls);
    objects.swap(tracker_->objects);
    prefixes.swap(tracker_->prefixes);
  }
  CleanupReport report;
  auto note = [&](const Result<void>& r, int& count) {
    if (r)
      ++count;
    else if (!gone(r))
      report.errors.push_back(r.error().message());
  };
  // Objects first: the run's alive marker (engine/worker/cancel_watch.hpp) is under its prefix,
  // so workers elsewhere (Lambdas) that then find their queue or topic gone know the run was
  // cancelled. The prefixes are listed again at the end for what such workers put meanwhile.
  auto remove_objects = [&](std::map<std::string, std::set<std::string>> objects) {
    for (const auto& [bucket, prefix] : prefixes) {
      std::string token;
      do {
        auto page = inner_objects_->list(bucket, prefix, token);
        if (!page) {
          if (page.error().code != ErrorCode::kNotFound) report.errors.push_back(page.error().message());
          break;
        }
        objects[bucket].insert(page->keys.begin(), page->keys.end());
        token = page->next_token;
      } while (!token.empty());
    }
    for (const auto& [bucket, keys] : objects) {
      std::vector<std::string> all(keys.begin(), keys.end());
      for (std::size_t i = 0; i < all.size(); i += 1000) {
        std::span<const std::string> batch(all.data() + i, std::min<std::size_t>(1000, all.size() - i));
        auto r = inner_objects_->delete_objects(bucket, batch);
        if (r)
          report.objects += static_cast<int>(batch.size());
        else if (!gone(r))
          report.errors.push_back(r.error().message());
      }
    }
  };
  remove_objects(std::move(objects));
  for (const auto& s : subscriptions) note(inner_pubsub_->unsubscribe(s), report.subscriptions);
  for (const auto& t : topics) note(inner_pubsub_->delete_topic(t), report.topics);
  for (const auto& q : queue_urls) note(inner_queue_->delete_queue(q), report.queues);
  if (!prefixes.empty()) remove_objects({});
  std::lock_guard lock(tracker_->mu);
  tracker_->cleaning = false;
  tracker_->idle.notify_all();
  return report;
}

CleanupOnSignal::CleanupOnSignal(std::function<void()> on_signal_fn) : on_signal_(std::move(on_signal_fn)) {
  if (::pipe(pipe_) != 0) throw std::runtime_error("CleanupOnSignal: pipe failed");
  int expected = -1;
  if (!g_signal_fd.compare_exchange_strong(expected, pipe_[1]))
    throw std::logic_error("CleanupOnSignal: only one at a time");
  watcher_ = std::make_unique<std::thread>([this] {
    unsigned char sig = 0;
    if (::read(pipe_[0], &sig, 1) != 1 || sig == 0) return;  // 0: normal shutdown
    std::fprintf(stderr, "fsd: signal %d: removing this run's cloud resources...\n", sig);
    on_signal_();
    std::_Exit(128 + sig);
  });
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  auto* old_int = new struct sigaction;
  auto* old_term = new struct sigaction;
  ::sigaction(SIGINT, &sa, old_int);
  ::sigaction(SIGTERM, &sa, old_term);
  old_int_ = old_int;
  old_term_ = old_term;
}

CleanupOnSignal::~CleanupOnSignal() {
  auto* old_int = static_cast<struct sigaction*>(old_int_);
  auto* old_term = static_cast<struct sigaction*>(old_term_);
  ::sigaction(SIGINT, old_int, nullptr);
  ::sigaction(SIGTERM, old_term, nullptr);
  delete old_int;
  delete old_term;
  unsigned char zero = 0;
  [[maybe_unused]] ssize_t n = ::write(pipe_[1], &zero, 1);
  watcher_->join();
  g_signal_fd.store(-1);
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

}  // namespace engine::aws
