// simulate_serial_variant: `fsd simulate` for deployment.variant serial — the whole network in one
// Lambda function per query — handed to the SimGrid model (sim/servers/serial_sim.hpp) over the
// simulated Lambda service.
//
//   arrivals   query_arrivals(config) (query_stream.hpp): the workload's arrival process
//   work       query_inputs(config, profile): the real kernel (exact) or the density profile
//   function   deployment.memory_mb; the calibration's Lambda (CPU share, cold/warm start, Invoke,
//              concurrency limit, network) and worker speed; cost::Performance's footprint and
//              900 s limit (sim/servers/serial_spec.hpp)
// Infeasible deployments fail as cost::predict calls them infeasible, "CONFIG:0: deployment:
// serial is infeasible: needs X MB > M MB of memory" (checked before simulating) or "...: runs X s
// > the 900 s function limit (Lambda killed query i at 900 s)" (a query hit the limit), exit 2.
// Returns the run record (sim/servers/serial_record.hpp). One call per process (SimGrid).
#pragma once

#include <string>

#include "cli/config/config.hpp"
#include "costmodel/predict.hpp"
#include "engine/worker/run_record.hpp"
#include "sim/calibration.hpp"
#include "sim/profile_kernel.hpp"
#include "sim/simulation.hpp"

namespace cli {

struct RecordFile;

engine::RunRecord simulate_serial_variant(const Config& config, const sim::DensityProfile* profile,
                                          const sim::Calibration& calibration, sim::WorkerKind worker);

// `fsd check` of a serial stream record: cost::predict(kSerial, ..., perf) for the recorded
// deployment (the record's densities on one part; the config's workload; perf as `fsd check` maps
// the calibration, cli/bridge/performance_from_calibration.hpp), next to what the record measured,
// per query.
struct SerialComparison {
  double flops_measured = 0, flops_predicted = 0;              // one query's work, 2 per multiply-add
  double invocations_measured = 0, invocations_predicted = 0;  // per query
  double cold_starts_measured = 0, cold_starts_predicted = 0;  // per query (predict: every query cold)
  double gb_s_measured = 0, gb_s_predicted = 0;                // billed GB-seconds per query
  double lambda_usd_measured = 0, lambda_usd_predicted = 0;    // per query
  double latency_measured_s = 0, latency_predicted_s = 0;      // mean per served query
};
// Throws engine::InputError if the record has no queries or disagrees with its config.
SerialComparison compare_serial_record(const RecordFile& record, const Config& config,
                                       const cost::Performance& perf);

}  // namespace cli
