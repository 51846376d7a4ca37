// SimRuntime: engine::cloud::Runtime in simulated time.
//
// now_s() is SimGrid's clock; sleep_s sleeps the calling actor; compute(flops) executes flops on
// the calling actor's host at most one vCPU fast (an instance's threads share its CPU quota, so
// concurrent computations on one instance slow each other down once the quota is used up); spawn starts an actor on the caller's host and join waits for
// it. The extra compress_bytes / decompress_bytes calls turn compression work into an execution
// at the modelled worker's compression speed (WorkerCalibration), for channels and profile mode.
// Called outside an actor (before run()), sleep and compute take no time.
// Not thread-safe: one SimGrid world on one OS thread.
#pragma once

#include "engine/cloud/runtime.hpp"

namespace sim {

class Simulation;

class SimRuntime : public engine::cloud::Runtime {
 public:
  explicit SimRuntime(Simulation& sim) : sim_(sim) {}

  double now_s() const override;
  void sleep_s(double seconds) override;
  void compute(double flops) override;
  std::unique_ptr<engine::cloud::Task> spawn(const std::string& name, std::function<void()> fn) override;

  // Flops that take as long, on this platform, as compressing / decompressing `bytes` (input
  // bytes / output bytes): bytes × flops_per_s_per_vcpu / (de)compress_bytes_per_s_per_vcpu.
  double compress_flops(double bytes) const;
  double decompress_flops(double bytes) const;

 private:
  Simulation& sim_;
};

}  // namespace sim
