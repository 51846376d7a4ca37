// simulate_serial: the serial variant — one Lambda function runs the whole network per query —
// serving a stream of queries through the simulated Lambda service (sim/services/sim_functions).
//
//   sim::SerialSpec spec = sim::make_serial_spec(memory_mb, weight_nnz, work, cost::Performance{});
//   sim::SerialRun r = sim::simulate_serial(calibration, sim::WorkerKind::kFsd, spec, arrivals_s,
//                                           work.total_flops());
//
// World: sim::Simulation (sim/simulation.hpp) with min(lambda.concurrency_limit, queries) function
// hosts of spec.memory_mb. At each arrival a client actor invokes the function (kRequestResponse)
// through SimFunctions, which charges the Invoke request, reuses a warm (idle) instance after
// warm_start_s or starts a fresh one after cold_start_s, and throttles beyond concurrency_limit;
// a throttled Invoke is retried with spec.invoke_retry's backoff. The handler, on its instance:
//   cold instance  GETs the weights (spec.weight_bytes) from the s3-get endpoint (kept afterwards)
//   every query    computes `flops` as cores_for_memory(memory_mb) threads of flops / cores each,
//                  each thread at most one vCPU, all sharing the instance's quota of
//                  vcpus_for_memory(memory_mb) vCPUs (1 vCPU per 1769 MB, ≤ 6) — so at rate
//                  min(cores, vcpus) · flops_per_s_per_vcpu = vcpus · flops_per_s_per_vcpu
//   killed         at start + spec.max_duration_s (Lambda's timeout): the query fails, billed in full
// So, by hand, with t_req = the Invoke request leg + service time and t_rep the reply leg:
//   cold query  end = arrival + t_req + cold_start_s + t_GET(weights) + F / (vcpus · rate) + t_rep
//   warm query  end = arrival + t_req + warm_start_s + F / (vcpus · rate) + t_rep
// Billing (what Lambda bills): one request per accepted invocation, and per invocation its
// duration — start-up (cold or warm) through the handler's return — rounded up to 1 ms, times
// memory_mb / 1024 GB. Throttled attempts are not billed.
//
// Contract: one SimGrid world per process (sim::Simulation's; a second call throws
// std::logic_error). Throws std::invalid_argument on unsorted or negative arrivals, negative flops,
// or a spec whose weights and activations do not fit in memory_mb (serial_memory_problem()).
// Deterministic: no randomness beyond the given arrivals.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/calibration.hpp"
#include "sim/servers/query_stream.hpp"
#include "sim/servers/serial_spec.hpp"
#include "sim/simulation.hpp"

namespace sim {

struct SerialQuery {
  ServedQuery times;      // start_s: the instance starts up for it; end_s: the client has the answer
  bool served = false;    // false: throttled out (every attempt) or killed at the time limit
  bool cold = false;      // ran on a fresh instance
  double billed_s = 0;    // its invocation's duration rounded up to 1 ms (0 if never accepted)
  bool operator==(const SerialQuery&) const = default;
};

struct SerialRun {
  std::vector<SerialQuery> queries;  // in arrival order
  std::int64_t served = 0;
  std::int64_t invocations = 0;      // accepted (billed) invocations
  std::int64_t cold_starts = 0;
  std::int64_t throttles = 0;        // Invoke attempts rejected (TooManyRequests), retried or not
  std::int64_t failed = 0;           // queries not served
  std::int64_t killed = 0;           // of which killed at spec.max_duration_s (the rest: throttled out)
  int peak_instances = 0;            // instances running at once, at most
  double billed_s = 0;               // Σ per-invocation durations rounded up to 1 ms
  double duration_s = 0;             // Σ unrounded durations
  double gb_s = 0;                   // billed_s · memory_mb / 1024
  double vcpus = 0;                  // the instance's CPU share
  StreamStats stats;                 // over the served queries
  std::string failure;               // the first failed query's reason ("" if none)
};

SerialRun simulate_serial(const Calibration& calibration, WorkerKind worker, const SerialSpec& spec,
                          std::span<const double> arrivals_s, double flops);

}  // namespace sim
