// fsd plan: predicted latency and cost of every variant for a deployment config, and the pick.
// The CommProfile: the config's `profile:` file if set; else `--profile analytic` (default, closed
// form, any size) or `--profile partitioned` (partition the real or generated network and count
// the CommPlan's rows; seconds for N = 1024 with hypergraph, impractical for N ≥ 16384).
// Speeds and latencies: the config's calibration (or --calibration), the same file `fsd simulate`
// reads, mapped by cli/bridge/performance_from_calibration.hpp for the fsd (or --worker python) code.
#include <boost/program_options.hpp>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/bridge/deployment_from_config.hpp"
#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/bridge/usage_json.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/config/config.hpp"
#include "cli/sweep/partitioned_profile.hpp"
#include "costmodel/predict.hpp"
#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace {

namespace po = boost::program_options;

int run_plan(const std::vector<std::string>& args) {
  po::options_description opts(
      "fsd plan CONFIG.yaml [--json] [--prices NAME] [--calibration NAME] [--worker fsd|python] "
      "[--profile analytic|partitioned]");
  opts.add_options()("help,h", "print this help")("config", po::value<std::string>(), "deployment config (YAML)")(
      "prices", po::value<std::string>(), "price book name or path (default: the config's)")(
      "calibration", po::value<std::string>(), "calibration name or path (default: the config's)")(
      "worker", po::value<std::string>()->default_value("fsd"), "whose code speed to model: fsd | python")(
      "profile", po::value<std::string>()->default_value("analytic"),
      "without a profile file in the config: analytic (closed form) | partitioned (partition the network)")(
      "json", "print JSON instead of a table");
  po::positional_options_description pos;
  pos.add("config", 1);
  const po::variables_map vm = cli::parse_options(args, opts, &pos);
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  if (!vm.count("config")) throw engine::InputError("CONFIG.yaml is required (fsd plan --help)");
  const cli::Config config = cli::load_config(vm["config"].as<std::string>());
  const std::string book = vm.count("prices") ? vm["prices"].as<std::string>() : config.prices;
  const cost::Prices prices = cost::load_prices(cost::price_book_path(book));
  if (!prices.instance(config.deployment.instance_type))
    throw engine::InputError(config.path, 0,
                             "deployment.instance_type: '" + config.deployment.instance_type +
                                 "' is not priced in price book '" + prices.name + "'");

  const std::string worker = vm["worker"].as<std::string>();
  if (worker != "fsd" && worker != "python") throw engine::InputError("--worker: fsd | python, got " + worker);
  cost::Performance perf =
      cli::load_performance(vm.count("calibration") ? vm["calibration"].as<std::string>() : config.calibration,
                            worker == "python" ? sim::WorkerKind::kPython : sim::WorkerKind::kFsd);
  perf.lambda_max_duration_s = config.deployment.timeout_s;  // the functions' timeout (Lambda's ≤ 900 s)
  const cost::Deployment deployment = cli::to_deployment(config);
  const cost::Workload workload = cli::to_workload(config);
  const std::string how = vm["profile"].as<std::string>();
  if (how != "analytic" && how != "partitioned")
    throw engine::InputError("--profile: expected analytic or partitioned, got '" + how + "'");
  const cost::CommProfile profile = config.profile.empty() && how == "partitioned"
                                        ? cli::sweep::partitioned_profile(config, cli::sweep::network_for(config))
                                        : cli::profile_for(config);
  cost::CommSummary summary;
  try {
    summary = cost::summarize(profile, deployment, perf);
  } catch (const std::invalid_argument& e) {
    throw engine::InputError(config.profile.empty() ? config.path : config.profile, 0, e.what());
  }
  const std::vector<cost::Prediction> predictions = cost::predict_all(deployment, summary, workload, prices, perf);
  const cost::Recommendation rec = cost::recommend(predictions, workload);

  if (vm.count("json")) {
    nlohmann::json j;
    j["config"] = config.path;
    j["prices"] = prices.name;
    j["calibration"] = vm.count("calibration") ? vm["calibration"].as<std::string>() : config.calibration;
    j["worker"] = worker;
    j["profile"] = profile.source;
    j["configured_variant"] = config.deployment.variant;
    j["queries_per_day"] = workload.queries_per_day;
    j["variants"] = nlohmann::json::array();
    for (const auto& p : predictions) j["variants"].push_back(cli::prediction_to_json(p));
    j["recommendation"] = {{"variant", rec.found ? cost::to_string(rec.variant) : ""}, {"reason", rec.reason}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::printf("%s: N=%d L=%d B=%d P=%d (bfr %d, %d level%s) %d MB, %g queries/day, prices %s\n", config.path.c_str(),
              deployment.neurons, deployment.layers, deployment.batch_size, deployment.workers, deployment.launch_bfr,
              deployment.launch_levels, deployment.launch_levels == 1 ? "" : "s", deployment.memory_mb,
              workload.queries_per_day, prices.name.c_str());
  std::printf("profile: %s\ncalibration: %s (%s worker)\n\n", profile.source.c_str(),
              (vm.count("calibration") ? vm["calibration"].as<std::string>() : config.calibration).c_str(),
              worker.c_str());
  std::printf("  %-18s %12s %14s %16s %12s  %s\n", "variant", "latency_s", "usd/query", "usd/1000 queries", "usd/day",
              "note");
  for (const auto& p : predictions) {
    const bool configured = config.deployment.variant == cost::to_string(p.variant);
    std::printf("%c %-18s %12.3f %14.8f %16.5f %12.4f  %s\n", configured ? '*' : ' ', cost::to_string(p.variant),
                p.latency_s, p.usd_per_query, 1000 * p.usd_per_query, p.usd_per_day,
                p.feasible ? "" : ("infeasible: " + p.infeasible_reason).c_str());
  }
  std::printf("\n(* configured variant)\nrecommendation: %s\n", rec.reason.c_str());
  return 0;
}

const cli::RegisterCommand reg{"plan", "predicted latency and cost of every variant, and a recommendation", run_plan};

}  // namespace
