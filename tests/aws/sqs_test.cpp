// SqsClient against the fauxqs emulator over HTTP: every operation the queue channel uses.
#include <doctest/doctest.h>

#include <chrono>
#include <set>
#include <thread>

#include "emulator.hpp"

using namespace engine;
using namespace engine::cloud;

TEST_CASE("aws: sqs send, receive with attributes, delete, attributes and policy") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& sqs = backend->sqs();
  const std::string name = aws_test::unique_name("q");
  auto q = sqs.create_queue(name);
  REQUIRE_MESSAGE(q.has_value(), (q ? "" : q.error().message()));
  CHECK(q->url.find(name) != std::string::npos);
  CHECK(q->arn == "arn:aws:sqs:us-east-1:000000000000:" + name);
  auto url = sqs.get_queue_url(name);
  REQUIRE(url.has_value());
  CHECK(*url == q->url);

  std::vector<OutgoingMessage> out;
  for (int i = 0; i < 10; ++i)
    out.push_back(
        {"body-" + std::to_string(i) + " \xE2\x9C\x93 <&>", {{"target", std::to_string(i % 3)}, {"layer", "7"}}});
  REQUIRE(sqs.send_batch(q->url, out).has_value());

  auto attrs = sqs.get_attributes(q->url);
  REQUIRE(attrs.has_value());
  CHECK(attrs->at("ApproximateNumberOfMessages") == "10");
  CHECK(attrs->at("QueueArn") == q->arn);

  std::map<std::string, Attributes> got;
  std::vector<std::string> handles;
  for (int round = 0; round < 5 && got.size() < 10; ++round) {
    auto r = sqs.receive(q->url, {.max_messages = 10, .wait_time_s = 1, .visibility_timeout_s = 30});
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message()));
    for (auto& m : *r) {
      CHECK(m.receive_count == 1);
      got[m.body] = m.attributes;
      handles.push_back(m.receipt_handle);
    }
  }
  REQUIRE(got.size() == 10);
  for (const auto& m : out) CHECK(got.at(m.body) == m.attributes);

  for (std::size_t i = 0; i < handles.size(); i += 10) {
    std::span<const std::string> batch(handles.data() + i, std::min<std::size_t>(10, handles.size() - i));
    REQUIRE(sqs.delete_batch(q->url, batch).has_value());
  }
  REQUIRE(sqs.delete_batch(q->url, std::span<const std::string>(handles.data(), 1)).has_value());  // twice: fine
  auto after = sqs.get_attributes(q->url);
  REQUIRE(after.has_value());
  CHECK(after->at("ApproximateNumberOfMessages") == "0");
  CHECK(after->at("ApproximateNumberOfMessagesNotVisible") == "0");

  REQUIRE(sqs.allow_topic(*q, "arn:aws:sns:us-east-1:000000000000:t1").has_value());
  REQUIRE(sqs.allow_topic(*q, "arn:aws:sns:us-east-1:000000000000:t2").has_value());
  auto with_policy = sqs.get_attributes(q->url);
  REQUIRE(with_policy.has_value());
  const std::string& policy = with_policy->at("Policy");
  CHECK(policy.find("sqs:SendMessage") != std::string::npos);
  CHECK(policy.find(":t1") != std::string::npos);
  CHECK(policy.find(":t2") != std::string::npos);

  REQUIRE(sqs.delete_queue(q->url).has_value());
  auto gone = sqs.get_queue_url(name);
  REQUIRE_FALSE(gone.has_value());
  CHECK(gone.error().code == ErrorCode::kNotFound);
}

TEST_CASE("aws: sqs long polling waits for a message sent during the poll") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& sqs = backend->sqs();
  auto q = sqs.create_queue(aws_test::unique_name("poll"));
  REQUIRE(q.has_value());
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    OutgoingMessage m{"late", {}};
    CHECK(sqs.send_batch(q->url, std::span<const OutgoingMessage>(&m, 1)).has_value());
  });
  auto t0 = std::chrono::steady_clock::now();
  auto r = sqs.receive(q->url, {.max_messages = 10, .wait_time_s = 5});
  double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  sender.join();
  REQUIRE(r.has_value());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0].body == "late");
  CHECK(waited_s >= 0.25);  // it did wait for the sender
  CHECK(waited_s < 4.0);    // and returned when the message came, not at the end of the poll
  // An empty queue with wait 0 returns at once with nothing.
  auto empty = sqs.receive(q->url, {.max_messages = 10, .wait_time_s = 0});
  REQUIRE(empty.has_value());
  CHECK(empty->empty());
  CHECK(sqs.delete_queue(q->url).has_value());
}

TEST_CASE("aws: sqs redelivers an undeleted message with a higher receive count") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& sqs = backend->sqs();
  auto q = sqs.create_queue(aws_test::unique_name("redeliver"));
  REQUIRE(q.has_value());
  OutgoingMessage m{"again", {}};
  REQUIRE(sqs.send_batch(q->url, std::span<const OutgoingMessage>(&m, 1)).has_value());
  auto first = sqs.receive(q->url, {.max_messages = 1, .wait_time_s = 1, .visibility_timeout_s = 1});
  REQUIRE(first.has_value());
  REQUIRE(first->size() == 1);
  auto second = sqs.receive(q->url, {.max_messages = 1, .wait_time_s = 3, .visibility_timeout_s = 30});
  REQUIRE(second.has_value());
  REQUIRE(second->size() == 1);
  CHECK((*second)[0].body == "again");
  CHECK((*second)[0].receive_count == 2);
  CHECK((*second)[0].receipt_handle != (*first)[0].receipt_handle);
  CHECK(sqs.delete_queue(q->url).has_value());
}

TEST_CASE("aws: sqs rejects invalid batches before sending anything") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  std::vector<OutgoingMessage> eleven(11, OutgoingMessage{"x", {}});
  auto r = backend->sqs().send_batch("http://unused/000000000000/q", eleven);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK(backend->counter().snapshot().empty());
}
