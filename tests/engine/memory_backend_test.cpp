// The in-memory cloud backend: SQS/SNS/S3 semantics the channels rely on, AWS's limits, and the
// fault decorators. Expected values are AWS's documented limits and hand-derived counts.
#include <doctest/doctest.h>

#include <thread>

#include "engine/cloud/memory/limits.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"

using namespace engine::cloud;
using namespace engine::cloud::memory;

namespace {
OutgoingMessage msg(std::string body, Attributes a = {}) { return OutgoingMessage{std::move(body), std::move(a)}; }
}  // namespace

TEST_CASE("memory backend: a received message is invisible until its visibility timeout, then redelivered") {
  MemoryQueue q;
  auto h = q.create_queue("q1");
  REQUIRE(h);
  const std::vector<OutgoingMessage> one{msg("hello", {{"layer", "3"}})};
  REQUIRE(q.send_batch(h->url, one));
  auto first = q.receive(h->url, {10, 0.0, 0.05});
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  CHECK((*first)[0].body == "hello");
  CHECK((*first)[0].attributes.at("layer") == "3");
  CHECK((*first)[0].receive_count == 1);
  CHECK(q.receive(h->url, {10, 0.0, 0.05})->empty());  // invisible now
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  auto again = q.receive(h->url, {10, 0.0, 30});
  REQUIRE(again->size() == 1);
  CHECK((*again)[0].receive_count == 2);
  CHECK((*again)[0].receipt_handle != (*first)[0].receipt_handle);
  const std::vector<std::string> handles{(*again)[0].receipt_handle};
  REQUIRE(q.delete_batch(h->url, handles));
  CHECK(q.depth(h->url) == 0);
  CHECK(q.delete_batch(h->url, handles));  // deleting twice is not an error
}

TEST_CASE("memory backend: long polling returns as soon as a message arrives, or after the wait") {
  MemoryQueue q;
  auto h = q.create_queue("q2");
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    const std::vector<OutgoingMessage> one{msg("x")};
    (void)q.send_batch(h->url, one);
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto r = q.receive(h->url, {10, 5.0, 30});
  const double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sender.join();
  REQUIRE(r->size() == 1);
  CHECK(waited_s < 2.0);   // woke on arrival, not after 5 s
  CHECK(waited_s >= 0.02);
  const auto t1 = std::chrono::steady_clock::now();
  CHECK(q.receive(h->url, {10, 0.05, 30})->empty());
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count() >= 0.045);
}

TEST_CASE("memory backend: receive returns at most max_messages") {
  MemoryQueue q;
  auto h = q.create_queue("q3");
  std::vector<OutgoingMessage> ten;
  for (int i = 0; i < 10; ++i) ten.push_back(msg(std::to_string(i)));
  REQUIRE(q.send_batch(h->url, ten));
  REQUIRE(q.send_batch(h->url, std::span(ten).first(3)));
  CHECK(q.receive(h->url, {10, 0, 30})->size() == 10);
  CHECK(q.receive(h->url, {2, 0, 30})->size() == 2);
  CHECK(q.receive(h->url, {10, 0, 30})->size() == 1);
}

TEST_CASE("memory backend: SNS delivers raw to the queues whose filter policy matches") {
  MemoryCloud cloud;
  Services s = cloud.services();
  auto topic = s.pubsub->create_topic("t");
  auto q0 = s.queue->create_queue("w0");
  auto q1 = s.queue->create_queue("w1");
  REQUIRE(s.pubsub->subscribe_queue(*topic, q0->arn, {{"target", {"0"}}}));
  REQUIRE(s.pubsub->subscribe_queue(*topic, q1->arn, {{"target", {"1", "2"}}}));
  const std::vector<OutgoingMessage> batch{msg("a", {{"target", "0"}}), msg("b", {{"target", "2"}}),
                                           msg("c", {{"target", "7"}}), msg("d", {})};
  REQUIRE(s.pubsub->publish_batch(*topic, batch));
  auto r0 = s.queue->receive(q0->url, {10, 0, 30});
  auto r1 = s.queue->receive(q1->url, {10, 0, 30});
  REQUIRE(r0->size() == 1);
  CHECK((*r0)[0].body == "a");
  CHECK((*r0)[0].attributes == Attributes{{"target", "0"}});
  REQUIRE(r1->size() == 1);
  CHECK((*r1)[0].body == "b");
}

TEST_CASE("memory backend: S3 lists by prefix in order, with pages") {
  MemoryObjectStore s3;
  REQUIRE(s3.create_bucket("bkt"));
  for (const char* k : {"a/2", "a/1", "a/3", "b/1"}) REQUIRE(s3.put("bkt", k, k));
  auto p1 = s3.list("bkt", "a/", "", 2);
  REQUIRE(p1);
  CHECK(p1->keys == std::vector<std::string>{"a/1", "a/2"});
  CHECK(p1->sizes == std::vector<std::int64_t>{3, 3});
  REQUIRE(!p1->next_token.empty());
  auto p2 = s3.list("bkt", "a/", p1->next_token, 2);
  CHECK(p2->keys == std::vector<std::string>{"a/3"});
  CHECK(p2->next_token.empty());
  CHECK(*s3.get("bkt", "a/2") == "a/2");
  CHECK(s3.get("bkt", "zz").error().code == engine::ErrorCode::kNotFound);
  const std::vector<std::string> del{"a/1", "a/9"};
  REQUIRE(s3.delete_objects("bkt", del));
  CHECK(s3.object_count("bkt") == 3);
}

TEST_CASE("memory backend: Functions run kEvent invocations concurrently and report handler errors") {
  MemoryCloud cloud;
  std::atomic<int> ran{0};
  cloud.functions().register_handler("f", [&](const std::string& p) -> engine::Result<std::string> {
    ++ran;
    if (p == "bad") return engine::Error{engine::ErrorCode::kInvalidInput, "f", "bad payload"};
    return p;
  });
  auto s = cloud.services();
  CHECK(*s.functions->invoke("f", "x", InvocationType::kRequestResponse) == "x");
  CHECK(s.functions->invoke("f", "bad", InvocationType::kRequestResponse).error().code == engine::ErrorCode::kInternal);
  CHECK(s.functions->invoke("f", "y", InvocationType::kEvent)->empty());
  CHECK(s.functions->invoke("f", "bad", InvocationType::kEvent));
  CHECK(s.functions->invoke("nope", "", InvocationType::kEvent).error().code == engine::ErrorCode::kNotFound);
  cloud.functions().join_all();
  CHECK(ran == 4);
  CHECK(cloud.functions().errors().size() == 1);
}

TEST_CASE("memory backend: throttling, duplicate and delay faults") {
  SUBCASE("throttle probability 1: every call is kUnavailable and nothing happens") {
    MemoryCloud cloud(FaultOptions{.seed = 5, .throttle_probability = 1.0});
    auto s = cloud.services();
    auto r = s.queue->create_queue("w");
    REQUIRE(!r);
    CHECK(r.error().code == engine::ErrorCode::kUnavailable);
    CHECK(r.error().retryable());
    CHECK(s.objects->get("b", "k").error().code == engine::ErrorCode::kUnavailable);
  }
  SUBCASE("duplicate probability 1: every published message arrives twice") {
    MemoryCloud cloud(FaultOptions{.seed = 5, .duplicate_probability = 1.0});
    auto s = cloud.services();
    auto topic = s.pubsub->create_topic("t");
    auto q = s.queue->create_queue("w");
    REQUIRE(s.pubsub->subscribe_queue(*topic, q->arn, {}));
    const std::vector<OutgoingMessage> two{msg("a"), msg("b")};
    REQUIRE(s.pubsub->publish_batch(*topic, two));
    CHECK(cloud.queues().depth(q->url) == 4);
  }
  SUBCASE("delay: a delayed message is not there at once but arrives") {
    MemoryCloud cloud(FaultOptions{.seed = 5, .delay_probability = 1.0, .delay_s = 0.05});
    auto s = cloud.services();
    auto topic = s.pubsub->create_topic("t");
    auto q = s.queue->create_queue("w");
    REQUIRE(s.pubsub->subscribe_queue(*topic, q->arn, {}));
    const std::vector<OutgoingMessage> one{msg("a")};
    REQUIRE(s.pubsub->publish_batch(*topic, one));
    // The batch itself is delivered; the delayed redelivery comes later (a duplicate, late).
    CHECK(cloud.queues().depth(q->url) == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    CHECK(cloud.queues().depth(q->url) == 2);
  }
}

// --- Errors last ---
TEST_CASE("memory backend: AWS limits are enforced (entries, sizes, aggregate, characters)") {
  MemoryQueue q;
  auto h = q.create_queue("lim");
  std::vector<OutgoingMessage> eleven(11, msg("x"));
  CHECK(q.send_batch(h->url, eleven).error().code == engine::ErrorCode::kInvalidInput);
  CHECK(q.send_batch(h->url, std::span<const OutgoingMessage>()).error().code == engine::ErrorCode::kInvalidInput);
  // 262,144 bytes is the limit, body + attribute names and values.
  const std::vector<OutgoingMessage> exact{msg(std::string(262144 - 2, 'a'), {{"k", "v"}})};
  CHECK(q.send_batch(h->url, exact));
  const std::vector<OutgoingMessage> over{msg(std::string(262144 - 1, 'a'), {{"k", "v"}})};
  auto r = q.send_batch(h->url, over);
  REQUIRE(!r);
  CHECK(r.error().what.find("exceeds the limit") != std::string::npos);
  const std::vector<OutgoingMessage> aggregate{msg(std::string(200000, 'a')), msg(std::string(70000, 'b'))};
  CHECK(q.send_batch(h->url, aggregate).error().what.find("aggregate") != std::string::npos);
  CHECK(q.send_batch(h->url, std::vector<OutgoingMessage>{msg(std::string("a\x01", 2))}).error().code ==
        engine::ErrorCode::kInvalidInput);
  CHECK(!q.send_batch(h->url, std::vector<OutgoingMessage>{msg("")}));
  CHECK(q.receive(h->url, {11, 0, 30}).error().code == engine::ErrorCode::kInvalidInput);
  CHECK(q.receive(h->url, {10, 21, 30}).error().code == engine::ErrorCode::kInvalidInput);
  CHECK(q.receive("memory://sqs/none", {10, 0, 30}).error().code == engine::ErrorCode::kNotFound);
  const std::vector<std::string> forged{"m1#999999"};
  CHECK(q.delete_batch(h->url, forged).error().code == engine::ErrorCode::kInvalidInput);
}

TEST_CASE("memory backend: legal body characters follow the SQS rules") {
  CHECK(is_legal_body("plain \t\r\n text ~"));
  CHECK(is_legal_body("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));  // é € 😀
  CHECK_FALSE(is_legal_body(std::string("\0", 1)));
  CHECK_FALSE(is_legal_body("\x1F"));
  CHECK_FALSE(is_legal_body("\xC3"));          // truncated sequence
  CHECK_FALSE(is_legal_body("\xC0\xAF"));      // overlong '/'
  CHECK_FALSE(is_legal_body("\xED\xA0\x80"));  // U+D800, a surrogate
  CHECK_FALSE(is_legal_body("\xEF\xBF\xBE"));  // U+FFFE
  CHECK_FALSE(is_legal_body("\xFF"));
}
