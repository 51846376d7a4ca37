#include "engine/channel/direct_channel.hpp"

#include <chrono>

namespace engine {

void DirectHub::put(int layer, int source, int target, RowBlock block) {
  std::lock_guard lock(mu_);
  inbox_[{layer, target}].emplace_back(source, std::move(block));
  arrived_.notify_all();
}

bool DirectHub::take(int layer, int target, const std::vector<bool>& wanted, double timeout_s, int& source,
                     RowBlock& block) {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                               std::chrono::duration<double>(timeout_s));
  for (;;) {
    auto& box = inbox_[{layer, target}];
    for (auto it = box.begin(); it != box.end(); ++it) {
      if (it->first >= 0 && it->first < static_cast<int>(wanted.size()) && wanted[it->first]) {
        source = it->first;
        block = std::move(it->second);
        box.erase(it);
        return true;
      }
    }
    if (arrived_.wait_until(lock, deadline) == std::cv_status::timeout) return false;
  }
}

Result<void> DirectChannel::post(int layer, int target, const RowBlock& block) {
  if (target < 0 || target >= workers_ || target == self_)
    return Error{ErrorCode::kInvalidInput, "DirectChannel::post", "bad target " + std::to_string(target)};
  ++stats_.blocks_posted;
  stats_.empty_markers += block.empty();
  stats_.rows_posted += static_cast<std::int64_t>(block.rows());
  stats_.nnz_posted += block.nnz();
  stats_.row_bytes_posted += block.row_bytes();
  hub_.put(layer, self_, target, block);
  return Ok{};
}

Result<void> DirectChannel::receive(int layer, std::span<const int> sources, const BlockHandler& on_block) {
  std::vector<bool> wanted(workers_, false);
  std::size_t left = 0;
  for (int s : sources)
    if (s >= 0 && s < workers_ && !wanted[s]) wanted[s] = true, ++left;
  while (left > 0) {
    int source = -1;
    RowBlock block;
    if (!hub_.take(layer, self_, wanted, receive_timeout_s_, source, block))
      return Error{ErrorCode::kDeadline, "DirectChannel::receive", "layer " + std::to_string(layer) + ": blocks missing"};
    wanted[source] = false;
    --left;
    on_block(source, std::move(block));
  }
  return Ok{};
}

}  // namespace engine
