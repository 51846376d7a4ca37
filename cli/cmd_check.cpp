// fsd check: the regression check of the cost model against a run. Reads a run record, rebuilds
// the deployment's CommPlan from the recorded config, profiles the run (measured densities and
// per-pair payload bytes), asks cost::predict for the same deployment, and prints a table of every
// term: measured, predicted, relative difference. Exit 1 when a gating term is off by more than
// --tolerance, 0 otherwise; bad record → exit 2.
//
// Gating terms are the ones a run determines: requests (publishes, billed publishes, messages,
// deletes, PUT/GET/DELETE), payload bytes, invocations, and the request part of the cost. Terms
// that depend on timing (receives and LIST polls, function seconds, Lambda cost) are printed and
// marked "timing"; they gate only with --all (on AWS or sim they are meaningful, on the memory
// backend they measure this machine's scheduling). A server baseline's record (sim/servers/) is
// checked per query: its flops, EC2 seconds and dollars against cost::predict, latency as timing.
// A serial stream's record (sim/servers/serial_sim.hpp) likewise: flops and invocations gate; cold
// starts, GB-seconds, Lambda dollars and latency depend on warm reuse and timing.
// Speeds and latencies come from the recorded config's calibration (or --calibration, --worker),
// as `fsd plan` takes them (cli/bridge/performance_from_calibration.hpp).
#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/bridge/deployment_from_config.hpp"
#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/bridge/serial_simulation.hpp"
#include "cli/bridge/server_simulation.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/config/config.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/predict.hpp"
#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace {
namespace po = boost::program_options;

struct Term {
  std::string name;
  double measured, predicted;
  bool timing;
  double rel() const {
    if (measured == predicted) return 0;
    return std::fabs(measured - predicted) / std::max(std::fabs(predicted), 1e-12);
  }
};

// Prints the table (or JSON) of terms; the exit status: 1 if a gated term is off by more than tolerance.
int report(const std::vector<Term>& terms, const po::variables_map& vm, double tolerance, const std::string& record_path) {
  const bool gate_all = vm.count("all") > 0;
  int failures = 0;
  nlohmann::json rows = nlohmann::json::array();
  if (!vm.count("json"))
    std::printf("%-22s %16s %16s %9s  %s\n", "term", "measured", "predicted", "rel.diff", "status");
  for (const Term& t : terms) {
    const bool gated = !t.timing || gate_all;
    const bool off = t.rel() > tolerance;
    if (gated && off) ++failures;
    const char* status = !off ? "ok" : gated ? "OFF" : "timing";
    if (vm.count("json")) {
      rows.push_back({{"term", t.name}, {"measured", t.measured}, {"predicted", t.predicted}, {"rel_diff", t.rel()},
                      {"gated", gated}, {"status", status}});
    } else {
      std::printf("%-22s %16.6g %16.6g %8.2f%%  %s\n", t.name.c_str(), t.measured, t.predicted, 100 * t.rel(), status);
    }
  }
  if (vm.count("json")) {
    std::cout << nlohmann::json{{"record", record_path}, {"tolerance", tolerance}, {"failures", failures}, {"terms", rows}}.dump(1)
              << '\n';
  } else {
    std::printf("%s: %d gating term%s off by more than %.1f%%\n", failures ? "FAIL" : "PASS", failures,
                failures == 1 ? "" : "s", 100 * tolerance);
  }
  return failures ? 1 : 0;
}

int run_check(const std::vector<std::string>& args) {
  po::options_description opts(
      "fsd check RECORD.json [--tolerance 0.05] [--all] [--json] [--calibration NAME] [--worker fsd|python]");
  std::string record_path, calibration, worker;
  double tolerance = 0.05;
  opts.add_options()("help,h", "this help")("record", po::value(&record_path), "run record written by fsd run")(
      "tolerance", po::value(&tolerance)->default_value(0.05), "largest relative difference allowed per term")(
      "all", "gate the timing terms too (receives, LIST polls, function seconds, Lambda cost)")(
      "json", "print the table as JSON")(
      "calibration", po::value(&calibration), "calibration name or path (default: the recorded config's)")(
      "worker", po::value(&worker)->default_value("fsd"), "whose code speed the run modelled: fsd | python");
  po::positional_options_description pos;
  pos.add("record", 1);
  const po::variables_map vm = cli::parse_options(args, opts, &pos);
  if (vm.count("help")) {
    std::cout << opts << "\nExample: fsd run configs/example.yaml --record run.json && fsd check run.json\n";
    return 0;
  }
  if (record_path.empty()) throw engine::InputError("a RECORD.json is required (fsd check --help)");
  if (!(tolerance >= 0)) throw engine::InputError("--tolerance must be ≥ 0");
  const cli::RecordFile rec = cli::read_record(record_path);
  const engine::RunRecord& run = rec.run;
  cli::Config config = cli::parse_config(rec.config_yaml, record_path + ": config_yaml");
  if (worker != "fsd" && worker != "python") throw engine::InputError("--worker: fsd | python, got " + worker);
  cost::Performance perf = cli::load_performance(calibration.empty() ? config.calibration : calibration,
                                                 worker == "python" ? sim::WorkerKind::kPython : sim::WorkerKind::kFsd);
  perf.lambda_max_duration_s = config.deployment.timeout_s;  // as fsd plan: the run's function timeout
  if (run.channel == "serial" && run.servers.queries > 0) {  // a serial stream (sim/servers/): per-query terms
    config.path = record_path + ": config_yaml";
    const cli::SerialComparison c = cli::compare_serial_record(rec, config, perf);
    const std::vector<Term> terms = {
        {"flops_per_query", c.flops_measured, c.flops_predicted, false},
        {"invocations", c.invocations_measured, c.invocations_predicted, false},
        {"cold_starts", c.cold_starts_measured, c.cold_starts_predicted, true},
        {"lambda_gb_s", c.gb_s_measured, c.gb_s_predicted, true},
        {"lambda_usd", c.lambda_usd_measured, c.lambda_usd_predicted, true},
        {"latency_s", c.latency_measured_s, c.latency_predicted_s, true}};
    return report(terms, vm, tolerance, record_path);
  }
  if (!run.servers.instance_type.empty()) {  // a server baseline (sim/servers/): per-query terms
    config.path = record_path + ": config_yaml";
    const cli::ServerComparison c = cli::compare_server_record(rec, config, perf);
    // Always-on: a query's share of the window's bill depends on how many queries the seeded
    // arrivals brought, the prediction on their mean rate: a timing term, as latency is.
    const std::vector<Term> terms = {
        {"flops_per_query", c.flops_measured, c.flops_predicted, false},
        {"ec2_seconds", c.ec2_seconds_measured, c.ec2_seconds_predicted, c.always_on},
        {"ec2_usd", c.ec2_usd_measured, c.ec2_usd_predicted, c.always_on},
        {"latency_s", c.latency_measured_s, c.latency_predicted_s, true}};
    return report(terms, vm, tolerance, record_path);
  }
  if (config.deployment.workers != run.workers || config.model.neurons != run.neurons ||
      config.model.layers != run.layers)
    throw engine::InputError(record_path, 0, "run: workers, neurons or layers disagree with config_yaml");

  // The plan of the recorded deployment, and the run's measured profile over it.
  const engine::Network net = cli::load_network(config);
  const engine::CommPlan plan = engine::make_comm_plan(net, cli::partition_for(config, net));
  std::vector<std::int64_t> weight_nnz;
  for (const auto& l : net.layers) weight_nnz.push_back(l.weights.nonZeros());
  const cost::CommProfile profile = cli::measured_profile(run, plan, weight_nnz);

  const cost::Prices prices = cost::load_prices(cost::price_book_path(config.prices));
  if (run.channel != "queue" && run.channel != "object")
    throw engine::InputError(record_path, 0, "run.channel: the cost model predicts queue and object runs, not " + run.channel);
  const cost::Variant variant = cost::parse_variant(run.channel);
  cost::Deployment deployment = cli::to_deployment(config);
  deployment.batch_size = run.images;
  deployment.partition_object = run.backend == "aws";  // its workers GET the partition (fsd run)
  const cost::Prediction pred =
      cost::predict(variant, deployment, profile, cli::to_workload(config), prices, perf);
  const cost::Usage got = cli::usage_of(run);
  const cost::Usage& want = pred.usage;
  const cost::Cost got_cost = cost::cost_of(got, prices), want_cost = pred.cost;

  std::vector<Term> terms;
  auto add = [&](const char* name, double m, double p, bool timing = false) { terms.push_back({name, m, p, timing}); };
  add("invocations", got.invocations, want.invocations);
  add("function_seconds", got.function_seconds, want.function_seconds, true);
  if (variant == cost::Variant::kQueue) {
    add("sns_publish_calls", got.sns_publish_calls, want.sns_publish_calls);
    add("sns_billed_publishes", got.sns_billed_publishes, want.sns_billed_publishes);
    add("sns_messages", got.sns_messages, want.sns_messages);
    add("sns_publish_bytes", got.sns_publish_bytes, want.sns_publish_bytes);
    add("sqs_deletes", got.sqs_deletes, want.sqs_deletes);
    add("sqs_receives", got.sqs_receives, want.sqs_receives, true);
    add("sqs_billed_requests", got.sqs_billed_requests, want.sqs_billed_requests, true);
    add("sns_usd", got_cost.sns_usd, want_cost.sns_usd);
    add("sqs_usd", got_cost.sqs_usd, want_cost.sqs_usd, true);
  } else {
    add("s3_puts", got.s3_puts, want.s3_puts);
    add("s3_gets", got.s3_gets, want.s3_gets);
    add("s3_deletes", got.s3_deletes, want.s3_deletes);
    add("s3_put_bytes", got.s3_put_bytes, want.s3_put_bytes);
    add("s3_lists", got.s3_lists, want.s3_lists, true);
    add("s3_usd", got_cost.s3_usd, want_cost.s3_usd, true);
  }
  add("lambda_usd", got_cost.lambda_usd, want_cost.lambda_usd, true);
  add("total_usd", got_cost.total_usd(), want_cost.total_usd(), true);

  return report(terms, vm, tolerance, record_path);
}

const cli::RegisterCommand reg{"check", "compare a run record's usage and cost with the cost model", run_check};
}  // namespace
