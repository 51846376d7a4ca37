// train_policy implementation.
#include "sim/provider/reinforce.hpp"

#include <cmath>
#include <stdexcept>

#include "sim/provider/hybrid_allocator.hpp"

namespace provider {

PolicyNetwork train_policy(const TrainingSettings& settings,
                           const std::function<const Scenario&(int episode)>& make_episode,
                           const std::function<void(const EpisodeStats&)>& progress) {
  PolicyNetwork network(kCandidateFeatures, settings.hidden, settings.seed);
  for (int e = 0; e < settings.episodes; ++e) {
    const Scenario& scenario = make_episode(e);
    Cluster cluster(scenario.servers, *scenario.catalog);
    auto greedy = make_greedy_policy(settings.greedy);
    if (!greedy) throw std::invalid_argument("train_policy(): unknown greedy policy " + settings.greedy);
    auto learned =
        std::make_unique<LearnedPolicy>(network, LearnedPolicy::Mode::kSample, settings.seed + std::uint64_t(e));
    learned->start_recording(settings.reward);
    HybridAllocator hybrid(std::move(greedy), std::move(learned));
    const ScheduleReport report =
        simulate_schedule(cluster, hybrid, scenario.functions, scenario.invocations, scenario.params);
    const std::vector<PolicyStep> steps = hybrid.learned().take_steps();

    EpisodeStats stats{e, static_cast<long>(steps.size()), 0, report.learned_choice_share.value_or(0),
                       report.mean_download_s};
    if (!steps.empty()) {
      const auto t_count = static_cast<Eigen::Index>(steps.size());
      Eigen::VectorXd returns(t_count);
      double g = 0;
      for (Eigen::Index t = t_count - 1; t >= 0; --t)
        returns[t] = g = steps[std::size_t(t)].reward + settings.gamma * g;
      double reward_sum = 0;
      for (const auto& s : steps) reward_sum += s.reward;
      stats.mean_reward = reward_sum / double(t_count);
      const double baseline = returns.mean();
      const double spread = std::sqrt((returns.array() - baseline).square().mean());
      Eigen::VectorXd update = Eigen::VectorXd::Zero(network.num_params());
      if (spread > 1e-12) {
        for (Eigen::Index t = 0; t < t_count; ++t)
          update += ((returns[t] - baseline) / spread) * steps[std::size_t(t)].grad_log_prob;
        network.apply(update * (settings.learning_rate / double(t_count)));
      }
    }
    if (progress) progress(stats);
  }
  return network;
}

}  // namespace provider
