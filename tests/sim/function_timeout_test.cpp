// Lambda's function timeout in the simulated platform (sim/services/sim_functions.hpp): an
// invocation is killed at the moment its instance began to start up + timeout_s, with whatever
// it spawned on its instance; one that returns 1 ms before that deadline succeeds. Round
// calibration (sim_fixture.hpp): NIC 1 ms; Invoke API 10 ms each way, 20 ms service; cold start
// 0.5 s, warm start 0.05 s. So an Invoke issued at t is accepted (the instance starts up) at
// t + 0.011 + 0.020 and a request-response caller hears back 0.011 s after the handler ends.
#include <doctest/doctest.h>

#include <simgrid/s4u.hpp>

#include <string>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/sim_functions.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;
using engine::ErrorCode;
using engine::cloud::InvocationType;

TEST_CASE("function timeout: 1 ms under the deadline returns, 1 ms over is killed at start + timeout") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 4});
  const double leg = 0.011, service = 0.020, cold = 0.5, warm = 0.05, timeout = 1.0;
  bool background_finished = false;
  std::vector<std::string> hosts;
  // The handler sleeps `payload` seconds; the second one also leaves a background actor running.
  s.functions().register_function(
      "f",
      [&](const std::string& payload) {
        hosts.push_back(simgrid::s4u::this_actor::get_host()->get_name());
        if (payload == "0.951") s.start_actor("bg", simgrid::s4u::this_actor::get_host(), [&] {
          s.runtime().sleep_s(100);
          background_finished = true;
        });
        s.runtime().sleep_s(std::stod(payload));
        return std::string("ok");
      },
      timeout);
  std::vector<sim::InvocationInfo> killed;
  std::vector<double> killed_at;
  s.functions().set_kill_handler([&](const sim::InvocationInfo& info, const std::string&, double at_s) {
    killed.push_back(info);
    killed_at.push_back(at_s);
  });
  double first_back = -1, second_back = -1, third_back = -1;
  engine::Result<std::string> first = std::string(), second = std::string(), third = std::string();
  s.run([&] {
    auto& rt = s.runtime();
    // Cold: accepted at 0.031, deadline 1.031; the handler runs 0.531 → 1.030 (1 ms early).
    first = s.functions().invoke("f", "0.499", InvocationType::kRequestResponse);
    first_back = rt.now_s();
    rt.sleep_s(10 - rt.now_s());
    // Warm, same instance: accepted at 10.031, deadline 11.031; would run 10.081 → 11.032.
    second = s.functions().invoke("f", "0.951", InvocationType::kRequestResponse);
    second_back = rt.now_s();
    rt.sleep_s(20 - rt.now_s());
    // The killed instance is discarded: a fresh (cold) one on another host.
    third = s.functions().invoke("f", "0", InvocationType::kRequestResponse);
    third_back = rt.now_s();
  });
  REQUIRE(first);
  CHECK(*first == "ok");
  CHECK(first_back == Approx(leg + service + cold + 0.499 + leg).epsilon(1e-6));
  REQUIRE_FALSE(second);
  CHECK(second.error().code == ErrorCode::kInternal);
  CHECK(second.error().message().find("Task timed out after 1.00 seconds") != std::string::npos);
  CHECK(second_back == Approx(10 + leg + service + timeout + leg).epsilon(1e-6));
  REQUIRE(killed.size() == 1);
  CHECK(killed_at[0] == Approx(10 + leg + service + timeout).epsilon(1e-6));
  CHECK(killed[0].start_s == Approx(10 + leg + service).epsilon(1e-6));
  CHECK_FALSE(killed[0].cold);
  CHECK(warm < timeout);
  CHECK_FALSE(background_finished);  // killed with its instance
  REQUIRE(third);
  REQUIRE(hosts.size() == 3);
  CHECK(hosts[0] == hosts[1]);
  CHECK(hosts[2] != hosts[0]);
  CHECK(third_back == Approx(20 + leg + service + cold + leg).epsilon(1e-6));
  CHECK(s.stats().cold_starts == 2);
  CHECK(s.functions().killed() == 1);
  CHECK(s.functions().running() == 0);
  CHECK(sim::Simulation::now_s() < 30);  // the background actor's 100 s sleep did not run on
}

TEST_CASE("function timeout: a kill during the start-up; no timeout means no kill") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 4});
  bool ran = false;
  s.functions().register_function("short", [&](const std::string&) {
    ran = true;
    return std::string();
  }, 0.25);  // below the 0.5 s cold start
  s.functions().register_function("unlimited", [&](const std::string&) {
    s.runtime().sleep_s(2000);  // past Lambda's 900 s, but this function has no timeout set
    return std::string("done");
  });
  double killed_at = -1;
  s.functions().set_kill_handler([&](const sim::InvocationInfo&, const std::string&, double at_s) { killed_at = at_s; });
  engine::Result<std::string> a = std::string(), b = std::string();
  s.run([&] {
    a = s.functions().invoke("short", "", InvocationType::kRequestResponse);
    b = s.functions().invoke("unlimited", "", InvocationType::kRequestResponse);
  });
  CHECK_FALSE(a);
  CHECK_FALSE(ran);
  CHECK(killed_at == Approx(0.011 + 0.020 + 0.25).epsilon(1e-6));
  REQUIRE(b);
  CHECK(*b == "done");
}

TEST_CASE("Simulation::stop ends the run at once, without a deadlock report") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 2});
  bool waiter_woke = false;
  auto mutex = simgrid::s4u::Mutex::create();
  auto cv = simgrid::s4u::ConditionVariable::create();
  s.run([&] {
    s.start_actor("waiter", s.client_host(), [&] {
      std::unique_lock lock(*mutex);
      cv->wait(lock);  // never notified: without stop() SimGrid would report a deadlock
      waiter_woke = true;
    });
    s.runtime().sleep_s(3);
    s.stop();
  });
  CHECK(s.stopped());
  CHECK_FALSE(waiter_woke);
  CHECK(sim::Simulation::now_s() == Approx(3));
}
