// make_server_record: the RunRecord of a simulated server baseline (backend "sim"), the same format
// `fsd run` and `fsd simulate` write for functions, read by `fsd check` and `fsd sweep`.
//
// A function run's record is one query; a server run's is a window of queries, so:
//   channel         "server_always_on" | "server_job_scoped" (cost::to_string of the variant)
//   workers = 1     one instance's view of a query (the single-part plan): pair_bytes hold one 0 each
//   layer_records   per layer of one query: start/end and max_compute_s from the instance's speed
//                   (start 0 = the query starts computing), input_nnz from the query's work; entry
//                   L + 1 holds nnz(Y_L)
//   worker_records  one: 0 → mean service time (start → end, boot and load included), the flops
//   wall_s          mean latency per query (arrival → categories), queueing included
//   servers         instance type and count, window, queries, latency mean/p95, queueing delay
//   usage           every counter 0 but ec2_instance_seconds (the window's bill)
//   categories      exact mode: the serial engine's; profile mode: none
// Pure function.
#pragma once

#include <string>

#include "engine/worker/run_record.hpp"
#include "sim/servers/query_work.hpp"
#include "sim/servers/server_sim.hpp"

namespace sim {

engine::RunRecord make_server_record(const ServerSpec& spec, const QueryWork& work, const ServerRun& run, int neurons,
                                     const std::string& run_id);

}  // namespace sim
