// `fsd schedule`: the provider side. Replays an Azure Functions trace window with two model versions
// rolling out on a cluster and reports, per placement policy, servers used over time, utilisation,
// cold-start latency, SLA violations, the share of learned choices used and the decision time;
// `--train` trains the learned optimizer (REINFORCE) and saves its weights; `--similarity` measures
// the share of identical blocks between two versions of a retrained model per block size.
#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "engine/common/input_error.hpp"
#include "sim/provider/block_similarity.hpp"
#include "sim/provider/fashion_mnist_versions.hpp"
#include "sim/provider/hybrid_allocator.hpp"
#include "sim/provider/model_versions.hpp"
#include "sim/provider/reinforce.hpp"
#include "sim/provider/scenario.hpp"

namespace {

namespace po = boost::program_options;
using provider::ScheduleConfig;

const std::vector<std::string> kAllPolicies{"first_fit", "best_fit", "worst_fit", "cache_aware", "learned", "hybrid"};

std::unique_ptr<provider::PlacementPolicy> make_policy(const std::string& name, const ScheduleConfig& c,
                                                       const std::string& weights) {
  if (auto greedy = provider::make_greedy_policy(name)) return greedy;
  if (name != "learned" && name != "hybrid")
    throw engine::InputError("--policy: unknown policy '" + name +
                             "' (first_fit | best_fit | worst_fit | "
                             "cache_aware | learned | hybrid | all)");
  provider::PolicyNetwork net =
      weights.empty() ? provider::PolicyNetwork(provider::kCandidateFeatures, c.training.hidden, c.training.seed)
                      : provider::PolicyNetwork::load(weights);
  auto learned = std::make_unique<provider::LearnedPolicy>(std::move(net));
  if (name == "learned") return learned;
  auto greedy = provider::make_greedy_policy(c.policy.greedy);
  if (!greedy) throw engine::InputError(c.path, 0, "policy.greedy: unknown greedy policy '" + c.policy.greedy + "'");
  return std::make_unique<provider::HybridAllocator>(std::move(greedy), std::move(learned));
}

nlohmann::json to_json(const provider::ScheduleReport& r) {
  nlohmann::json j{{"policy", r.policy},
                   {"invocations", r.invocations},
                   {"warm_starts", r.warm_starts},
                   {"cold_starts", r.cold_starts},
                   {"dropped", r.dropped},
                   {"sla_violations", r.sla_violations},
                   {"servers_opened", r.servers_opened},
                   {"servers_used", r.servers_used},
                   {"mean_servers_used", r.mean_servers_used},
                   {"max_servers_used", r.max_servers_used},
                   {"memory_utilization", r.memory_utilization},
                   {"cpu_utilization", r.cpu_utilization},
                   {"cold_start_p50_s", r.cold_start_p50_s},
                   {"cold_start_p99_s", r.cold_start_p99_s},
                   {"mean_cold_start_s", r.mean_cold_start_s},
                   {"mean_download_s", r.mean_download_s},
                   {"downloaded_bytes", r.downloaded_bytes},
                   {"decision_p50_us", r.decision_p50_us},
                   {"decision_p99_us", r.decision_p99_us}};
  j["learned_choice_share"] = r.learned_choice_share ? nlohmann::json(*r.learned_choice_share) : nlohmann::json();
  return j;
}

int run_similarity(const std::string& fashion_dir, const std::string& gc_dir, const std::string& csv_path,
                   int gc_layers, int gc_retrained, bool json) {
  std::vector<std::pair<std::string, provider::ImageVersions>> models;
  if (!gc_dir.empty())
    models.emplace_back("graphchallenge-l" + std::to_string(gc_layers) + "-retrained" + std::to_string(gc_retrained),
                        provider::graphchallenge_versions(gc_dir, gc_layers, gc_retrained, 1));
  if (!fashion_dir.empty())
    for (const auto& mode : {provider::FineTune::kAllLayers, provider::FineTune::kFrozenFirstLayer}) {
      provider::FashionVersionsReport rep;
      auto v = provider::fashion_mnist_versions(fashion_dir, mode, 1, &rep);
      std::fprintf(stderr, "fashion-mnist %s: test accuracy v1 %.4f, v2 %.4f (seed 1)\n", provider::to_string(mode),
                   rep.test_accuracy_v1, rep.test_accuracy_v2);
      models.emplace_back(std::string("fashion-mnist-mlp-") + provider::to_string(mode), std::move(v));
    }
  nlohmann::json out = nlohmann::json::array();
  std::string csv = "model,block_kb,blocks_v2,shared_blocks,shared_share\n";
  for (const auto& [name, v] : models)
    for (std::size_t kb = 32; kb <= 1024; kb *= 2) {
      const auto s = provider::block_similarity(v.v1, v.v2, kb * 1024);
      out.push_back({{"model", name},
                     {"bytes_v2", v.v2.size()},
                     {"block_kb", kb},
                     {"blocks_v2", s.blocks_v2},
                     {"shared_blocks", s.shared},
                     {"shared_share", s.share()}});
      csv += name + "," + std::to_string(kb) + "," + std::to_string(s.blocks_v2) + "," + std::to_string(s.shared) +
             "," + std::to_string(s.share()) + "\n";
      if (!json)
        std::printf("%-40s %5zu KB blocks: %5zu of %5zu shared (%.1f%%)\n", name.c_str(), kb, s.shared, s.blocks_v2,
                    100 * s.share());
    }
  if (json) std::printf("%s\n", out.dump(2).c_str());
  if (!csv_path.empty()) {
    const std::string tmp = csv_path + ".tmp";
    std::ofstream out(tmp);
    if (!(out << csv) || !out.flush() || std::rename(tmp.c_str(), csv_path.c_str()) != 0)
      throw std::runtime_error("cannot write " + csv_path);
  }
  return 0;
}

int run_schedule(const std::vector<std::string>& args) {
  po::options_description opts("fsd schedule CONFIG.yaml [options]  |  fsd schedule --similarity [options]");
  std::string config_path, policy, weights, weights_out, fashion_dir, gc_dir, csv_path;
  int gc_layers = 30, gc_retrained = 3;
  opts.add_options()("help,h", "this help")("config", po::value(&config_path), "provider config (configs/provider/)")(
      "policy", po::value(&policy), "first_fit | best_fit | worst_fit | cache_aware | learned | hybrid | all")(
      "weights", po::value(&weights), "policy weights file (overrides policy.weights)")(
      "json", "print JSON instead of a table")("train", "train the learned optimizer on the training window")(
      "weights-out", po::value(&weights_out), "--train: where to save the weights")(
      "similarity", "measure block similarity of two model versions per block size")(
      "fashion-mnist", po::value(&fashion_dir), "--similarity: Fashion-MNIST IDX folder (trains an MLP twice)")(
      "graphchallenge", po::value(&gc_dir), "--similarity: Graph Challenge n1024 layer folder")(
      "layers", po::value(&gc_layers), "--similarity: Graph Challenge layers in the model (30)")(
      "retrained-layers", po::value(&gc_retrained), "--similarity: layers retrained in version 2 (3)")(
      "csv", po::value(&csv_path), "--similarity: also write a CSV here");
  po::positional_options_description pos;
  pos.add("config", 1);
  const po::variables_map vm = cli::parse_options(args, opts, &pos);
  if (vm.count("help")) {
    std::cout << opts << "\n";
    return 0;
  }
  const bool json = vm.count("json") > 0;
  if (vm.count("similarity")) {
    if (fashion_dir.empty() && gc_dir.empty())
      throw engine::InputError("--similarity: give --fashion-mnist DIR and/or --graphchallenge DIR");
    return run_similarity(fashion_dir, gc_dir, csv_path, gc_layers, gc_retrained, json);
  }
  if (config_path.empty()) throw engine::InputError("fsd schedule: missing CONFIG.yaml (see --help)");
  const ScheduleConfig c = provider::load_schedule_config(config_path);

  if (vm.count("train")) {
    if (weights_out.empty()) throw engine::InputError("--train: give --weights-out FILE");
    provider::Scenario episode = provider::build_scenario(c, c.training.start_minute, c.training.minutes, c.trace.seed);
    const std::size_t invocations = episode.invocations.size();
    const provider::TrainingSettings settings{c.training.episodes,
                                              c.training.hidden,
                                              c.training.learning_rate,
                                              c.training.gamma,
                                              {c.training.open_penalty_s, c.training.reject_penalty_s},
                                              c.policy.greedy,
                                              c.training.seed};
    auto make_episode = [&](int e) -> const provider::Scenario& {
      // Same trace window and cluster, a new arrival jitter and rollout draw per episode.
      episode.invocations =
          provider::trace_invocations(c, c.training.start_minute, c.training.minutes, c.trace.seed + 1 + e);
      episode.params.seed = c.seed + 1 + std::uint64_t(e);
      return episode;
    };
    std::fprintf(stderr, "training: %d episodes of %d minutes from minute %d, %zu invocations each, seed %llu\n",
                 c.training.episodes, c.training.minutes, c.training.start_minute, invocations,
                 static_cast<unsigned long long>(c.training.seed));
    const provider::PolicyNetwork net =
        provider::train_policy(settings, make_episode, [&](const provider::EpisodeStats& s) {
          std::fprintf(stderr,
                       "episode %3d/%d: %ld decisions, mean reward %.4f, learned used %.3f, mean download %.4f s\n",
                       s.episode + 1, c.training.episodes, s.decisions, s.mean_reward, s.learned_choice_share,
                       s.mean_download_s);
        });
    net.save(weights_out);
    std::printf("saved %s\n", weights_out.c_str());
    return 0;
  }

  if (weights.empty()) weights = c.policy.weights;
  if (policy.empty()) policy = c.policy.name;
  const std::vector<std::string> names = policy == "all" ? kAllPolicies : std::vector<std::string>{policy};
  const provider::Scenario scenario = provider::build_scenario(c, c.trace.start_minute, c.trace.minutes, c.trace.seed);
  std::vector<provider::ScheduleReport> reports;
  for (const auto& name : names) {
    auto p = make_policy(name, c, weights);
    provider::Cluster cluster(scenario.servers, *scenario.catalog);
    reports.push_back(
        provider::simulate_schedule(cluster, *p, scenario.functions, scenario.invocations, scenario.params));
  }
  const provider::ScheduleReport* first_fit = nullptr;
  for (const auto& r : reports)
    if (r.policy == "first_fit") first_fit = &r;

  if (json) {
    nlohmann::json j{{"config", c.path},
                     {"weights", weights},
                     {"invocations", scenario.invocations.size()},
                     {"v2_shared_block_share", scenario.v2_shared_block_share},
                     {"policies", nlohmann::json::array()}};
    for (const auto& r : reports) {
      auto pj = to_json(r);
      if (first_fit && first_fit->mean_download_s > 0)
        pj["download_reduction_vs_first_fit"] = 1 - r.mean_download_s / first_fit->mean_download_s;
      j["policies"].push_back(pj);
    }
    std::printf("%s\n", j.dump(2).c_str());
    return 0;
  }
  std::printf(
      "%s: %zu invocations, minutes %d..%d, %zu functions x 2 versions, v2 shares %.1f%% of v1's blocks, "
      "weights %s\n",
      c.path.c_str(), scenario.invocations.size(), c.trace.start_minute, c.trace.start_minute + c.trace.minutes,
      scenario.functions.size(), 100 * scenario.v2_shared_block_share,
      weights.empty() ? "(untrained)" : weights.c_str());
  std::printf("%-12s %9s %8s %8s %7s %7s %9s %9s %10s %8s %7s %8s %8s\n", "policy", "cold", "srv_mean", "srv_max",
              "mem_use", "cpu_use", "cs_p50_s", "cs_p99_s", "dl_mean_s", "dl_vs_ff", "sla", "learned", "dec_us");
  for (const auto& r : reports) {
    const double vs_ff =
        first_fit && first_fit->mean_download_s > 0 ? 1 - r.mean_download_s / first_fit->mean_download_s : 0;
    std::printf("%-12s %9ld %8.2f %8.0f %7.3f %7.3f %9.4f %9.4f %10.5f %7.1f%% %7ld %8s %8.2f\n", r.policy.c_str(),
                r.cold_starts, r.mean_servers_used, r.max_servers_used, r.memory_utilization, r.cpu_utilization,
                r.cold_start_p50_s, r.cold_start_p99_s, r.mean_download_s, 100 * vs_ff, r.sla_violations,
                r.learned_choice_share ? std::to_string(*r.learned_choice_share).substr(0, 5).c_str() : "-",
                r.decision_p50_us);
  }
  std::printf("(dl_vs_ff: mean cold-start download time saved against first_fit; dec_us: median decision time)\n");
  return 0;
}

const cli::RegisterCommand reg{"schedule", "provider placement: greedy/learned/hybrid schedulers, cold starts",
                               run_schedule};

}  // namespace
