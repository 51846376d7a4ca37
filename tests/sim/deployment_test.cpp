// The engine's real Deployment (launch tree, Worker, QueueChannel / ObjectChannel, SparseKernel)
// runs unchanged on the simulated cloud: its result equals the serial engine's (engine::infer,
// written independently of workers and channels), the Meter counts what the simulated services
// served, and the simulated batch time is bounded below by the launch tree's hand-derived
// critical path.
#include <doctest/doctest.h>

#include <string>

#include "engine/infer/infer.hpp"
#include "sim/deployment_run.hpp"
#include "n1024_deployment.hpp"
#include "sim_fixture.hpp"

namespace {

using simtest::n1024_problem;
using simtest::Problem;

engine::DeploymentSpec spec_for(const Problem& p, engine::ChannelKind channel, std::vector<int> fanouts) {
  return simtest::spec_for(p, channel, std::move(fanouts), "simtest");
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
