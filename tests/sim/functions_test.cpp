// SimFunctions: invocation latency, cold vs warm start, the concurrency limit, synchronous
// results and handler failures. Round calibration (sim_fixture.hpp): NIC 1 ms; Invoke API 10 ms,
// 20 ms service; cold start 0.5 s, warm start 0.05 s; concurrency limit 3.
#include <doctest/doctest.h>

#include <simgrid/s4u.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/sim_functions.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;
using engine::ErrorCode;
using engine::cloud::InvocationType;

TEST_CASE("cold start, then warm start on the same instance") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 4});
  std::vector<double> started;
  std::vector<std::string> hosts;
  s.functions().register_function("w", [&](const std::string& payload) {
    started.push_back(s.runtime().now_s());
    hosts.push_back(simgrid::s4u::this_actor::get_host()->get_name());
    return "echo:" + payload;
  });
  double accepted_back = -1, second_call = -1;
  s.run([&] {
    auto& rt = s.runtime();
    REQUIRE(s.functions().invoke("w", "1", InvocationType::kEvent));
    accepted_back = rt.now_s();
    rt.sleep_s(10 - rt.now_s());
    second_call = rt.now_s();
    auto r = s.functions().invoke("w", "2", InvocationType::kRequestResponse);
    REQUIRE(r);
    CHECK(*r == "echo:2");
  });
  // Invoke: 1 + 10 ms there (1 payload byte: negligible at these bandwidths), 20 ms service.
  const double leg = 0.011, service = 0.020;
  CHECK(accepted_back == Approx(leg + service + leg).epsilon(1e-4));
  REQUIRE(started.size() == 2);
  CHECK(started[0] == Approx(leg + service + 0.5).epsilon(1e-4));
  CHECK(started[1] == Approx(second_call + leg + service + 0.05).epsilon(1e-4));
  CHECK(hosts[0] == hosts[1]);
  CHECK(s.stats().cold_starts == 1);
}

TEST_CASE("the account concurrency limit throttles the invocation beyond it") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 8});
  s.functions().register_function("w", [&](const std::string&) {
    s.runtime().sleep_s(5);
    return std::string();
  });
  std::vector<bool> accepted;
  s.run([&] {
    for (int i = 0; i < 4; ++i) {
      auto r = s.functions().invoke("w", "{}", InvocationType::kEvent);
      accepted.push_back(static_cast<bool>(r));
      if (!r) CHECK(r.error().code == ErrorCode::kUnavailable);
    }
    s.runtime().sleep_s(10);  // all three have ended: capacity is back
    CHECK(s.functions().invoke("w", "{}", InvocationType::kEvent));
  });
  CHECK(accepted == std::vector<bool>{true, true, true, false});
  CHECK(s.functions().peak_running() == 3);
}

TEST_CASE("a handler that throws is kInternal for a synchronous caller; unknown function is kNotFound") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 2});
  s.functions().register_function("bad", [](const std::string&) -> std::string { throw std::runtime_error("oops"); });
  s.run([&] {
    auto r = s.functions().invoke("bad", "{}", InvocationType::kRequestResponse);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == ErrorCode::kInternal);
    CHECK(r.error().what == "oops");
    auto n = s.functions().invoke("none", "{}", InvocationType::kEvent);
    REQUIRE_FALSE(n);
    CHECK(n.error().code == ErrorCode::kNotFound);
  });
}
