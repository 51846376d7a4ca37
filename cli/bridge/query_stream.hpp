// The inputs every simulated query stream shares — the server baselines (server_simulation.hpp)
// and the serial function (serial_simulation.hpp) — and the cost model's view of their records.
//
//   query_arrivals   the workload's arrival process over workload.duration_s (poisson, bursts, or
//                    the Azure trace scaled to queries_per_day, as sweeps' workload model replays it)
//   query_inputs     one query = the config's batch through the whole network as one part: the real
//                    kernel (exact mode, profile == nullptr) or the density profile (profile mode);
//                    network and batch loaded as `fsd run` loads them (cli/record/deployment_inputs.hpp)
//   stream_profile   a stream record's per-layer densities on one part, as cost::CommProfile
// Deterministic for a given config. Bad files → engine::InputError.
#pragma once

#include <cstdint>
#include <vector>

#include "cli/config/config.hpp"
#include "costmodel/comm_profile.hpp"
#include "engine/model/network.hpp"
#include "engine/worker/run_record.hpp"
#include "sim/profile_kernel.hpp"
#include "sim/servers/query_work.hpp"

namespace cli {

std::vector<double> query_arrivals(const Config& config);

struct QueryInputs {
  sim::QueryWork work;
  double weight_nnz = 0;  // Σ_k nnz(W_k)
  int neurons = 0;
};
QueryInputs query_inputs(const Config& config, const sim::DensityProfile* profile);

// The record's densities (layer_records' input_nnz / (B·N)) over the single-part plan of `net`.
cost::CommProfile stream_profile(const engine::RunRecord& run, const engine::Network& net);

}  // namespace cli
