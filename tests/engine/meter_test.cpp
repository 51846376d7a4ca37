// Meter: counts what a bill counts. Expected numbers are derived by hand from the AWS rules
// (64 KiB billed chunks per request payload; Lambda duration rounded up to 1 ms).
#include <doctest/doctest.h>

#include "engine/cloud/memory/memory_cloud.hpp"
#include "engine/cloud/meter.hpp"

using namespace engine::cloud;

TEST_CASE("meter: billed chunks are ⌈payload / 64 KiB⌉, at least 1") {
  CHECK(billed_chunks(0) == 1);
  CHECK(billed_chunks(1) == 1);
  CHECK(billed_chunks(65536) == 1);
  CHECK(billed_chunks(65537) == 2);
  CHECK(billed_chunks(262144) == 4);
}

TEST_CASE("meter: SNS, SQS, S3 and Lambda counts of a hand-made sequence") {
  memory::MemoryCloud cloud;
  cloud.functions().register_handler("f", [](const std::string& p) -> engine::Result<std::string> { return p; });
  Meter meter(cloud.services());
  Services s = meter.services();
  auto topic = s.pubsub->create_topic("t");
  auto q = s.queue->create_queue("q");
  REQUIRE(s.pubsub->subscribe_queue(*topic, q->arn, {}));
  // Batch 1: 3 messages of 30,000 + 1 ("a"="b" is 2 bytes... body 29,998 + attrs "k"+"v" = 30,000) → 90,000 B → 2 chunks.
  const OutgoingMessage m{std::string(29998, 'x'), {{"k", "v"}}};
  const std::vector<OutgoingMessage> three(3, m);
  REQUIRE(s.pubsub->publish_batch(*topic, three));
  // Batch 2: one 10-byte message → 1 chunk.
  const std::vector<OutgoingMessage> one{{std::string(10, 'y'), {}}};
  REQUIRE(s.pubsub->publish_batch(*topic, one));
  auto r1 = s.queue->receive(q->url, {10, 0, 30});  // all 4: 90,010 B → 2 chunks
  REQUIRE(r1->size() == 4);
  auto r2 = s.queue->receive(q->url, {10, 0, 30});  // empty: still 1 request, 1 chunk
  std::vector<std::string> handles;
  for (const auto& x : *r1) handles.push_back(x.receipt_handle);
  REQUIRE(s.queue->delete_batch(q->url, handles));
  REQUIRE(s.objects->create_bucket("bkt"));
  REQUIRE(s.objects->put("bkt", "k", "12345"));
  REQUIRE(s.objects->get("bkt", "k"));
  CHECK(!s.objects->get("bkt", "missing"));
  REQUIRE(s.objects->list("bkt", "", "", 1000));
  REQUIRE(s.functions->invoke("f", "x", InvocationType::kEvent));
  meter.record_function_run(0.0101, 2048);  // 11 ms billed × 2 GB
  const MeteredUsage u = meter.usage();
  CHECK(u.sns_publish_requests == 2);
  CHECK(u.sns_publish_billed == 3);
  CHECK(u.sns_messages == 4);
  CHECK(u.sns_payload_bytes == 90010);
  CHECK(u.sns_other_requests == 2);  // CreateTopic, Subscribe
  CHECK(u.sqs_receive_requests == 2);
  CHECK(u.sqs_receive_billed == 3);
  CHECK(u.sqs_empty_receives == 1);
  CHECK(u.sqs_messages_received == 4);
  CHECK(u.sqs_received_bytes == 90010);
  CHECK(u.sqs_delete_requests == 1);
  CHECK(u.sqs_other_requests == 1);  // CreateQueue
  CHECK(u.s3_put_requests == 1);
  CHECK(u.s3_put_bytes == 5);
  CHECK(u.s3_get_requests == 1);
  CHECK(u.s3_get_bytes == 5);
  CHECK(u.s3_errors == 1);
  CHECK(u.s3_list_requests == 1);
  CHECK(u.s3_other_requests == 1);
  CHECK(u.lambda_invocations == 1);
  CHECK(u.lambda_gb_s == doctest::Approx(0.011 * 2.0));
  cloud.functions().join_all();
}

TEST_CASE("meter: throttled calls are counted as errors, not billed") {
  memory::MemoryCloud cloud(memory::FaultOptions{.seed = 3, .throttle_probability = 1.0});
  Meter meter(cloud.services());
  CHECK(!meter.services().queue->create_queue("q"));
  CHECK(!meter.services().objects->put("b", "k", "v"));
  const auto u = meter.usage();
  CHECK(u.sqs_other_requests == 0);
  CHECK(u.sqs_errors == 1);
  CHECK(u.s3_put_requests == 0);
  CHECK(u.s3_errors == 1);
}
