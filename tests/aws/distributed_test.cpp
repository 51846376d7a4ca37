// The distributed engine end to end on the live AWS backend against the fauxqs emulator: SNS, SQS
// and S3 over HTTP through the real clients, workers on local threads (MemoryFunctions). For
// P = 8 and each channel, Y_L and the categories must equal the serial engine's (engine::infer),
// and the Meter's counts must equal the requests the clients actually put on the wire.
#include <doctest/doctest.h>

#include "emulator.hpp"
#include "engine/cloud/memory/memory_functions.hpp"
#include "engine/cloud/memory/memory_runtime.hpp"
#include "engine/distributed_fixture.hpp"

using namespace engine;

namespace {

const Network& n1024_4() {
  static const Network net = read_network(fixture::n1024_dir(), 1024, 4);
  return net;
}

std::int64_t sent(const std::map<std::string, aws::RequestTally>& t, const std::string& op) {
  auto it = t.find(op);
  return it == t.end() ? 0 : it->second.sent;
}

void run_on_emulator(const std::string& endpoint, ChannelKind channel) {
  CAPTURE(to_string(channel));
  const Network& net = n1024_4();
  const Activations images = fixture::n1024_images(60);
  const int workers = 8;
  PartitionOptions po;
  po.method = PartitionMethod::kRandom;
  po.parts = workers;
  po.seed = 5;
  std::printf("partition seed %llu\n", static_cast<unsigned long long>(po.seed));
  const Partition partition = partition_network(net, po);
  const CommPlan plan = make_comm_plan(net, partition);

  auto backend = aws_test::make_backend(endpoint);
  cloud::memory::MemoryRuntime runtime;
  cloud::memory::MemoryFunctions functions(runtime);
  cloud::Services services = backend->services(&runtime);
  services.functions = &functions;
  cloud::Meter meter(services);

  DeploymentSpec spec;
  spec.network = &net;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts = {workers};
  spec.channel = channel;
  spec.topics = 3;
  spec.run_id = aws_test::unique_name("run");
  spec.queue.wait_time_s = 1;  // long polls return as soon as a message arrives
  spec.queue.retry.initial_backoff_s = 0.01;
  spec.queue.retry.receive_timeout_s = 60;
  spec.object.bucket = aws_test::unique_name("bucket");
  spec.object.poll_interval_s = 0.005;
  spec.object.retry = spec.queue.retry;
  Deployment dep(spec, meter.services());
  functions.register_handler(spec.function_name, [&](const std::string& p) { return dep.handle(p); });
  auto r = dep.run();
  functions.join_all();
  REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().message()));

  const Activations serial = infer(net, images);
  fixture::check_equal(r->result, serial);
  CHECK(categories(r->result) == categories(serial));

  // Metered requests (what the engine asked for and the service accepted) = requests sent.
  const cloud::MeteredUsage u = meter.usage();
  const auto t = backend->counter().snapshot();
  for (const auto& [op, tally] : t) {
    CAPTURE(op);
    CHECK(tally.failed == 0);
    CHECK(tally.retried == 0);
  }
  CHECK(u.sns_errors + u.sqs_errors + u.s3_errors == 0);
  CHECK(u.sns_publish_requests == sent(t, "sns:PublishBatch"));
  CHECK(u.sns_other_requests == sent(t, "sns:CreateTopic") + sent(t, "sns:Subscribe") + sent(t, "sns:Unsubscribe") +
                                    sent(t, "sns:DeleteTopic"));
  CHECK(u.sqs_send_requests == sent(t, "sqs:SendMessageBatch"));
  CHECK(u.sqs_receive_requests == sent(t, "sqs:ReceiveMessage"));
  CHECK(u.sqs_delete_requests == sent(t, "sqs:DeleteMessageBatch"));
  CHECK(u.sqs_other_requests == sent(t, "sqs:CreateQueue") + sent(t, "sqs:SetQueueAttributes") +
                                    sent(t, "sqs:GetQueueAttributes") + sent(t, "sqs:DeleteQueue"));
  CHECK(u.s3_put_requests == sent(t, "s3:PutObject"));
  CHECK(u.s3_get_requests == sent(t, "s3:GetObject"));
  CHECK(u.s3_list_requests == sent(t, "s3:ListObjectsV2"));
  CHECK(u.s3_delete_requests == sent(t, "s3:DeleteObjects"));
  CHECK(u.s3_other_requests == sent(t, "s3:CreateBucket"));
  if (channel == ChannelKind::kQueue) {
    // The channel really used the queues: P·(P−1) blocks per layer at least, by hand: 4 layers + gather.
    CHECK(u.sns_messages >= workers * (workers - 1) * 4 + (workers - 1));
    // The provisioning the QueueChannel documents: T topics, P queues, P·T policies and subscriptions.
    CHECK(sent(t, "sns:CreateTopic") == 3);
    CHECK(sent(t, "sqs:CreateQueue") == workers);
    CHECK(sent(t, "sns:Subscribe") == workers * 3);
    CHECK(sent(t, "sqs:SetQueueAttributes") == workers * 3);
    CHECK(sent(t, "sqs:DeleteQueue") == workers);  // and torn down
  } else {
    CHECK(u.s3_put_requests >= workers * (workers - 1) * 4 + (workers - 1));
  }
}

}  // namespace

TEST_CASE("aws: distributed P = 8 over SNS/SQS on the emulator gives the serial engine's result") {
  AWS_REQUIRE_EMULATOR(endpoint);
  run_on_emulator(endpoint, ChannelKind::kQueue);
}

TEST_CASE("aws: distributed P = 8 over S3 on the emulator gives the serial engine's result") {
  AWS_REQUIRE_EMULATOR(endpoint);
  run_on_emulator(endpoint, ChannelKind::kObject);
}
