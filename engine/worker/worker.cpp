#include "engine/worker/worker.hpp"

#include <algorithm>
#include <stdexcept>

namespace engine {

Worker::Worker(int self, const CommPlan& plan, WorkerKernel& kernel, Channel& channel, cloud::Runtime& runtime)
    : self_(self), plan_(plan), kernel_(kernel), channel_(channel), runtime_(runtime) {
  if (self < 0 || self >= plan.parts) throw std::invalid_argument("Worker: id out of range");
  for (int q = 0; q < plan.parts; ++q)
    if (q != self) others_.push_back(q);
}

Result<void> Worker::exchange(int layer, WorkerLayerTiming& t) {
  // 1. Post what every other worker needs from us (Transfers are sorted by (source, target)).
  //    Ours are one run of them, walked once rather than one scan of the whole layer per target.
  const auto& transfers = plan_.layer(layer);
  auto mine = std::lower_bound(transfers.begin(), transfers.end(), self_,
                               [](const Transfer& tr, int source) { return tr.source < source; });
  t.frame_bytes.assign(plan_.parts, 0);
  for (int q : others_) {
    RowBlock block;
    while (mine != transfers.end() && mine->source == self_ && mine->target < q) ++mine;
    if (mine != transfers.end() && mine->source == self_ && mine->target == q) block = kernel_.rows_for(layer, mine->rows);
    const std::int64_t before = channel_.stats().frame_bytes_posted;
    if (auto ok = channel_.post(layer, q, block); !ok) return ok;
    t.frame_bytes[q] = channel_.stats().frame_bytes_posted - before;
  }
  if (auto ok = channel_.flush(); !ok) return ok;
  t.posted_s = runtime_.now_s();
  // 2. The local part overlaps the others' posting.
  const double local_flops = kernel_.compute_local(layer);
  runtime_.compute(local_flops);
  flops_ += local_flops;
  t.local_s = runtime_.now_s();
  // 3. Fold blocks in as they arrive.
  Result<void> fold_error;
  auto ok = channel_.receive(layer, others_, [&](int source, RowBlock&& block) {
    if (fold_error) fold_error = kernel_.fold(layer, source, std::move(block));
  });
  if (!ok) return ok;
  if (!fold_error) return fold_error;
  t.received_s = runtime_.now_s();
  return Ok{};
}

Result<WorkerReport> Worker::run() {
  WorkerReport report;
  report.worker = self_;
  report.start_s = runtime_.now_s();
  for (int k = 1; k <= plan_.layers; ++k) {
    WorkerLayerTiming t;
    t.layer = k;
    t.start_s = runtime_.now_s();
    t.input_nnz = kernel_.owned_nnz();
    if (auto ok = exchange(k, t); !ok) return ok.error();
    const double flops = kernel_.finish_layer(k);
    runtime_.compute(flops);
    flops_ += flops;
    t.end_s = runtime_.now_s();
    report.layers.push_back(std::move(t));
  }
  // Gather Y_L on worker 0 (layer L+1 on the channel).
  WorkerLayerTiming g;
  g.layer = plan_.layers + 1;
  g.start_s = runtime_.now_s();
  g.input_nnz = kernel_.owned_nnz();
  g.frame_bytes.assign(plan_.parts, 0);
  if (self_ != 0) {
    const std::int64_t before = channel_.stats().frame_bytes_posted;
    if (auto ok = channel_.post(g.layer, 0, kernel_.final_rows()); !ok) return ok.error();
    if (auto ok = channel_.flush(); !ok) return ok.error();
    g.frame_bytes[0] = channel_.stats().frame_bytes_posted - before;
    g.posted_s = g.local_s = g.received_s = runtime_.now_s();
  } else {
    g.posted_s = g.local_s = runtime_.now_s();
    Result<void> fold_error;
    auto ok = channel_.receive(g.layer, others_, [&](int source, RowBlock&& block) {
      if (fold_error) fold_error = kernel_.fold_final(source, std::move(block));
    });
    if (!ok) return ok.error();
    if (!fold_error) return fold_error.error();
    g.received_s = runtime_.now_s();
    report.result = kernel_.result();
  }
  g.end_s = runtime_.now_s();
  report.layers.push_back(std::move(g));
  report.end_s = runtime_.now_s();
  report.flops = flops_;
  report.channel = channel_.stats();
  return report;
}

}  // namespace engine
