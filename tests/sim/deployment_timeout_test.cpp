// A deployment on the simulated cloud under Lambda's limits and bill (sim/deployment_run.hpp):
// a worker past its timeout ends the run with WorkerKilled (worker, layer, simulated time, the bill
// so far), and a finished run bills each worker from its start-up (INIT included, as AWS bills it
// since Aug 2025). Object channel, P = 4 in one level, first 6 official n1024 layers, 60 images,
// round calibration (sim_fixture.hpp): the coordinator's Invokes each take 0.011 + 0.020 + 0.011
// s, so worker w's instance starts up 0.042 · w s after worker 0's; cold start 0.5 s.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "sim/deployment_run.hpp"
#include "n1024_deployment.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;

namespace {

using simtest::n1024_problem;
using simtest::Problem;

engine::DeploymentSpec object_spec(const Problem& p) {
  return simtest::spec_for(p, engine::ChannelKind::kObject, {4}, "timeout");
}

double ceil_ms(double s) { return std::ceil(s * 1000.0 - 1e-9) / 1000.0; }

}  // namespace

TEST_CASE("deployment: a worker past its timeout ends the run, named with its layer, billed to the kill") {
  const Problem p = n1024_problem(4);
  auto cal = simtest::round_calibration();
  cal.lambda.concurrency_limit = 4;
  sim::Simulation s(cal, {.function_hosts = 4, .memory_mb = 1000});
  const double timeout = 1.0;
  bool thrown = false;
  try {
    (void)sim::simulate_deployment(s, object_spec(p), 1000, timeout);
  } catch (const sim::WorkerKilled& k) {
    thrown = true;
    INFO(k.what());
    // Worker 0 is invoked first, so its deadline comes first; nobody can finish 6 layers in the
    // 0.5 s left after the cold start (a layer is at least a PUT, a LIST and a GET: 0.171 s).
    CHECK(k.worker == 0);
    CHECK(k.timeout_s == timeout);
    CHECK(k.layers == 6);
    // Bucket creation (0.072 s) + the Invoke's request leg and service (0.031 s), then 1 s.
    CHECK(k.killed_s == Approx(0.072 + 0.031 + timeout).epsilon(1e-4));
    // Worker 0 has 0.5 s of handler time: at most ⌈0.5 / 0.171⌉ = 3 layers started.
    CHECK(k.layer >= 1);
    CHECK(k.layer <= 3);
    const std::string what = k.what();
    CHECK(what.find("worker 0 was killed at its 1 s function timeout at t=1.10") != std::string::npos);
    CHECK(what.find(sim::layer_words(k.layer, 6)) != std::string::npos);
    // Every worker billed from its start-up to the kill: 1 s, 1 − 0.042, 1 − 0.084, 1 − 0.126 s.
    CHECK(k.usage.lambda_gb_s == Approx((4 * timeout - 6 * 0.042) * 1000 / 1024).epsilon(2e-3));
    CHECK(k.usage.lambda_invocations == 4);
  }
  CHECK(thrown);
  CHECK(s.stopped());
}

TEST_CASE("deployment: a finished run bills each worker from its cold start, under the timeout") {
  const Problem p = n1024_problem(4);
  auto cal = simtest::round_calibration();
  cal.lambda.concurrency_limit = 4;
  sim::Simulation s(cal, {.function_hosts = 4, .memory_mb = 1000});
  const sim::SimulatedRun r = sim::simulate_deployment(s, object_spec(p), 1000, 60);
  REQUIRE(r.deployment.workers.size() == 4);
  CHECK(r.services.cold_starts == 4);
  // Billed: the 0.5 s cold start (INIT) + the handler, each rounded up to 1 ms.
  double want_gb_s = 0, longest_s = 0;
  for (const auto& w : r.deployment.workers) {
    const double billed = 0.5 + (w.function_end_s - w.function_start_s);
    want_gb_s += ceil_ms(billed) * 1000 / 1024;
    longest_s = std::max(longest_s, billed);
  }
  CHECK(r.usage.lambda_gb_s == Approx(want_gb_s).epsilon(1e-9));
  CHECK(r.max_billed_worker_s == Approx(longest_s).epsilon(1e-9));
  CHECK(r.max_billed_worker_s == Approx(r.max_worker_time_s + 0.5).epsilon(1e-9));
  CHECK(r.max_billed_worker_s < 60);
}
