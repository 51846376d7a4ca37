// RunScope against the emulator: what a run creates through it is gone after cleanup(), whatever
// the deployment itself already removed; buckets stay.
#include "engine/aws/run_scope.hpp"

#include <doctest/doctest.h>

#include "emulator.hpp"

using namespace engine;
using namespace engine::cloud;

TEST_CASE("aws: run scope removes the run's topics, subscriptions, queues and objects") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  const std::string bucket = aws_test::unique_name("scope");
  REQUIRE(backend->s3().create_bucket(bucket).has_value());
  REQUIRE(backend->s3().put(bucket, "other-run/keep", "x").has_value());  // not this run's

  std::string topic, queue_url, queue_name = aws_test::unique_name("scope-q");
  {
    aws::RunScope scope(backend->sns(), backend->sqs(), backend->s3());
    auto t = scope.pubsub().create_topic(aws_test::unique_name("scope-t"));
    REQUIRE(t.has_value());
    topic = *t;
    auto q = scope.queue().create_queue(queue_name);
    REQUIRE(q.has_value());
    queue_url = q->url;
    REQUIRE(scope.queue().allow_topic(*q, topic).has_value());
    REQUIRE(scope.pubsub().subscribe_queue(topic, q->arn, {{"target", {"0"}}}).has_value());
    for (int i = 0; i < 3; ++i) REQUIRE(scope.objects().put(bucket, "runs/r/" + std::to_string(i), "data").has_value());
    // The second queue is deleted by the "deployment" already: cleanup must not mind.
    auto q2 = scope.queue().create_queue(aws_test::unique_name("scope-q2"));
    REQUIRE(q2.has_value());
    REQUIRE(backend->sqs().delete_queue(q2->url).has_value());

    aws::CleanupReport report = scope.cleanup();
    CHECK(report.errors.empty());
    CHECK(report.subscriptions == 1);
    CHECK(report.topics == 1);
    CHECK(report.queues == 1);
    CHECK(report.objects == 3);
    aws::CleanupReport again = scope.cleanup();  // idempotent
    CHECK(again.topics + again.queues + again.subscriptions + again.objects == 0);
  }
  auto url = backend->sqs().get_queue_url(queue_name);
  REQUIRE_FALSE(url.has_value());
  CHECK(url.error().code == ErrorCode::kNotFound);
  OutgoingMessage m{"x", {}};
  auto publish = backend->sns().publish_batch(topic, std::span<const OutgoingMessage>(&m, 1));
  REQUIRE_FALSE(publish.has_value());
  CHECK(publish.error().code == ErrorCode::kNotFound);
  auto left = backend->s3().list(bucket, "");
  REQUIRE(left.has_value());
  CHECK(left->keys == std::vector<std::string>{"other-run/keep"});
}
