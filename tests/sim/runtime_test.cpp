// SimRuntime and the platform: host speed from memory, compute as an execution, spawn/join,
// deadlock and actor failures reported by run(). Expected times are derived by hand from the
// round calibration in sim_fixture.hpp.
#include <doctest/doctest.h>
#include <simgrid/s4u.hpp>

#include <stdexcept>
#include <string>

#include "sim/runtime.hpp"
#include "sim/services/sim_functions.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;

TEST_CASE("vcpus follow memory: 1 per 1769 MB, 6 cores at 10,240 MB") {
  const auto l = simtest::round_calibration().lambda;
  CHECK(sim::vcpus_for_memory(l, 1769) == Approx(1.0));
  CHECK(sim::vcpus_for_memory(l, 1000) == Approx(1000.0 / 1769));
  CHECK(sim::cores_for_memory(l, 1000) == 1);
  CHECK(sim::cores_for_memory(l, 1770) == 2);
  CHECK(sim::vcpus_for_memory(l, 10240) == Approx(10240.0 / 1769));
  CHECK(sim::cores_for_memory(l, 10240) == 6);
  CHECK_THROWS_AS(sim::vcpus_for_memory(l, 10241), std::invalid_argument);
  CHECK_THROWS_AS(sim::vcpus_for_memory(l, 100), std::invalid_argument);
}

TEST_CASE("compute(flops) on a 1000 MB instance takes flops / (1e9 × 1000/1769) s") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1, .memory_mb = 1000});
  double done = -1;
  s.functions().register_function("f", [&](const std::string&) {
    const double t0 = s.runtime().now_s();
    s.runtime().compute(1e9);
    done = s.runtime().now_s() - t0;
    return std::string();
  });
  s.run([&] { CHECK(s.functions().invoke("f", "{}", engine::cloud::InvocationType::kRequestResponse)); });
  CHECK(done == Approx(1.769).epsilon(1e-6));
}

TEST_CASE("one thread at 2000 MB runs at one full vCPU, not at the quota spread over 2 cores") {
  // Lambda's CPU is a quota: 2000/1769 = 1.13 vCPU; a single thread may use a whole vCPU of it.
  // Hand-derived: 1e9 flops at 1e9 flop/s per vCPU → 1 s (spread evenly it would be 1.769 s).
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1, .memory_mb = 2000});
  double one = -1, two = -1;
  s.functions().register_function("f", [&](const std::string&) {
    auto& rt = s.runtime();
    double t0 = rt.now_s();
    rt.compute(1e9);
    one = rt.now_s() - t0;
    t0 = rt.now_s();
    auto a = rt.spawn("a", [&] { rt.compute(1e9); });
    auto b = rt.spawn("b", [&] { rt.compute(1e9); });
    a->join();
    b->join();
    two = rt.now_s() - t0;  // 2e9 flops over the 1.13e9 flop/s quota → 1.769 s
    return std::string();
  });
  s.run([&] { CHECK(s.functions().invoke("f", "{}", engine::cloud::InvocationType::kRequestResponse)); });
  CHECK(one == Approx(1.0).epsilon(1e-6));
  CHECK(two == Approx(2e9 / (1e9 * 2000.0 / 1769)).epsilon(1e-6));
}

TEST_CASE("two tasks on a 3538 MB instance compute in parallel on its 2 cores, three share them") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1, .memory_mb = 3538});
  double two = -1, three = -1;
  s.functions().register_function("f", [&](const std::string&) {
    auto& rt = s.runtime();
    double t0 = rt.now_s();
    {
      auto a = rt.spawn("a", [&] { rt.compute(1e9); });
      auto b = rt.spawn("b", [&] { rt.compute(1e9); });
      a->join();
      b->join();
    }
    two = rt.now_s() - t0;  // each core: 2 vCPU × 1e9 / 2 cores = 1e9 flop/s → 1 s
    t0 = rt.now_s();
    auto a = rt.spawn("a", [&] { rt.compute(1e9); });
    auto b = rt.spawn("b", [&] { rt.compute(1e9); });
    auto c = rt.spawn("c", [&] { rt.compute(1e9); });
    a->join();
    b->join();
    c->join();
    three = rt.now_s() - t0;  // 3e9 flops over 2e9 flop/s → 1.5 s
    return std::string();
  });
  s.run([&] { CHECK(s.functions().invoke("f", "{}", engine::cloud::InvocationType::kRequestResponse)); });
  CHECK(two == Approx(1.0).epsilon(1e-6));
  CHECK(three == Approx(1.5).epsilon(1e-6));
}

TEST_CASE("python worker calibration makes compute 10x slower and compression a calibrated speed") {
  auto cal = simtest::round_calibration();
  cal.python.compress_bytes_per_s_per_vcpu = 20e6;
  sim::Simulation s(cal, {.function_hosts = 1, .memory_mb = 1769, .worker = sim::WorkerKind::kPython});
  double compute_s = -1, compress_s = -1;
  s.functions().register_function("f", [&](const std::string&) {
    auto& rt = s.runtime();
    double t0 = rt.now_s();
    rt.compute(1e8);
    compute_s = rt.now_s() - t0;  // 1e8 flops at 1e8 flop/s → 1 s
    t0 = rt.now_s();
    rt.compute(rt.compress_flops(10e6));
    compress_s = rt.now_s() - t0;  // 10 MB at 20 MB/s → 0.5 s
    return std::string();
  });
  s.run([&] { CHECK(s.functions().invoke("f", "{}", engine::cloud::InvocationType::kRequestResponse)); });
  CHECK(compute_s == Approx(1.0).epsilon(1e-6));
  CHECK(compress_s == Approx(0.5).epsilon(1e-6));
}

TEST_CASE("sleep and now follow the simulated clock, not the wall clock") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  double t = -1;
  s.run([&] {
    s.runtime().sleep_s(3600);
    t = s.runtime().now_s();
  });
  CHECK(t == Approx(3600));
}

TEST_CASE("a deadlock makes run() fail loudly") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto mutex = simgrid::s4u::Mutex::create();
  auto cv = simgrid::s4u::ConditionVariable::create();
  CHECK_THROWS_WITH_AS(s.run([&] {
    std::unique_lock lock(*mutex);
    cv->wait(lock);  // nobody will ever notify
  }),
                       doctest::Contains("deadlock"), std::runtime_error);
}

TEST_CASE("an exception escaping an actor makes run() fail with its message") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  CHECK_THROWS_WITH_AS(s.run([&] {
    auto task = s.runtime().spawn("bad", [] { throw std::runtime_error("boom"); });
    task->join();
  }),
                       doctest::Contains("boom"), std::runtime_error);
}

TEST_CASE("only one simulation per process") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  CHECK_THROWS_AS(sim::Simulation(simtest::round_calibration(), {.function_hosts = 1}), std::logic_error);
}
