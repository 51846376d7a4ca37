// SimPubSub and SimQueue: fan-out with filter policies, delivery latency, long polling,
// visibility timeout, at-least-once duplicates, batch limits; times checked against sums of the
// latencies, transfer and service times of the round calibration (sim_fixture.hpp):
//   function NIC 1 ms / 100 MB/s; SNS 4 ms, 10 ms service, 50 MB/s, delivery 100 ms;
//   SQS 3 ms, 5 ms service, 40 MB/s.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/sim_pubsub.hpp"
#include "sim/services/sim_queue.hpp"
#include "sim/services/sim_functions.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;
using engine::ErrorCode;
using engine::cloud::OutgoingMessage;
using engine::cloud::ReceiveOptions;

namespace {

OutgoingMessage msg(std::size_t body_bytes, const std::string& target) {
  // Attribute "t" + value: 1 + target.size() billed bytes on top of the body.
  return OutgoingMessage{std::string(body_bytes, 'x'), {{"t", target}}};
}

}  // namespace

TEST_CASE("publish → long-polling receive: times are the sum of the legs") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 2});
  auto& ps = s.pubsub();
  auto& q = s.queue();
  const auto topic = ps.create_topic("t").value();
  const auto inbox = q.create_queue("q1").value();
  REQUIRE(ps.subscribe_queue(topic, inbox.arn, {}));
  double published_at = -1, received_at = -1;
  std::size_t got = 0;
  s.run([&] {
    auto& rt = s.runtime();
    auto receiver = rt.spawn("receiver", [&] {
      auto r = q.receive(inbox.url, ReceiveOptions{10, 20.0, 30.0});
      REQUIRE(r);
      got = r->size();
      received_at = rt.now_s();
    });
    // 99,998 body + 2 attribute bytes = 100,000 bytes.
    const std::vector<OutgoingMessage> batch{msg(99998, "1")};
    REQUIRE(ps.publish_batch(topic, batch));
    published_at = rt.now_s();
    receiver->join();
  });
  // publish: 2 × (1 + 4) ms + 100 kB / 50 MB/s + 10 ms = 22 ms; accepted at 5 + 2 + 10 = 17 ms.
  CHECK(published_at == Approx(0.022).epsilon(1e-6));
  // visible at 17 + 100 = 117 ms; the receive's response: 1 + 3 ms + 100 kB / 40 MB/s = 6.5 ms.
  CHECK(got == 1);
  CHECK(received_at == Approx(0.1235).epsilon(1e-6));
}

TEST_CASE("filter policies route each message only to the matching queues") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto& ps = s.pubsub();
  auto& q = s.queue();
  const auto topic = ps.create_topic("t").value();
  const auto q1 = q.create_queue("q1").value();
  const auto q2 = q.create_queue("q2").value();
  const auto all = q.create_queue("all").value();
  REQUIRE(ps.subscribe_queue(topic, q1.arn, {{"t", {"1"}}}));
  REQUIRE(ps.subscribe_queue(topic, q2.arn, {{"t", {"2", "3"}}}));
  REQUIRE(ps.subscribe_queue(topic, all.arn, {}));
  s.run([&] {
    const std::vector<OutgoingMessage> batch{msg(10, "1"), msg(10, "2"), msg(10, "3"), msg(10, "4"),
                                             OutgoingMessage{"no attributes", {}}};
    REQUIRE(ps.publish_batch(topic, batch));
  });
  CHECK(q.size(q1.url) == 1);
  CHECK(q.size(q2.url) == 2);
  CHECK(q.size(all.url) == 5);
  CHECK(sim::SimPubSub::passes({{"a", {"x"}}, {"b", {"y"}}}, {{"a", "x"}, {"b", "y"}}));
  CHECK_FALSE(sim::SimPubSub::passes({{"a", {"x"}}, {"b", {"y"}}}, {{"a", "x"}}));
}

TEST_CASE("long polling on an empty queue returns empty after wait_time_s plus the round trip") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  const auto inbox = s.queue().create_queue("q").value();
  double t = -1;
  std::size_t got = 99;
  s.run([&] {
    auto r = s.queue().receive(inbox.url, ReceiveOptions{10, 2.0, 30.0});
    REQUIRE(r);
    got = r->size();
    t = s.runtime().now_s();
  });
  CHECK(got == 0);
  // (1 + 3) ms there, 5 ms service, 2 s wait, (1 + 3) ms back.
  CHECK(t == Approx(2.013).epsilon(1e-6));
}

TEST_CASE("visibility timeout: an undeleted message comes back, a stale receipt does not delete") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto& q = s.queue();
  const auto inbox = q.create_queue("q").value();
  s.run([&] {
    auto& rt = s.runtime();
    const std::vector<OutgoingMessage> one{msg(100, "1")};
    REQUIRE(q.send_batch(inbox.url, one));
    auto first = q.receive(inbox.url, ReceiveOptions{10, 0.0, 2.0});
    REQUIRE(first);
    REQUIRE(first->size() == 1);
    CHECK((*first)[0].receive_count == 1);
    const double first_t = rt.now_s();
    auto hidden = q.receive(inbox.url, ReceiveOptions{10, 0.0, 2.0});
    REQUIRE(hidden);
    CHECK(hidden->empty());
    auto again = q.receive(inbox.url, ReceiveOptions{10, 20.0, 2.0});
    REQUIRE(again);
    REQUIRE(again->size() == 1);
    CHECK((*again)[0].receive_count == 2);
    CHECK((*again)[0].message_id == (*first)[0].message_id);
    // Invisible from the first receive's service instant (first_t − 4 ms) for 2 s; the response
    // then takes 4 ms + 102 B / 40 MB/s.
    CHECK(rt.now_s() == Approx(first_t - (0.004 + 102 / 40e6) + 2.0 + 0.004 + 102 / 40e6).epsilon(1e-6));
    const std::vector<std::string> stale{(*first)[0].receipt_handle};
    REQUIRE(q.delete_batch(inbox.url, stale));
    CHECK(q.size(inbox.url) == 1);
    const std::vector<std::string> fresh{(*again)[0].receipt_handle};
    REQUIRE(q.delete_batch(inbox.url, fresh));
    CHECK(q.size(inbox.url) == 0);
    REQUIRE(q.delete_batch(inbox.url, fresh));  // twice is not an error
  });
}

TEST_CASE("receive returns at most max_messages, the rest stay for the next receive") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto& q = s.queue();
  const auto inbox = q.create_queue("q").value();
  s.run([&] {
    for (int b = 0; b < 3; ++b) {
      const std::vector<OutgoingMessage> batch(5, msg(10, "1"));
      REQUIRE(q.send_batch(inbox.url, batch));
    }
    auto r1 = q.receive(inbox.url, ReceiveOptions{10, 0.0, 30.0});
    auto r2 = q.receive(inbox.url, ReceiveOptions{10, 0.0, 30.0});
    auto r3 = q.receive(inbox.url, ReceiveOptions{4, 0.0, 30.0});
    REQUIRE((r1 && r2 && r3));
    CHECK(r1->size() == 10);
    CHECK(r2->size() == 5);
    CHECK(r3->empty());
  });
}

TEST_CASE("duplicate_probability 1 delivers every message twice (at-least-once)") {
  auto cal = simtest::round_calibration();
  cal.sns.duplicate_probability = 1.0;
  sim::Simulation s(cal, {.function_hosts = 1});
  const auto topic = s.pubsub().create_topic("t").value();
  const auto inbox = s.queue().create_queue("q").value();
  REQUIRE(s.pubsub().subscribe_queue(topic, inbox.arn, {}));
  s.run([&] {
    const std::vector<OutgoingMessage> batch{msg(10, "1"), msg(10, "2"), msg(10, "3")};
    REQUIRE(s.pubsub().publish_batch(topic, batch));
  });
  CHECK(s.queue().size(inbox.url) == 6);
}

TEST_CASE("throttling: a burst beyond the token bucket is kUnavailable") {
  auto cal = simtest::round_calibration();
  cal.sns.publish.requests_per_s = 1;  // one token per second, bucket of 2
  cal.sns.publish.burst_requests = 2;
  sim::Simulation s(cal, {.function_hosts = 1});
  const auto topic = s.pubsub().create_topic("t").value();
  int ok = 0, throttled = 0;
  s.run([&] {
    const std::vector<OutgoingMessage> batch{msg(10, "1")};
    for (int i = 0; i < 4; ++i) {  // 4 requests within ~90 ms: 2 pass, 2 are throttled
      auto r = s.pubsub().publish_batch(topic, batch);
      if (r) ++ok;
      else if (r.error().code == ErrorCode::kUnavailable) ++throttled;
    }
  });
  CHECK(ok == 2);
  CHECK(throttled == 2);
}

TEST_CASE("batch limits: 11 entries, a message over 256 KiB, a batch over 256 KiB are refused") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  const auto topic = s.pubsub().create_topic("t").value();
  const auto inbox = s.queue().create_queue("q").value();
  s.run([&] {
    const std::vector<OutgoingMessage> eleven(11, msg(10, "1"));
    const std::vector<OutgoingMessage> big{OutgoingMessage{std::string(262145, 'x'), {}}};
    const std::vector<OutgoingMessage> heavy(2, OutgoingMessage{std::string(140000, 'x'), {}});
    const std::vector<OutgoingMessage> exact{OutgoingMessage{std::string(262144, 'x'), {}}};
    for (const auto* b : {&eleven, &big, &heavy}) {
      auto p = s.pubsub().publish_batch(topic, *b);
      REQUIRE_FALSE(p);
      CHECK(p.error().code == ErrorCode::kInvalidInput);
      auto q = s.queue().send_batch(inbox.url, *b);
      REQUIRE_FALSE(q);
      CHECK(q.error().code == ErrorCode::kInvalidInput);
    }
    CHECK(s.queue().send_batch(inbox.url, exact));
    auto bad = s.queue().receive(inbox.url, ReceiveOptions{11, 0.0, 30.0});
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == ErrorCode::kInvalidInput);
    auto missing = s.queue().receive("https://sqs.sim/none", ReceiveOptions{});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().code == ErrorCode::kNotFound);
  });
}
