// EpochRuntime: the Runtime of a run whose coordinator and workers are different processes or
// machines (`fsd run --backend aws`, `fsd lambda`). now_s() is seconds since a Unix-time origin —
// the coordinator's start, carried to every worker in its LaunchEvent — read from the system
// clock, so every process reports times on the coordinator's clock, up to the hosts' clock skew
// (NTP-synchronised: milliseconds on Lambda; zero between local processes). spawn() runs a
// std::thread and compute() costs nothing, as MemoryRuntime. Thread-safe.
#pragma once

#include "engine/cloud/runtime.hpp"

namespace engine::aws {

class EpochRuntime final : public cloud::Runtime {
 public:
  explicit EpochRuntime(double origin_unix_s);  // e.g. EpochRuntime(EpochRuntime::unix_now_s())
  static double unix_now_s();
  double origin_unix_s() const { return origin_unix_s_; }

  double now_s() const override;
  void sleep_s(double seconds) override;
  void compute(double /*flops*/) override {}
  std::unique_ptr<cloud::Task> spawn(const std::string& name, std::function<void()> fn) override;

 private:
  double origin_unix_s_;
};

}  // namespace engine::aws
