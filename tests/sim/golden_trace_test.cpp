// Golden trace: a two-worker exchange (launch by Lambda, one SNS publish each, a long-polling
// receive, a delete) must reach the endpoints at exactly these instants. Each time is derived by
// hand from the round calibration (sim_fixture.hpp): NIC 1 ms; Invoke 10 ms + 20 ms service,
// cold start 0.5 s; SNS 4 ms + 10 ms service, 50 MB/s, delivery 100 ms; SQS 3 ms + 5 ms, 40 MB/s.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/endpoint.hpp"
#include "sim/services/sim_functions.hpp"
#include "sim/services/sim_pubsub.hpp"
#include "sim/services/sim_queue.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

TEST_CASE("golden trace of a two-worker exchange") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 2});
  std::vector<sim::RequestTrace> trace;
  sim::Endpoint::set_trace_sink([&](const sim::RequestTrace& t) { trace.push_back(t); });
  const auto topic = s.pubsub().create_topic("t").value();
  std::vector<engine::cloud::QueueHandle> inbox{s.queue().create_queue("q0").value(),
                                                s.queue().create_queue("q1").value()};
  REQUIRE(s.pubsub().subscribe_queue(topic, inbox[0].arn, {{"t", {"0"}}}));
  REQUIRE(s.pubsub().subscribe_queue(topic, inbox[1].arn, {{"t", {"1"}}}));
  s.functions().register_function("w", [&](const std::string& payload) {
    const int self = payload == "0" ? 0 : 1;
    const std::vector<engine::cloud::OutgoingMessage> msg{{std::string(10, 'x'), {{"t", std::to_string(1 - self)}}}};
    REQUIRE(s.pubsub().publish_batch(topic, msg));
    auto got = s.queue().receive(inbox[self].url, {10, 20.0, 30.0});
    REQUIRE(got);
    REQUIRE(got->size() == 1);
    const std::vector<std::string> handles{(*got)[0].receipt_handle};
    REQUIRE(s.queue().delete_batch(inbox[self].url, handles));
    return std::string();
  });
  s.run([&] {
    REQUIRE(s.functions().invoke("w", "0", engine::cloud::InvocationType::kEvent));
    REQUIRE(s.functions().invoke("w", "1", engine::cloud::InvocationType::kEvent));
  });
  // driver: invoke 1 arrives 0.011, accepted 0.031, back 0.042; invoke 2 arrives 0.053 (accepted 0.073).
  // w-1 starts 0.531: publish (12 B) arrives 0.536, accepted 0.546 → visible in q1 at 0.646; back 0.551;
  //   receive arrives 0.555, serves 0.560, waits for q0's message (visible 0.688), back 0.692 + 12/40e6;
  //   delete arrives 0.696.
  // w-2 starts 0.573: publish arrives 0.578, accepted 0.588 → visible in q0 at 0.688; back 0.593;
  //   receive arrives 0.597, serves 0.602, waits until 0.646, back 0.650 + 12/40e6; delete arrives 0.654.
  const std::vector<sim::RequestTrace> golden{
      {0.011, "driver", "lambda-api", 1}, {0.053, "driver", "lambda-api", 1}, {0.536, "w-1", "sns", 12},
      {0.555, "w-1", "sqs", 0},           {0.578, "w-2", "sns", 12},          {0.597, "w-2", "sqs", 0},
      {0.654, "w-2", "sqs", 0},           {0.696, "w-1", "sqs", 0}};
  REQUIRE(trace.size() == golden.size());
  for (std::size_t i = 0; i < golden.size(); ++i) {
    CAPTURE(i);
    CHECK(trace[i].actor == golden[i].actor);
    CHECK(trace[i].endpoint == golden[i].endpoint);
    CHECK(trace[i].request_bytes == golden[i].request_bytes);
    CHECK(trace[i].time_s == doctest::Approx(golden[i].time_s).epsilon(1e-5));
  }
}
