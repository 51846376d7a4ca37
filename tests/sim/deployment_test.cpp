// The engine's real Deployment (launch tree, Worker, QueueChannel / ObjectChannel, SparseKernel)
// runs unchanged on the simulated cloud: its result equals the serial engine's (engine::infer,
// written independently of workers and channels), the Meter counts what the simulated services
// served, and the simulated batch time is bounded below by the launch tree's hand-derived
// critical path.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>

#include "engine/infer/infer.hpp"
#include "engine/model/network_io.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"
#include "sim/deployment_run.hpp"
#include "sim_fixture.hpp"

namespace {

struct Problem {
  engine::Network net;
  engine::Activations images;
  engine::Partition partition;
  engine::CommPlan plan;
};

// First 6 layers of the official n1024 network, first 60 shared images, random partition (seed 7).
Problem n1024_problem(int workers) {
  Problem p;
  const std::string dir = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  p.net = engine::read_network(dir, 1024, 6);
  engine::Activations all = engine::read_images(dir + "/sparse-images-1024_subset.mtx", 1024);
  p.images = all.topRows(60);
  p.images.makeCompressed();
  engine::PartitionOptions po;
  po.method = engine::PartitionMethod::kRandom;
  po.parts = workers;
  po.seed = 7;
  std::printf("partition seed %llu\n", static_cast<unsigned long long>(po.seed));
  p.partition = engine::partition_network(p.net, po);
  p.plan = engine::make_comm_plan(p.net, p.partition);
  return p;
}

engine::DeploymentSpec spec_for(const Problem& p, engine::ChannelKind channel, std::vector<int> fanouts) {
  engine::DeploymentSpec spec;
  spec.network = &p.net;
  spec.partition = &p.partition;
  spec.plan = &p.plan;
  spec.images = &p.images;
  spec.launch_fanouts = std::move(fanouts);
  spec.channel = channel;
  spec.topics = 2;
  spec.run_id = "simtest";
  spec.report_poll_s = 0.05;
  spec.object.poll_interval_s = 0.05;
  return spec;
}

void check_equal(const engine::Activations& got, const engine::Activations& want) {
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  REQUIRE(got.nonZeros() == want.nonZeros());
  int mismatches = 0;
  for (int r = 0; r < want.outerSize(); ++r) {
    engine::Activations::InnerIterator a(got, r), b(want, r);
    for (; a && b; ++a, ++b) mismatches += a.col() != b.col() || a.value() != b.value();
  }
  CHECK(mismatches == 0);
}

}  // namespace

TEST_CASE("queue deployment, P = 6 (bfr 2, 2 levels), runs unchanged and matches the serial engine") {
  const Problem p = n1024_problem(6);
  auto cal = simtest::round_calibration();
  cal.lambda.concurrency_limit = 6;
  sim::Simulation s(cal, {.function_hosts = 6, .memory_mb = 1000});
  const auto r = sim::simulate_deployment(s, spec_for(p, engine::ChannelKind::kQueue, {2, 2}), 1000);
  check_equal(r.deployment.result, engine::infer(p.net, p.images));
  // The Meter sees exactly the data-plane requests the simulated services accepted.
  CHECK(r.usage.sns_publish_requests == r.services.publish_batches);
  CHECK(r.usage.sqs_receive_requests == r.services.sqs_receives);
  CHECK(r.usage.lambda_invocations == 6);
  CHECK(r.services.cold_starts == 6);
  // Every (layer, source, target) frame reaches its target: P(P−1) per layer plus the gather.
  CHECK(r.usage.sqs_messages_received >= 6 * 5 * 6 + 5);
  // Critical path of the launch: root invoke (leg 11 ms + 20 ms service) + cold start 0.5 s,
  // then the child's invoke + cold start, then at least one publish and one receive per layer:
  // each ≥ 2 × (1 + 4) ms + 10 ms (SNS) and delivery 100 ms + 2 × (1 + 3) ms + 5 ms (SQS).
  const double launch = 2 * (0.011 + 0.020 + 0.5);
  const double per_layer = (0.010 + 0.010) + (0.100 + 0.008 + 0.005);
  CHECK(r.batch_time_s > launch + 6 * per_layer);
  CHECK(r.batch_time_s < 60);  // and no retry storm or long-poll stall
}

TEST_CASE("object deployment, P = 4, runs unchanged and matches the serial engine") {
  const Problem p = n1024_problem(4);
  auto cal = simtest::round_calibration();
  cal.lambda.concurrency_limit = 4;
  sim::Simulation s(cal, {.function_hosts = 4, .memory_mb = 1000});
  const auto r = sim::simulate_deployment(s, spec_for(p, engine::ChannelKind::kObject, {4}), 1000);
  check_equal(r.deployment.result, engine::infer(p.net, p.images));
  CHECK(r.usage.s3_put_requests == r.services.s3_puts);
  CHECK(r.usage.s3_get_requests == r.services.s3_gets);
  // One object per (layer, source, target), markers included: 6 layers × 4 × 3, plus the gather.
  CHECK(r.usage.s3_put_requests >= 6 * 4 * 3 + 3);
  // Each layer needs at least a PUT then a LIST then a GET in sequence.
  const double put = 2 * 0.021 + 0.030, list = 2 * 0.011 + 0.020, get = 2 * 0.016 + 0.025;
  CHECK(r.batch_time_s > 0.011 + 0.020 + 0.5 + 6 * (put + list + get));
}
