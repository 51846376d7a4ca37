// simulate_serial: the Simulation world, the serial function's handler, one client actor per query,
// billing and the summary.
#include "sim/servers/serial_sim.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "engine/channel/retry.hpp"
#include "sim/runtime.hpp"
#include "sim/services/endpoint.hpp"
#include "sim/services/sim_functions.hpp"

namespace sg4 = simgrid::s4u;

namespace sim {
namespace {

double billed_ms_s(double seconds) { return std::ceil(seconds * 1000.0 - 1e-9) / 1000.0; }

std::string timed_out(double would_run_s, double limit_s, std::size_t query) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "runs %.0f s > the %.0f s function limit (Lambda killed query %zu at %.0f s)",
                would_run_s, limit_s, query, limit_s);
  return buf;
}

}  // namespace

SerialRun simulate_serial(const Calibration& calibration, WorkerKind worker, const SerialSpec& spec,
                          std::span<const double> arrivals_s, double flops) {
  if (!(flops >= 0)) throw std::invalid_argument("sim::simulate_serial(): flops must be >= 0");
  check_arrivals(arrivals_s, "sim::simulate_serial()");
  if (const std::string problem = serial_memory_problem(spec); !problem.empty())
    throw std::invalid_argument("sim::simulate_serial(): " + problem);

  PlatformOptions platform;
  platform.memory_mb = spec.memory_mb;
  platform.worker = worker;
  platform.function_hosts = static_cast<int>(
      std::clamp<std::size_t>(arrivals_s.size(), 1, static_cast<std::size_t>(calibration.lambda.concurrency_limit)));
  Simulation world(calibration, platform);
  const double rate = world.worker_calibration().flops_per_s_per_vcpu;  // one vCPU
  const double vcpus = world.vcpus();
  const int threads = cores_for_memory(calibration.lambda, spec.memory_mb);

  SerialRun run;
  run.vcpus = vcpus;
  run.queries.resize(arrivals_s.size());
  std::set<sg4::Host*> loaded;  // instances holding the weights (one host per instance)
  Endpoint s3_get(world.endpoint("s3-get"), calibration.s3_get, world.worker_calibration().request_overhead_s);

  // The function: the query's index in, "ok" out; throws (→ kInternal) when killed at the limit.
  world.functions().register_function(spec.function_name, [&](const std::string& payload) -> std::string {
    const std::size_t i = std::stoul(payload);
    SerialQuery& q = run.queries[i];
    sg4::Host* host = sg4::this_actor::get_host();
    q.cold = loaded.insert(host).second;
    q.times.start_s = sg4::Engine::get_clock() - (q.cold ? calibration.lambda.cold_start_s : calibration.lambda.warm_start_s);
    q.times.instance = static_cast<int>(std::find(world.function_hosts().begin(), world.function_hosts().end(), host) -
                                        world.function_hosts().begin());
    ++run.invocations;
    const double deadline_s = q.times.start_s + spec.max_duration_s;
    auto bill = [&](double end_s) {
      q.billed_s = billed_ms_s(end_s - q.times.start_s);
      run.billed_s += q.billed_s;
      run.duration_s += end_s - q.times.start_s;
    };
    // Weights fit in memory (checked above) and at most 10,240 MB load in far less than 900 s.
    if (q.cold && spec.weight_bytes > 0) {
      if (!s3_get.arrive(0)) throw std::runtime_error("s3 GET of the weights throttled");
      s3_get.work();
      s3_get.reply(static_cast<std::uint64_t>(std::llround(spec.weight_bytes)));
    }
    if (flops > 0) {
      std::vector<sg4::ExecPtr> execs;
      for (int t = 0; t < threads; ++t)
        execs.push_back(sg4::this_actor::exec_init(flops / threads)->set_bound(rate)->start());
      for (auto& e : execs) {
        const double left_s = deadline_s - sg4::Engine::get_clock();
        try {
          if (left_s <= 0) throw simgrid::TimeoutException(XBT_THROW_POINT, "time limit");
          e->wait_for(left_s);
        } catch (const simgrid::TimeoutException&) {
          double remaining = 0;
          for (auto& x : execs) {
            if (!x->test()) {
              remaining += x->get_remaining();
              x->cancel();
            }
          }
          const double now = sg4::Engine::get_clock();
          bill(now);
          ++run.killed;
          throw std::runtime_error(timed_out(now - q.times.start_s + remaining / (vcpus * rate), spec.max_duration_s, i));
        }
      }
    }
    bill(sg4::Engine::get_clock());
    return "ok";
  });

  world.run([&] {
    for (std::size_t i = 0; i < arrivals_s.size(); ++i) {
      sg4::this_actor::sleep_until(arrivals_s[i]);
      world.start_actor("query-" + std::to_string(i), world.client_host(), [&, i] {
        SerialQuery& q = run.queries[i];
        q.times.arrival_s = arrivals_s[i];
        std::int64_t retries = 0;
        const auto r = engine::with_retry(world.runtime(), spec.invoke_retry, &retries, [&] {
          auto result = world.functions().invoke(spec.function_name, std::to_string(i),
                                                 engine::cloud::InvocationType::kRequestResponse);
          if (!result && result.error().retryable()) ++run.throttles;
          return result;
        });
        q.times.end_s = sg4::Engine::get_clock();
        q.served = r.has_value();
        if (!q.served && run.failure.empty())
          run.failure = r.error().retryable() ? "query " + std::to_string(i) + " throttled " +
                                                    std::to_string(retries + 1) + " times: " + r.error().what
                                              : r.error().what;
      });
    }
  });

  std::vector<ServedQuery> served;
  for (const SerialQuery& q : run.queries) {
    if (q.served) served.push_back(q.times);
    run.cold_starts += q.cold;
  }
  run.served = static_cast<std::int64_t>(served.size());
  run.failed = static_cast<std::int64_t>(run.queries.size()) - run.served;
  run.peak_instances = world.functions().peak_running();
  run.gb_s = run.billed_s * spec.memory_mb / 1024.0;
  run.stats = stream_stats(served);
  return run;
}

}  // namespace sim
