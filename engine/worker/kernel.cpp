#include "engine/worker/kernel.hpp"

#include <stdexcept>
#include <string>

namespace engine {
namespace {
Error bad_row(int layer, int source, std::int32_t row, const char* why) {
  return Error{ErrorCode::kInvalidInput, "Worker::fold",
               "layer " + std::to_string(layer) + " block from worker " + std::to_string(source) + ": row " +
                   std::to_string(row) + " " + why};
}

// 2 flops per multiply-add: Σ over nonzeros y(b, i) of |W_k row i ∩ slice|.
double flops_of(const LayerSlice& slice, const SparseMatrix& y_t) {
  const auto v = slice.view();
  double f = 0;
  for (int i = 0; i < y_t.rows(); ++i) {
    const auto nnz = y_t.outerIndexPtr()[i + 1] - y_t.outerIndexPtr()[i];
    if (nnz) f += 2.0 * nnz * (v.row_begin[i + 1] - v.row_begin[i]);
  }
  return f;
}
}  // namespace

SparseKernel::SparseKernel(const Network& net, const Partition& partition, const CommPlan& plan,
                           const Activations& images, int self)
    : net_(net), partition_(partition), plan_(plan), self_(self), images_(static_cast<int>(images.rows())) {
  if (images.cols() != net.neurons) throw std::invalid_argument("SparseKernel: images have the wrong width");
  if (partition.owner.size() != net.layers.size() + 1) throw std::invalid_argument("SparseKernel: partition has the wrong depth");
  // Y_0 restricted to the input neurons this worker owns.
  Activations y(images.rows(), images.cols());
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  for (int b = 0; b < images.outerSize(); ++b)
    for (Activations::InnerIterator it(images, b); it; ++it)
      if (partition.owner[0][it.col()] == self) t.emplace_back(b, static_cast<std::int32_t>(it.col()), it.value());
  y.setFromTriplets(t.begin(), t.end());
  set_own(std::move(y));
}

void SparseKernel::set_own(Activations y) {
  own_ = std::move(y);
  own_.makeCompressed();
  own_t_ = own_.transpose();
  own_t_.makeCompressed();
}

RowBlock SparseKernel::rows_for(int /*layer*/, std::span<const std::int32_t> rows) {
  RowBlock b;
  for (std::int32_t i : rows) {
    if (i < 0 || i >= own_t_.rows()) throw std::logic_error("SparseKernel::rows_for: row out of range");
    const auto begin = own_t_.outerIndexPtr()[i], end = own_t_.outerIndexPtr()[i + 1];
    if (begin == end) continue;  // nothing nonzero to send
    b.add_row(i);
    for (auto e = begin; e < end; ++e) b.add_value(own_t_.innerIndexPtr()[e], own_t_.valuePtr()[e]);
  }
  return b;
}

void SparseKernel::prepare(int layer) {
  if (prepared_layer_ == layer) return;
  const int n = net_.neurons;
  const auto& prev_owner = partition_.owner[layer - 1];
  const auto& owner = partition_.owner[layer];
  const SparseMatrix& w = net_.layers[layer - 1].weights;
  // An owned output neuron is remote when some input row it reads belongs to another worker.
  std::vector<char> remote(n, 0);
  for (int i = 0; i < n; ++i) {
    if (prev_owner[i] == self_) continue;
    for (SparseMatrix::InnerIterator it(w, i); it; ++it) remote[it.col()] = 1;
  }
  std::vector<std::int32_t> local_out, remote_out;
  for (int j = 0; j < n; ++j)
    if (owner[j] == self_) (remote[j] ? remote_out : local_out).push_back(j);
  local_ = std::make_unique<LayerSlice>(net_.layers[layer - 1], local_out, net_.ymax);
  remote_ = std::make_unique<LayerSlice>(net_.layers[layer - 1], remote_out, net_.ymax);
  expected_source_.assign(n, -1);
  for (const Transfer& t : plan_.transfers[layer - 1])
    if (t.target == self_)
      for (std::int32_t i : t.rows) expected_source_[i] = t.source;
  received_.clear();
  prepared_layer_ = layer;
}

double SparseKernel::compute_local(int layer) {
  prepare(layer);
  partial_ = local_->out_neurons().empty() ? Activations(images_, net_.neurons) : apply_layer(*local_, own_);
  return local_->out_neurons().empty() ? 0.0 : flops_of(*local_, own_t_);
}

Result<void> SparseKernel::fold(int layer, int source, RowBlock&& block) {
  prepare(layer);
  for (std::size_t r = 0; r < block.rows(); ++r) {
    const std::int32_t i = block.neurons[r];
    if (i < 0 || i >= net_.neurons) return bad_row(layer, source, i, "is out of range");
    if (expected_source_[i] != source) return bad_row(layer, source, i, "is not in the CommPlan for this pair");
    for (auto e = block.offsets[r]; e < block.offsets[r + 1]; ++e) {
      if (block.images[e] < 0 || block.images[e] >= images_) return bad_row(layer, source, i, "has an image out of range");
      received_.emplace_back(block.images[e], i, block.values[e]);
    }
  }
  return Ok{};
}

double SparseKernel::finish_layer(int layer) {
  prepare(layer);
  double flops = 0;
  Activations y = std::move(partial_);
  if (!remote_->out_neurons().empty()) {
    Activations in(images_, net_.neurons);
    in.setFromTriplets(received_.begin(), received_.end());
    in += own_;
    flops = flops_of(*remote_, SparseMatrix(in.transpose()));
    y += apply_layer(*remote_, in);
  }
  received_.clear();
  set_own(std::move(y));
  return flops;
}

RowBlock SparseKernel::final_rows() {
  std::vector<std::int32_t> rows;
  for (std::int32_t i = 0; i < own_t_.rows(); ++i)
    if (own_t_.outerIndexPtr()[i + 1] > own_t_.outerIndexPtr()[i]) rows.push_back(i);
  return rows_for(net_.num_layers() + 1, rows);
}

Result<void> SparseKernel::fold_final(int source, RowBlock&& block) {
  const auto& owner = partition_.owner.back();
  for (std::size_t r = 0; r < block.rows(); ++r) {
    const std::int32_t i = block.neurons[r];
    if (i < 0 || i >= net_.neurons) return bad_row(net_.num_layers() + 1, source, i, "is out of range");
    if (owner[i] != source) return bad_row(net_.num_layers() + 1, source, i, "is not owned by that worker");
    for (auto e = block.offsets[r]; e < block.offsets[r + 1]; ++e) {
      if (block.images[e] < 0 || block.images[e] >= images_)
        return bad_row(net_.num_layers() + 1, source, i, "has an image out of range");
      received_.emplace_back(block.images[e], i, block.values[e]);
    }
  }
  return Ok{};
}

Activations SparseKernel::result() {
  Activations y(images_, net_.neurons);
  y.setFromTriplets(received_.begin(), received_.end());
  received_.clear();
  y += own_;
  y.makeCompressed();
  return y;
}

}  // namespace engine
