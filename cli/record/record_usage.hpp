// The cost model's view of a run record: engine::RunRecord → cost::Usage (what `fsd check`
// compares with cost::predict) and the measured cost::CommProfile of the run.
//
// Mapping (docs/ENGINE.md, "Metering"): every data-plane request the Meter counted maps to its
// Usage field. The coordinator is counted as one more invocation lasting the run's wall time
// (a deployed coordinator is a function too), so invocations = P + 1. sqs_billed_requests =
// send + receive billed chunks + DeleteMessageBatch calls (control-plane calls — CreateQueue,
// SetQueueAttributes, Subscribe, DeleteQueue — are made once per run and left out, as the cost
// model leaves them out). A server baseline's record (run.servers set, sim/servers/) maps to its
// EC2 bill only: ec2_seconds and ec2_instance_type, for the whole window of run.servers.queries
// queries (divide by them for one query's). A serial stream's record (channel "serial", run.servers
// set, sim/servers/serial_sim.hpp) maps to its Lambda bill only: invocations (no coordinator) and
// function_seconds = lambda_gb_s · 1024 / memory_mb, the billed seconds, for the whole window.
// Pure functions.
#pragma once

#include "cli/record/run_record_json.hpp"
#include "costmodel/comm_profile.hpp"
#include "costmodel/usage.hpp"
#include "engine/plan/comm_plan.hpp"

namespace cli {

cost::Usage usage_of(const engine::RunRecord& run);

// Per-layer measured densities and pair bytes of the run, in the cost model's form. Needs the
// plan the run used (rows per pair) and nnz(W_k) per layer.
cost::CommProfile measured_profile(const engine::RunRecord& run, const engine::CommPlan& plan,
                                   const std::vector<std::int64_t>& weight_nnz);

}  // namespace cli
