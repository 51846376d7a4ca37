// train_policy: REINFORCE with a baseline for the learned resource optimizer, on simulated
// episodes. Each episode replays a scenario (a fresh cluster with cold caches) through a
// HybridAllocator whose learned optimizer samples its choices; every decision's reward is the one
// LearnedPolicy records (−cold start − open penalty, or −reject penalty when the allocator did not
// use it). Returns G_t = r_t + γ G_{t+1}; baseline b = the episode's mean return; advantages
// A_t = (G_t − b) / std(G); update θ ← θ + lr · (1/T) Σ_t A_t ∇ log π(a_t | s_t).
// Deterministic: episode e samples with seed (seed + e) and replays make_episode(e).
// Single-threaded; the progress callback is called after each episode.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sim/provider/learned_policy.hpp"
#include "sim/provider/scenario.hpp"

namespace provider {

struct TrainingSettings {
  int episodes = 40;
  int hidden = 16;
  double learning_rate = 0.05;
  double gamma = 0.0;
  RewardWeights reward;
  std::string greedy = "first_fit";
  std::uint64_t seed = 1;
};

struct EpisodeStats {
  int episode = 0;
  long decisions = 0;
  double mean_reward = 0;
  double learned_choice_share = 0;
  double mean_download_s = 0;
};

PolicyNetwork train_policy(const TrainingSettings& settings,
                           const std::function<const Scenario&(int episode)>& make_episode,
                           const std::function<void(const EpisodeStats&)>& progress = {});

}  // namespace provider
