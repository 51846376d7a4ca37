// simulate_server_variant: `fsd simulate` for deployment.variant server_always_on and
// server_job_scoped — the config's pieces handed to the SimGrid server model (sim/servers/).
//
//   instance   the price book's entry for deployment.instance_type (vCPUs, memory, $/hour); a type
//              the book does not list is "CONFIG:line: deployment.instance_type: ..." (exit 2)
//   arrivals   query_arrivals(config), work query_inputs(config, profile) (query_stream.hpp):
//              the workload's arrival process; the batch through the network as one part
//   speed      calibration's flops_per_s_per_vcpu of the modelled worker; the cost model's
//              cost::Performance for efficiency, boot, billing minimum, load bandwidth
//   job-scoped at most PoolAssumptions::job_scoped_instances (the sweeps' pool model's) at once
// Returns the run record (sim/servers/server_record.hpp). One call per process (SimGrid).
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

bool is_server_variant(const std::string& variant);

engine::RunRecord simulate_server_variant(const Config& config, const std::string& config_text,
                                          const sim::DensityProfile* profile, const sim::Calibration& calibration,
                                          sim::WorkerKind worker);

// `fsd check` of a server record: cost::predict for the recorded deployment (profile: the record's
// densities on one part; workload: the config's), next to what the record measured, per query.
struct ServerComparison {
  bool always_on = true;
  double flops_measured = 0, flops_predicted = 0;              // one query's work, 2 per multiply-add
  double ec2_seconds_measured = 0, ec2_seconds_predicted = 0;  // billed instance-seconds per query
  double ec2_usd_measured = 0, ec2_usd_predicted = 0;          // per query
  double latency_measured_s = 0, latency_predicted_s = 0;      // mean per query
};
// Throws engine::InputError if the record has no queries or disagrees with its config.
ServerComparison compare_server_record(const RecordFile& record, const Config& config,
                                       const cost::Performance& perf);

}  // namespace cli
