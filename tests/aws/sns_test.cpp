// SnsClient against the fauxqs emulator: topics fan out to SQS queues with raw delivery and
// filter policies, as the queue channel uses them.
#include <doctest/doctest.h>

#include "emulator.hpp"

using namespace engine;
using namespace engine::cloud;

namespace {

// Drains a queue until `expected` messages arrived or a poll comes back empty.
std::vector<ReceivedMessage> drain(aws::SqsClient& sqs, const std::string& url, std::size_t expected) {
  std::vector<ReceivedMessage> all;
  for (int i = 0; i < 20 && all.size() < expected; ++i) {
    auto r = sqs.receive(url, {.max_messages = 10, .wait_time_s = 1});
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message()));
    if (r->empty()) break;
    for (auto& m : *r) all.push_back(std::move(m));
  }
  return all;
}

}  // namespace

TEST_CASE("aws: sns publish batch reaches the queues whose filter it passes, raw") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& sns = backend->sns();
  auto& sqs = backend->sqs();
  auto topic = sns.create_topic(aws_test::unique_name("topic"));
  REQUIRE_MESSAGE(topic.has_value(), (topic ? "" : topic.error().message()));
  CHECK(topic->rfind("arn:aws:sns:us-east-1:", 0) == 0);

  // Worker 0 takes target=0, worker 1 takes target=1 or 2, worker 2 takes everything.
  std::vector<QueueHandle> queues;
  std::vector<std::string> subscriptions;
  std::vector<FilterPolicy> filters = {{{"target", {"0"}}}, {{"target", {"1", "2"}}}, {}};
  for (std::size_t w = 0; w < filters.size(); ++w) {
    auto q = sqs.create_queue(aws_test::unique_name("inbox" + std::to_string(w)));
    REQUIRE(q.has_value());
    REQUIRE(sqs.allow_topic(*q, *topic).has_value());
    auto sub = sns.subscribe_queue(*topic, q->arn, filters[w]);
    REQUIRE_MESSAGE(sub.has_value(), (sub ? "" : sub.error().message()));
    queues.push_back(*q);
    subscriptions.push_back(*sub);
  }

  std::vector<OutgoingMessage> batch;
  for (int i = 0; i < 10; ++i)
    batch.push_back({"{\"rows\":" + std::to_string(i) + "}", {{"target", std::to_string(i % 3)}, {"layer", "4"}}});
  REQUIRE(sns.publish_batch(*topic, batch).has_value());
  auto single = sns.publish(*topic, {"single", {{"target", "0"}}});
  REQUIRE(single.has_value());
  CHECK_FALSE(single->empty());

  auto w0 = drain(sqs, queues[0].url, 5);
  auto w1 = drain(sqs, queues[1].url, 6);
  auto w2 = drain(sqs, queues[2].url, 11);
  CHECK(w0.size() == 5);   // i = 0, 3, 6, 9 and "single"
  CHECK(w1.size() == 6);   // i % 3 in {1, 2}
  CHECK(w2.size() == 11);  // no filter
  for (const auto& m : w0) {
    CHECK(m.attributes.at("target") == "0");
    CHECK(m.body.find("\"Type\"") == std::string::npos);  // raw: no SNS envelope
  }
  for (const auto& m : w1) CHECK(m.attributes.at("target") != "0");
  for (const auto& m : w2)
    if (m.body != "single") CHECK(m.attributes.at("layer") == "4");

  for (const auto& s : subscriptions) CHECK(sns.unsubscribe(s).has_value());
  // Unsubscribed: a new publish reaches nobody.
  OutgoingMessage after{"after", {{"target", "0"}}};
  REQUIRE(sns.publish_batch(*topic, std::span<const OutgoingMessage>(&after, 1)).has_value());
  auto none = sqs.receive(queues[0].url, {.max_messages = 10, .wait_time_s = 0});
  REQUIRE(none.has_value());
  CHECK(none->empty());

  CHECK(sns.delete_topic(*topic).has_value());
  for (const auto& q : queues) CHECK(sqs.delete_queue(q.url).has_value());
}

TEST_CASE("aws: sns rejects oversize messages and surfaces AWS error codes") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& sns = backend->sns();
  OutgoingMessage big{std::string(kMaxMessageBytes + 1, 'x'), {}};
  auto r = sns.publish_batch("arn:aws:sns:us-east-1:000000000000:none", std::span<const OutgoingMessage>(&big, 1));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInvalidInput);

  OutgoingMessage m{"x", {}};
  auto missing = sns.publish_batch("arn:aws:sns:us-east-1:000000000000:" + aws_test::unique_name("never"),
                                   std::span<const OutgoingMessage>(&m, 1));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().where == "sns:PublishBatch");
  CHECK(missing.error().what.find("NotFound") != std::string::npos);
}
