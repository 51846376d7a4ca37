// ObjectChannel over the memory backend: one object per pair and layer, 0-byte markers need no
// GET, parallel GETs, parallel bounded PUTs at flush(), the run's objects are gone at the end, bad
// objects and failed PUTs are reported.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "channel_fixture.hpp"

using namespace engine;
using namespace engine::cloud;

namespace {
constexpr wire::Limits kLimits{4096, 2000};

struct Setup {
  explicit Setup(int workers, std::optional<memory::FaultOptions> faults = std::nullopt)
      : cloud(faults), meter(cloud.services()) {
    REQUIRE(cloud.objects().create_bucket("fsd-test"));
    ObjectChannelOptions o;
    o.bucket = "fsd-test";
    o.prefix = "runs/t1";
    o.poll_interval_s = 0.001;
    o.parallel_gets = 3;
    o.retry = chfix::fast_retry();
    for (int p = 0; p < workers; ++p)
      channels.push_back(std::make_unique<ObjectChannel>(meter.services(), p, workers, kLimits, o));
  }
  memory::MemoryCloud cloud;
  Meter meter;
  std::vector<std::unique_ptr<ObjectChannel>> channels;
};
}  // namespace

TEST_CASE("object channel: keys are zero-padded and run-scoped") {
  CHECK(object_key("runs/abc", 12, 3, 40) == "runs/abc/L000012/T000040/S000003");
}

TEST_CASE("object channel: exchange with markers, parallel GETs, exact requests, cleanup") {
  Setup s(6);
  // Workers 1..5 send blocks to 0 (5 objects > parallel_gets = 3); worker 0 sends markers.
  for (int p = 1; p < 6; ++p) REQUIRE(s.channels[p]->post(1, 0, chfix::noisy_block(10 * p, 4, 50, 0.5, p)));
  for (int q = 1; q < 6; ++q) REQUIRE(s.channels[0]->post(1, q, RowBlock{}));
  for (int p = 0; p < 6; ++p) REQUIRE(s.channels[p]->flush());
  std::map<int, RowBlock> got;
  REQUIRE(s.channels[0]->receive(1, std::vector<int>{1, 2, 3, 4, 5}, [&](int src, RowBlock&& b) { got[src] = b; }));
  REQUIRE(got.size() == 5);
  for (int p = 1; p < 6; ++p) CHECK(got.at(p) == chfix::noisy_block(10 * p, 4, 50, 0.5, p));
  for (int q = 1; q < 6; ++q) {
    bool empty = false;
    REQUIRE(s.channels[q]->receive(1, std::vector<int>{0}, [&](int, RowBlock&& b) { empty = b.empty(); }));
    CHECK(empty);
  }
  const auto u = s.meter.usage();
  CHECK(u.s3_put_requests == 10);
  CHECK(u.s3_get_requests == 5);     // markers are known empty from the listing
  CHECK(u.s3_delete_requests == 6);  // one per receiving worker and layer
  CHECK(u.s3_list_requests >= 6);
  CHECK(s.cloud.objects().object_count("fsd-test") == 0);
}

TEST_CASE("object channel: throttled calls are retried") {
  memory::FaultOptions f;
  f.seed = 31;
  f.throttle_probability = 0.3;
  Setup s(2, f);
  for (int layer = 1; layer <= 5; ++layer) {
    REQUIRE(s.channels[1]->post(layer, 0, chfix::small_block(layer)));
    REQUIRE(s.channels[1]->flush());
    RowBlock got;
    REQUIRE(s.channels[0]->receive(layer, std::vector<int>{1}, [&](int, RowBlock&& b) { got = b; }));
    CHECK(got == chfix::small_block(layer));
  }
  CHECK(s.channels[0]->stats().retries + s.channels[1]->stats().retries > 0);
}

namespace {
// Wraps a store: counts PUTs in flight, makes the first `rendezvous` PUTs wait (up to 2 s) until
// that many are in flight together, and fails the PUT of `failing_key` (non-retryable).
class WatchedStore final : public ObjectStore {
 public:
  WatchedStore(ObjectStore& inner, int rendezvous, std::string failing_key = "")
      : inner_(inner), rendezvous_(rendezvous), failing_key_(std::move(failing_key)) {}
  Result<void> create_bucket(const std::string& b) override { return inner_.create_bucket(b); }
  Result<void> put(const std::string& b, const std::string& k, std::string_view bytes) override {
    {
      std::unique_lock lock(mu_);
      const int now = ++in_flight_;
      max_in_flight = std::max(max_in_flight, now);
      cv_.notify_all();
      if (++started_ <= rendezvous_)
        cv_.wait_for(lock, std::chrono::seconds(2), [&] { return in_flight_ >= rendezvous_; });
    }
    auto r = k == failing_key_ ? Result<void>(Error{ErrorCode::kInvalidInput, "test:put", "refused " + k})
                               : inner_.put(b, k, bytes);
    std::lock_guard lock(mu_);
    --in_flight_;
    return r;
  }
  Result<std::string> get(const std::string& b, const std::string& k) override { return inner_.get(b, k); }
  Result<ListPage> list(const std::string& b, const std::string& p, const std::string& t, int m) override {
    return inner_.list(b, p, t, m);
  }
  Result<void> delete_objects(const std::string& b, std::span<const std::string> keys) override {
    return inner_.delete_objects(b, keys);
  }
  int max_in_flight = 0;  // read after the PUTs have ended

 private:
  ObjectStore& inner_;
  const int rendezvous_;
  const std::string failing_key_;
  std::mutex mu_;
  std::condition_variable cv_;
  int in_flight_ = 0, started_ = 0;
};

struct WatchedSetup {
  WatchedSetup(int workers, int parallel_puts, int rendezvous, std::string failing_key = "")
      : store(*cloud.services().objects, rendezvous, std::move(failing_key)),
        meter(with_store(cloud.services(), store)) {
    REQUIRE(cloud.objects().create_bucket("fsd-test"));
    ObjectChannelOptions o;
    o.bucket = "fsd-test";
    o.prefix = "runs/t1";
    o.poll_interval_s = 0.001;
    o.parallel_puts = parallel_puts;
    o.retry = chfix::fast_retry();
    for (int p = 0; p < workers; ++p)
      channels.push_back(std::make_unique<ObjectChannel>(meter.services(), p, workers, kLimits, o));
  }
  static Services with_store(Services s, ObjectStore& objects) {
    s.objects = &objects;
    return s;
  }
  memory::MemoryCloud cloud;
  WatchedStore store;
  Meter meter;
  std::vector<std::unique_ptr<ObjectChannel>> channels;
};
}  // namespace

TEST_CASE("object channel: flush PUTs a layer's objects in parallel, at most parallel_puts at once") {
  // Worker 0 posts to 7 others with parallel_puts = 3: nothing is sent before flush(); then the
  // first 3 PUTs must all be in flight together (a sequential flush would see only 1), and never
  // more than 3. One PUT per block, whatever the concurrency.
  WatchedSetup s(8, 3, 3);
  for (int q = 1; q < 8; ++q) REQUIRE(s.channels[0]->post(1, q, chfix::small_block(q)));
  CHECK(s.meter.usage().s3_put_requests == 0);
  REQUIRE(s.channels[0]->flush());
  CHECK(s.store.max_in_flight == 3);
  CHECK(s.meter.usage().s3_put_requests == 7);
  CHECK(s.channels[0]->stats().messages_posted == 7);
  for (int q = 1; q < 8; ++q) {
    RowBlock got;
    REQUIRE(s.channels[q]->receive(1, std::vector<int>{0}, [&](int, RowBlock&& b) { got = b; }));
    CHECK(got == chfix::small_block(q));
  }
}

TEST_CASE("object channel: parallel_puts = 1 PUTs one at a time") {
  WatchedSetup s(5, 1, 0);
  for (int q = 1; q < 5; ++q) REQUIRE(s.channels[0]->post(1, q, chfix::small_block(q)));
  REQUIRE(s.channels[0]->flush());
  CHECK(s.store.max_in_flight == 1);
  CHECK(s.meter.usage().s3_put_requests == 4);
}

// --- Errors last ---
TEST_CASE("object channel: a failed PUT is the error of flush(), the other PUTs still happen") {
  const std::string bad = object_key("runs/t1", 1, 0, 3);
  WatchedSetup s(6, 4, 0, bad);
  for (int q = 1; q < 6; ++q) REQUIRE(s.channels[0]->post(1, q, chfix::small_block(q)));
  auto r = s.channels[0]->flush();
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK_MESSAGE(r.error().what.find(bad) != std::string::npos, r.error().what);
  CHECK(s.channels[0]->stats().messages_posted == 4);
  CHECK(s.cloud.objects().object_count("fsd-test") == 4);
  CHECK(s.channels[0]->flush());                // nothing left queued: the failed block is not resent silently
  CHECK(s.meter.usage().s3_put_requests == 4);  // the meter bills successes ...
  CHECK(s.meter.usage().s3_errors == 1);        // ... and counts the refused PUT once: no retry
}

TEST_CASE("object channel: corrupt or unexpected objects are rejected with a clear error") {
  Setup s(3);
  auto expect_error = [&](const char* what) {
    auto r = s.channels[0]->receive(1, std::vector<int>{1, 2}, [](int, RowBlock&&) {});
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::kInvalidInput);
    CHECK_MESSAGE(r.error().what.find(what) != std::string::npos, r.error().what);
  };
  const std::string key = object_key("runs/t1", 1, 1, 0);
  SUBCASE("corrupt payload") {
    REQUIRE(s.cloud.objects().put("fsd-test", key, "Zgarbage"));
    expect_error("corrupt zstd");
  }
  SUBCASE("truncated payload") {
    const std::string frame = wire::encode_block({1, 1, 0}, chfix::small_block(3), false, 0);
    REQUIRE(s.cloud.objects().put("fsd-test", key, frame.substr(0, frame.size() - 1)));
    expect_error("truncated");
  }
  SUBCASE("row out of range") {
    REQUIRE(s.cloud.objects().put("fsd-test", key, wire::encode_block({1, 1, 0}, chfix::small_block(9999), true, 3)));
    expect_error("row 9999 out of range");
  }
  SUBCASE("a key that is not a source") {
    REQUIRE(s.cloud.objects().put("fsd-test", "runs/t1/L000001/T000000/Sxyz", "x"));
    expect_error("unexpected key");
  }
  SUBCASE("a source that should not send") {
    REQUIRE(s.cloud.objects().put("fsd-test", object_key("runs/t1", 1, 0, 0), ""));
    expect_error("expects no block from worker 0");
  }
}
