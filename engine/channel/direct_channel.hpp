// DirectChannel: activation blocks handed over in process memory, for a single process running
// all workers on threads (tests, `fsd run --channel direct`, the serial baseline's plumbing).
// No encoding, no cloud calls, nothing metered. All workers of a run share one DirectHub.
// Thread-safe hub; each DirectChannel belongs to one worker. Blocks on a std::condition_variable,
// so unlike QueueChannel and ObjectChannel it cannot run on SimGrid actors.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "engine/channel/channel.hpp"

namespace engine {

class DirectHub {
 public:
  void put(int layer, int source, int target, RowBlock block);
  // Waits for a block of (layer, target) from a source in `wanted` and takes it; false on timeout.
  bool take(int layer, int target, const std::vector<bool>& wanted, double timeout_s, int& source, RowBlock& block);

 private:
  std::mutex mu_;
  std::condition_variable arrived_;
  std::map<std::pair<int, int>, std::vector<std::pair<int, RowBlock>>> inbox_;  // [(layer, target)]
};

class DirectChannel final : public Channel {
 public:
  DirectChannel(DirectHub& hub, int self, int workers, double receive_timeout_s = 900)
      : hub_(hub), self_(self), workers_(workers), receive_timeout_s_(receive_timeout_s) {}

  Result<void> post(int layer, int target, const RowBlock& block) override;
  Result<void> flush() override { return Ok{}; }
  Result<void> receive(int layer, std::span<const int> sources, const BlockHandler& on_block) override;
  const ChannelStats& stats() const override { return stats_; }

 private:
  DirectHub& hub_;
  int self_, workers_;
  double receive_timeout_s_;
  ChannelStats stats_;
};

}  // namespace engine
