// Worker: FSD-Inference's per-worker algorithm (protocol only; the numbers are the kernel's).
//
//   for k = 1..L:
//     for each other worker q: post(k, q, rows of Y_{k−1} the CommPlan sends p → q)   (empty = marker)
//     flush
//     compute_local(k)                    overlaps the others' sending
//     receive(k, all others): fold each block as it arrives
//     finish_layer(k)
//   gather: every worker but 0 posts its Y_L rows as layer L+1 to worker 0, which folds them.
// After each kernel call the worker declares its flops to Runtime::compute (simulated time in sim).
// Uses only the Channel, the kernel and the Runtime: runs unchanged on threads and SimGrid actors.
// Not thread-safe: one Worker per task.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/channel/channel.hpp"
#include "engine/cloud/runtime.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/kernel.hpp"

namespace engine {

// One worker's view of one layer (seconds on the Runtime's clock).
struct WorkerLayerTiming {
  int layer = 0;
  double start_s = 0;    // before posting
  double posted_s = 0;   // after flush
  double local_s = 0;    // after compute_local
  double received_s = 0; // after the last block was folded
  double end_s = 0;      // after finish_layer
  std::int64_t input_nnz = 0;             // nnz of the owned Y_{k−1} (the gather: of Y_L)
  std::vector<std::int64_t> frame_bytes;  // [target]: encoded bytes posted (0: marker or self)
  bool operator==(const WorkerLayerTiming&) const = default;
};

struct WorkerReport {
  int worker = 0;
  double start_s = 0, end_s = 0;
  double flops = 0;
  std::vector<WorkerLayerTiming> layers;  // k = 1..L, then the gather as layer L+1
  ChannelStats channel;
  std::optional<Activations> result;      // worker 0 only: Y_L, B×N
};

class Worker {
 public:
  Worker(int self, const CommPlan& plan, WorkerKernel& kernel, Channel& channel, cloud::Runtime& runtime);
  // Runs every layer and the gather. Errors: the channel's (kInvalidInput for a protocol
  // violation, kDeadline for a missing peer, kUnavailable when retries ran out).
  Result<WorkerReport> run();

 private:
  Result<void> exchange(int layer, WorkerLayerTiming& timing);

  int self_;
  const CommPlan& plan_;
  WorkerKernel& kernel_;
  Channel& channel_;
  cloud::Runtime& runtime_;
  std::vector<int> others_;
  double flops_ = 0;
};

}  // namespace engine
