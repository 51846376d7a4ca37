// comm_profile_from_plan: the cost model's view (cost::CommProfile) of an engine::CommPlan and
// the activations that flow through it. Used by `fsd run`/`simulate` to record a profile and by
// `fsd plan` when it partitions a model itself.
//
// For layer k = 1..L (plan.transfers[k−1]): rows_sent = Σ |rows|, nonempty_pairs = number of
// transfers with rows, max_rows_sent / max_rows_received = the largest per-worker sums,
// input_density = input_density[k−1] (nnz(Y_{k−1}) / (B·N), measured), weight_nnz = nnz(W_k).
// pair_bytes (optional, [L][P·P]) are the encoded payload bytes of each pair when a run measured
// them; payload_bytes is then their sum. Consecutive identical layers are not folded (repeat = 1).
// Pure function. Throws std::invalid_argument when sizes disagree or a transfer names a worker
// outside [0, P).
#pragma once

#include <cstdint>
#include <vector>

#include "costmodel/comm_profile.hpp"
#include "engine/model/network.hpp"
#include "engine/plan/comm_plan.hpp"

namespace cli {

cost::CommProfile comm_profile_from_plan(const engine::CommPlan& plan, int neurons, int batch_size,
                                         const std::vector<double>& input_density,
                                         const std::vector<std::int64_t>& weight_nnz,
                                         const std::vector<std::vector<std::int64_t>>& pair_bytes = {});

// Same, taking N and every nnz(W_k) from the network.
cost::CommProfile comm_profile_from_plan(const engine::CommPlan& plan, const engine::Network& network, int batch_size,
                                         const std::vector<double>& input_density,
                                         const std::vector<std::vector<std::int64_t>>& pair_bytes = {});

// nnz(Y) / (rows·cols) of a batch of activations (0 for an empty matrix).
double density(const engine::Activations& activations);

}  // namespace cli
