// The published Python workers' model (calibration.hpp, WorkerCalibration): per-message CPU, the
// publish thread pool joined before polling, and their object protocol (no deletes). Times are
// hand-derived from the round calibration (sim_fixture.hpp): function NIC 1 ms, SNS 4 ms + 10 ms
// service, SQS 3 ms + 5 ms service, S3 LIST endpoint 10 ms + 20 ms service; the driver's host has
// one vCPU of the python speed (1e8 flop/s).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/sim_object_store.hpp"
#include "sim/services/sim_pubsub.hpp"
#include "sim/services/sim_queue.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;
using engine::cloud::OutgoingMessage;
using engine::cloud::ReceiveOptions;

namespace {
std::vector<OutgoingMessage> batch_of(int messages) {
  return std::vector<OutgoingMessage>(messages, OutgoingMessage{"x", {{"t", "1"}}});  // 3 billed bytes each
}
}  // namespace

TEST_CASE("python: every message published costs message_vcpu_s of CPU") {
  auto cal = simtest::round_calibration();
  cal.python.message_vcpu_s = 0.01;
  sim::Simulation s(cal, {.function_hosts = 1, .worker = sim::WorkerKind::kPython});
  const auto topic = s.pubsub().create_topic("t").value();
  double one = -1, three = -1;
  s.run([&] {
    auto& rt = s.runtime();
    double t0 = rt.now_s();
    REQUIRE(s.pubsub().publish_batch(topic, batch_of(1)));
    one = rt.now_s() - t0;
    t0 = rt.now_s();
    REQUIRE(s.pubsub().publish_batch(topic, batch_of(3)));
    three = rt.now_s() - t0;
  });
  // The same round trip (6 more bytes at 50 MB/s: 0.12 µs) plus 2 × 0.01 s at one vCPU.
  CHECK(one == Approx(0.01 + 2 * (0.001 + 0.004) + 0.010).epsilon(1e-4));
  CHECK(three - one == Approx(0.02).epsilon(1e-3));
}

TEST_CASE("python: 4 publish threads; the 5th call waits for a thread, a receive waits for all") {
  auto cal = simtest::round_calibration();
  cal.python.publish_threads = 4;
  sim::Simulation s(cal, {.function_hosts = 1, .worker = sim::WorkerKind::kPython});
  const auto topic = s.pubsub().create_topic("t").value();
  const auto inbox = s.queue().create_queue("q").value();
  REQUIRE(s.pubsub().subscribe_queue(topic, inbox.arn, {}));
  std::vector<double> returned;
  double received_at = -1;
  s.run([&] {
    auto& rt = s.runtime();
    for (int i = 0; i < 5; ++i) {
      REQUIRE(s.pubsub().publish_batch(topic, batch_of(1)));
      returned.push_back(rt.now_s());
    }
    REQUIRE(s.queue().receive(inbox.url, ReceiveOptions{10, 0.0, 30.0}));
    received_at = rt.now_s();
  });
  // One publish: 2 × (1 + 4) ms + 10 ms = 20 ms. Calls 1-4 return at once; the 5th when a thread
  // frees at 20 ms; it is done at 40 ms; then the receive: 2 × (1 + 3) ms + 5 ms = 13 ms.
  REQUIRE(returned.size() == 5);
  for (int i = 0; i < 4; ++i) CHECK(returned[i] == Approx(0.0));
  CHECK(returned[4] == Approx(0.020).epsilon(1e-4));
  CHECK(received_at == Approx(0.053).epsilon(1e-4));
  CHECK(s.stats().publish_batches == 5);
  CHECK(s.stats().deliveries == 5);
}

TEST_CASE("python: the published object worker never deletes, so DeleteObjects takes no time") {
  auto cal = simtest::round_calibration();
  cal.python.protocol = sim::WorkerProtocol::kPublished;
  sim::Simulation s(cal, {.function_hosts = 1, .worker = sim::WorkerKind::kPython});
  double delete_s = -1, list_s = -1;
  s.run([&] {
    auto& rt = s.runtime();
    REQUIRE(s.objects().create_bucket("b"));
    REQUIRE(s.objects().put("b", "k", "v"));
    double t0 = rt.now_s();
    const std::vector<std::string> keys{"k"};
    REQUIRE(s.objects().delete_objects("b", keys));
    delete_s = rt.now_s() - t0;
    t0 = rt.now_s();
    REQUIRE(s.objects().list("b", "", "", 1000));
    list_s = rt.now_s() - t0;
  });
  CHECK(delete_s == 0.0);
  CHECK(s.stats().s3_deletes == 1);  // still served and counted
  // A LIST still costs its round trip: 2 × (1 + 10) ms + 20 ms (an empty listing).
  CHECK(list_s == Approx(0.042).epsilon(1e-4));
}

TEST_CASE("python: message bodies cost message_body_s_per_mb on publish and on receive") {
  auto cal = simtest::round_calibration();
  cal.python.message_body_s_per_mb = 0.5;
  sim::Simulation s(cal, {.function_hosts = 1, .worker = sim::WorkerKind::kPython});
  const auto topic = s.pubsub().create_topic("t").value();
  const auto inbox = s.queue().create_queue("q").value();
  REQUIRE(s.pubsub().subscribe_queue(topic, inbox.arn, {}));
  const std::vector<OutgoingMessage> big{OutgoingMessage{std::string(100000, 'b'), {{"t", "1"}}}};
  double publish_s = -1, receive_s = -1;
  s.run([&] {
    auto& rt = s.runtime();
    double t0 = rt.now_s();
    REQUIRE(s.pubsub().publish_batch(topic, big));
    publish_s = rt.now_s() - t0;
    rt.sleep_s(0.2);  // past the 0.1 s delivery latency: the receive finds it at once
    t0 = rt.now_s();
    auto got = s.queue().receive(inbox.url, ReceiveOptions{10, 1.0, 30.0});
    REQUIRE(got);
    CHECK(got->size() == 1);
    receive_s = rt.now_s() - t0;
  });
  // 100,002 billed bytes (body + "t" + "1"): 0.5 s/MB × 0.100002 MB = 0.050001 s on each side.
  // Publish: legs 2 × (1 + 4) ms, 100,002 B at min(100, 50) MB/s, 10 ms service.
  CHECK(publish_s == Approx(0.050001 + 0.010 + 100002 / 50e6 + 0.010).epsilon(1e-6));
  // Receive: request leg 4 ms, 5 ms service, reply leg 4 ms + 100,002 B at min(100, 40) MB/s.
  CHECK(receive_s == Approx(0.004 + 0.005 + 0.004 + 100002 / 40e6 + 0.050001).epsilon(1e-6));
}

TEST_CASE("python: a non-empty object costs object_vcpu_s + MB x object_vcpu_s_per_mb to write and to read") {
  auto cal = simtest::round_calibration();
  cal.python.message_vcpu_s = 1.0;  // must not be charged for objects
  cal.python.object_vcpu_s = 0.01;
  cal.python.object_vcpu_s_per_mb = 0.2;
  sim::Simulation s(cal, {.function_hosts = 1, .worker = sim::WorkerKind::kPython});
  double put_s = -1, marker_s = -1, get_s = -1;
  s.run([&] {
    auto& rt = s.runtime();
    REQUIRE(s.objects().create_bucket("b"));
    double t0 = rt.now_s();
    REQUIRE(s.objects().put("b", "k", std::string(500000, 'o')));
    put_s = rt.now_s() - t0;
    t0 = rt.now_s();
    REQUIRE(s.objects().put("b", "m", ""));
    marker_s = rt.now_s() - t0;
    t0 = rt.now_s();
    REQUIRE(s.objects().get("b", "k"));
    get_s = rt.now_s() - t0;
  });
  // CPU at one vCPU: 0.01 + 0.5 MB × 0.2 = 0.11 s per non-empty object, none for a 0-byte marker.
  // PUT: 2 × (1 + 20) ms + 500,000 B at min(100, 20) MB/s + 30 ms; GET: 2 × (1 + 15) ms + 25 ms +
  // 500,000 B at min(100, 30) MB/s.
  CHECK(put_s == Approx(0.11 + 0.042 + 0.025 + 0.030).epsilon(1e-6));
  CHECK(marker_s == Approx(0.042 + 0.030).epsilon(1e-6));
  CHECK(get_s == Approx(0.11 + 0.032 + 0.025 + 500000 / 30e6).epsilon(1e-6));
}
