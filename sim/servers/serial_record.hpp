// make_serial_record: the RunRecord of a simulated serial stream (backend "sim", channel "serial"),
// the format `fsd simulate` writes and `fsd check` and `fsd sweep` read.
//
// Like a server baseline's (server_record.hpp), the record is a window of queries:
//   workers = 1     one function runs the whole network (the single-part plan): pair_bytes hold one 0
//   memory_mb       the function's
//   layer_records   per layer of one query: start/end and max_compute_s at the function's speed
//                   (vcpus · flops_per_s_per_vcpu; start 0 = the query starts computing), input_nnz
//                   from the query's work; entry L + 1 holds nnz(Y_L)
//   worker_records  one: 0 → mean service time of the served queries (start-up to answer), the flops
//   wall_s          mean latency of the served queries (arrival → answer at the client)
//   servers         instance_type "" (no EC2), instances = peak functions at once, window, queries
//                   (all arrivals), latency mean/p95, queueing delay (arrival → start-up begins),
//                   cold_starts, throttles, failed
//   usage           lambda_invocations (accepted), lambda_gb_s (1 ms rounding per invocation),
//                   lambda_duration_s (unrounded), lambda_errors = throttled attempts; nothing else
//   categories      exact mode: the serial engine's; profile mode: none
// Pure function.
#pragma once

#include <string>

#include "engine/worker/run_record.hpp"
#include "sim/calibration.hpp"
#include "sim/servers/query_work.hpp"
#include "sim/servers/serial_sim.hpp"

namespace sim {

// flops_per_s: the function's whole speed (vcpus · flops_per_s_per_vcpu).
engine::RunRecord make_serial_record(const SerialSpec& spec, const QueryWork& work, const SerialRun& run,
                                     double flops_per_s, double window_s, int neurons, const std::string& run_id);

}  // namespace sim
