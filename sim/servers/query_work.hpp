// QueryWork: the work one query (one batch of B images) makes on a server, obtained by running the
// worker kernel over the whole network as a single part — the serial engine's computation:
//
//   exact mode    engine::SparseKernel (real weights, real activations): the real kernel's flops,
//                 the real nnz(Y_k), and the categories;
//   profile mode  sim::ProfileKernel's counts for a part owning everything: flops 2 · nnz(W_k) · B ·
//                 density[k−1] per layer, nnz(Y_k) = N · round(B · density[k]), no categories
//                 (profile mode computes no values).
//
// Flops count 2 per multiply-add, as every WorkerKernel does. Every query of a run is the config's
// batch, so its work is computed once and every simulated query pays it.
// Not thread-safe (drives one kernel); deterministic.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"
#include "engine/worker/kernel.hpp"
#include "sim/profile_kernel.hpp"

namespace sim {

struct QueryWork {
  int images = 0;
  std::vector<double> layer_flops;       // [L]: layer k = 1..L at index k − 1
  std::vector<std::int64_t> input_nnz;   // [L + 1]: nnz(Y_{k−1}) for k = 1..L, then nnz(Y_L)
  std::vector<std::int32_t> categories;  // exact mode: 0-based images with a nonzero in Y_L
  double total_flops() const;
};

// One part owning every neuron of every layer (P = 1): the partition a server runs.
engine::Partition single_part(const engine::Network& net);

// Exact mode: runs the real kernel (a SparseKernel over single_part) through layers 1..L and reads
// the categories from its Y_L.
QueryWork query_work(engine::WorkerKernel& kernel, int layers, int images);

// Profile mode: weight_nnz[k − 1] = nnz(W_k) for k = 1..L.
QueryWork profile_query_work(const std::vector<std::int64_t>& weight_nnz, const DensityProfile& profile, int images,
                             int neurons);

}  // namespace sim
