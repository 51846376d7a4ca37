// WorkerKernel: the numerical side of a worker, kept apart from its protocol (worker.hpp) so the
// simulator can swap in a "profile" kernel that makes blocks of the right sizes and declares the
// right flops without real weights.
//
// Per layer k = 1..L the Worker calls, in order:
//   rows_for(k, rows)        rows of Y_{k−1} this worker owns, for one target (the CommPlan's rows;
//                            rows with no nonzero may be left out)
//   compute_local(k)         the part of Y_k that needs no received row (returns flops done)
//   fold(k, source, block)   once per other worker, as blocks arrive (validate, keep)
//   finish_layer(k)          the rest of Y_k (returns flops done)
// then final_rows() (Y_L rows owned, sent to worker 0) or, on worker 0, fold_final() per other
// worker and result().
// Not thread-safe: one worker's task calls it.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/channel/row_block.hpp"
#include "engine/common/result.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"

namespace engine {

class WorkerKernel {
 public:
  virtual ~WorkerKernel() = default;
  virtual RowBlock rows_for(int layer, std::span<const std::int32_t> rows) = 0;
  virtual double compute_local(int layer) = 0;
  virtual Result<void> fold(int layer, int source, RowBlock&& block) = 0;
  virtual double finish_layer(int layer) = 0;
  virtual RowBlock final_rows() = 0;
  virtual Result<void> fold_final(int source, RowBlock&& block) = 0;
  virtual Activations result() = 0;  // worker 0, after every fold_final: Y_L, B×N
  // nnz of the activations this worker owns now (Y_{k−1} before layer k; Y_L at the end), for the
  // run record's densities.
  virtual std::int64_t owned_nnz() const = 0;
};

// The real kernel: weights from the Network, the layer kernel of engine/infer (so every worker's
// floats equal the serial engine's, bit for bit). Layer k's owned output neurons are split into a
// local slice (every input row owned here: computed before anything is received) and a remote
// slice (computed once every block is in); Y_k = local + remote.
// fold() rejects (kInvalidInput) a row the CommPlan does not send from that source to this worker.
// Reads net, partition, plan and images (which must outlive it); B = images.rows().
class SparseKernel final : public WorkerKernel {
 public:
  SparseKernel(const Network& net, const Partition& partition, const CommPlan& plan, const Activations& images,
               int self);

  RowBlock rows_for(int layer, std::span<const std::int32_t> rows) override;
  double compute_local(int layer) override;
  Result<void> fold(int layer, int source, RowBlock&& block) override;
  double finish_layer(int layer) override;
  RowBlock final_rows() override;
  Result<void> fold_final(int source, RowBlock&& block) override;
  Activations result() override;
  std::int64_t owned_nnz() const override { return own_.nonZeros(); }

 private:
  void prepare(int layer);
  void set_own(Activations y);

  const Network& net_;
  const Partition& partition_;
  const CommPlan& plan_;
  int self_, images_;
  Activations own_;      // Y_{k−1} (then Y_k) restricted to owned neurons, B×N
  SparseMatrix own_t_;   // its transpose, N×B: row i = neuron i's activations
  int prepared_layer_ = 0;
  std::unique_ptr<LayerSlice> local_, remote_;
  std::vector<std::int32_t> expected_source_;  // [i] = the worker that sends row i here, −1 none
  Activations partial_;                        // local part of Y_k
  std::vector<Eigen::Triplet<float, std::int32_t>> received_;  // (image, neuron, value)
};

}  // namespace engine
