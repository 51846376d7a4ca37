// QueueChannel over the memory backend: blocks arrive whole and once, chunks fill the billed
// 64 KiB units, later layers wait for their turn, duplicates are dropped, requests are what
// docs/ENGINE.md says, and protocol violations are rejected with a clear error.
#include <doctest/doctest.h>

#include "channel_fixture.hpp"

using namespace engine;
using namespace engine::cloud;

namespace {
constexpr wire::Limits kLimits{4096, 2000};

struct Setup {
  explicit Setup(int workers, std::optional<memory::FaultOptions> faults = std::nullopt)
      : cloud(faults), meter(cloud.services()) {
    auto l = provision_queues(meter.services(), "qt", workers, 2, chfix::fast_retry());
    REQUIRE(l);
    layout = *l;
    setup_usage = meter.usage();
    QueueChannelOptions o;
    o.wait_time_s = 0.02;
    o.retry = chfix::fast_retry();
    for (int p = 0; p < workers; ++p)
      channels.push_back(std::make_unique<QueueChannel>(meter.services(), layout, p, kLimits, o));
  }
  memory::MemoryCloud cloud;
  Meter meter;
  QueueLayout layout;
  MeteredUsage setup_usage;
  std::vector<std::unique_ptr<QueueChannel>> channels;
};

std::map<int, RowBlock> receive_all(QueueChannel& ch, int layer, std::vector<int> sources) {
  std::map<int, RowBlock> got;
  auto ok = ch.receive(layer, sources, [&](int s, RowBlock&& b) {
    CHECK(got.count(s) == 0);  // each source once
    got[s] = std::move(b);
  });
  if (!ok) FAIL(ok.error().message());
  return got;
}
}  // namespace

TEST_CASE("queue channel: provisioning makes T topics, P queues and P·T filtered subscriptions") {
  Setup s(3);
  CHECK(s.layout.topic_ids.size() == 2);
  CHECK(s.layout.queues.size() == 3);
  CHECK(s.layout.subscription_ids.size() == 6);
  // T CreateTopic + P·T Subscribe; P CreateQueue + P·T SetQueueAttributes.
  CHECK(s.setup_usage.sns_other_requests == 2 + 6);
  CHECK(s.setup_usage.sqs_other_requests == 3 + 6);
}

TEST_CASE("queue channel: markers and small blocks, exact request counts") {
  Setup s(3);
  // Layer 1: worker 1 sends a block to 0, everything else is an empty marker.
  for (int p = 0; p < 3; ++p) {
    for (int q = 0; q < 3; ++q)
      if (q != p) REQUIRE(s.channels[p]->post(1, q, p == 1 && q == 0 ? chfix::small_block(9) : RowBlock{}));
    REQUIRE(s.channels[p]->flush());
  }
  auto got0 = receive_all(*s.channels[0], 1, {1, 2});
  CHECK(got0.at(1) == chfix::small_block(9));
  CHECK(got0.at(2).empty());
  CHECK(receive_all(*s.channels[1], 1, {0, 2}).size() == 2);
  CHECK(receive_all(*s.channels[2], 1, {0, 1}).size() == 2);
  const auto u = s.meter.usage();
  // Each worker's 2 messages fit one PublishBatch; each worker deletes its 2 in one call.
  CHECK(u.sns_publish_requests == 3);
  CHECK(u.sns_messages == 6);
  CHECK(u.sns_publish_billed == 3);
  CHECK(u.sqs_delete_requests == 3);
  CHECK(u.sqs_messages_received == 6);
  CHECK(s.channels[0]->stats().empty_markers == 2);
  CHECK(s.channels[1]->stats().empty_markers == 1);
}

TEST_CASE("queue channel: a large block is chunked into full messages (billed 64 KiB units ≥ 90% full)") {
  Setup s(2);
  const RowBlock big = chfix::noisy_block(0, 2000, 2000, 0.1, 3);  // 400k nonzeros ≈ 3.2 MB of rows
  REQUIRE(s.channels[1]->post(1, 0, big));
  REQUIRE(s.channels[1]->flush());
  REQUIRE(s.channels[0]->post(1, 1, RowBlock{}));
  REQUIRE(s.channels[0]->flush());
  auto got = receive_all(*s.channels[0], 1, {1});
  CHECK(got.at(1) == big);
  const auto st = s.channels[1]->stats();
  CHECK(st.messages_posted > 8);
  const auto u = s.meter.usage();
  const double fill = static_cast<double>(u.sns_payload_bytes) / (u.sns_publish_billed * 65536.0);
  MESSAGE("fill of billed chunks: " << fill << " over " << u.sns_publish_billed << " chunks");
  CHECK(fill >= 0.90);
  // Every message but the last is at the limit, so one message per PublishBatch (aggregate limit).
  CHECK(u.sns_publish_requests == st.messages_posted + 1);
}

TEST_CASE("queue channel: blocks of a later layer wait for their layer and duplicates are dropped") {
  memory::FaultOptions f;
  f.seed = 17;
  f.duplicate_probability = 1.0;  // every message twice
  f.reorder_probability = 1.0;
  Setup s(2, f);
  REQUIRE(s.channels[1]->post(1, 0, chfix::small_block(1)));
  REQUIRE(s.channels[1]->post(2, 0, chfix::small_block(2)));
  REQUIRE(s.channels[1]->flush());
  auto l1 = receive_all(*s.channels[0], 1, {1});
  CHECK(l1.at(1) == chfix::small_block(1));
  auto l2 = receive_all(*s.channels[0], 2, {1});
  CHECK(l2.at(1) == chfix::small_block(2));
  CHECK(s.channels[0]->stats().duplicates_dropped >= 1);
}

TEST_CASE("queue channel: throttling is retried with backoff") {
  memory::FaultOptions f;
  f.seed = 23;
  f.throttle_probability = 0.3;
  Setup s(2, f);
  for (int layer = 1; layer <= 5; ++layer) {
    REQUIRE(s.channels[1]->post(layer, 0, chfix::small_block(layer)));
    REQUIRE(s.channels[1]->flush());
    CHECK(receive_all(*s.channels[0], layer, {1}).at(1) == chfix::small_block(layer));
  }
  CHECK(s.channels[0]->stats().retries + s.channels[1]->stats().retries > 0);
}

// --- Errors last ---
TEST_CASE("queue channel: protocol violations are rejected with a clear error") {
  Setup s(3);
  auto inject = [&](std::string body, Attributes a) {
    const std::vector<OutgoingMessage> one{{std::move(body), std::move(a)}};
    REQUIRE(s.cloud.queues().send_batch(s.layout.queues[0].url, one));
  };
  auto expect_error = [&](const char* what) {
    auto r = s.channels[0]->receive(1, std::vector<int>{1, 2}, [](int, RowBlock&&) {});
    REQUIRE(!r);
    CHECK(r.error().code == ErrorCode::kInvalidInput);
    CHECK_MESSAGE(r.error().what.find(what) != std::string::npos, r.error().what);
  };
  const Attributes ok{{"layer", "1"}, {"source", "1"}, {"target", "0"}, {"chunk", "0"}, {"chunks", "1"}};
  SUBCASE("missing attribute") {
    Attributes a = ok;
    a.erase("chunk");
    inject("x", a);
    expect_error("missing attribute 'chunk'");
  }
  SUBCASE("attribute not a count") {
    Attributes a = ok;
    a["layer"] = "-1";
    inject("x", a);
    expect_error("'layer' is not a count");
  }
  SUBCASE("wrong target") {
    Attributes a = ok;
    a["target"] = "2";
    inject("x", a);
    expect_error("is not this worker");
  }
  SUBCASE("source out of range") {
    Attributes a = ok;
    a["source"] = "9";
    inject("x", a);
    expect_error("bad source");
  }
  SUBCASE("chunk index beyond the count") {
    Attributes a = ok;
    a["chunk"] = "3";
    inject("x", a);
    expect_error("inconsistent");
  }
  SUBCASE("text that is not base-85") {
    inject("this is not {base85}", ok);
    expect_error("bad character");
  }
  SUBCASE("truncated payload") {
    const std::string frame = wire::encode_block({1, 1, 0}, chfix::small_block(5), true, 3);
    inject(wire::to_text(frame.substr(0, frame.size() - 3)), ok);
    expect_error("layer 1 block from worker 1");
  }
  SUBCASE("row out of range") {
    const std::string frame = wire::encode_block({1, 1, 0}, chfix::small_block(5000), true, 3);
    inject(wire::to_text(frame), ok);
    expect_error("row 5000 out of range");
  }
  SUBCASE("header names another pair") {
    const std::string frame = wire::encode_block({1, 2, 0}, chfix::small_block(5), true, 3);
    inject(wire::to_text(frame), ok);
    expect_error("expected layer 1 1→0");
  }
}

TEST_CASE("queue channel: a missing peer ends in kDeadline, not a hang") {
  Setup s(2);
  auto r = s.channels[0]->receive(1, std::vector<int>{1}, [](int, RowBlock&&) {});
  REQUIRE(!r);
  CHECK(r.error().code == ErrorCode::kDeadline);
}
