// fsd simulate: runs a deployment config on the SimGrid model of the cloud (sim/) — the engine's
// real Deployment, Worker and channels in simulated time — and writes the same RunRecord that
// `fsd run` writes and `fsd check` reads (backend "sim").
//
// Modes: exact (real weights and kernels; message sizes are the real ones) and profile (no
// weights' values: a per-layer density profile sizes blocks and flops; see sim/profile_kernel.hpp).
// The profile comes from --profile RECORD.json (a run record of an exact or live run: its
// per-layer input_nnz) or, without it, from the config's model.input_density/output_density.
// --worker python models the published Python workers (their compute and zlib speeds).
// deployment.variant server_always_on / server_job_scoped simulates the EC2 baselines instead: a
// stream of queries over workload.duration_s (cli/bridge/server_simulation.hpp, sim/servers/);
// deployment.variant serial, one Lambda function per query over the same stream
// (cli/bridge/serial_simulation.hpp).
// Queue and object: every worker invocation is killed at its start (start-up included) +
// deployment.timeout_s (default 900 s, Lambda's maximum), as Lambda kills it. The run then fails:
// one line "CONFIG:0: deployment: queue run failed: worker W was killed at its T s function
// timeout at t=X s simulated (...), in layer K of L; billed ..." and exit 2, no record written (a
// record is a finished query; `fsd check` compares finished queries with the cost model). Before
// simulating, the cost model's predicted longest worker (cost::Prediction::worker_duration_s, perf
// from the calibration) is compared with the timeout: past it, `fsd simulate` refuses (exit 2)
// unless --past-timeout is given, instead of failing at the end of a long simulation.
// One simulation per process: a sweep runs one `fsd simulate` per point.
#include <boost/program_options.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "cli/bridge/deployment_from_config.hpp"
#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/bridge/serial_simulation.hpp"
#include "cli/bridge/server_simulation.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/config/config.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/record/run_record_json.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/predict.hpp"
#include "costmodel/prices.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"
#include "engine/worker/deployment.hpp"
#include "engine/worker/run_record.hpp"
#include "sim/deployment_run.hpp"
#include "sim/profile_kernel.hpp"

namespace {
namespace po = boost::program_options;

std::string calibration_path(const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".yaml") == 0);
  return is_path ? name_or_path : cost::configs_dir() + "/calibration/" + name_or_path + ".yaml";
}

// density[k], k = 0..L: from a run record's per-layer input_nnz, or geometric between the
// config's input and output densities.
sim::DensityProfile make_profile(const cli::Config& config, const std::string& record_path) {
  sim::DensityProfile p;
  const int layers = config.model.layers;
  if (!record_path.empty()) {
    const cli::RecordFile rec = cli::read_record(record_path);
    for (const auto& l : rec.run.layer_records)
      if (l.layer >= 1 && l.layer <= rec.run.layers + 1)
        p.density.push_back(static_cast<double>(l.input_nnz) / (static_cast<double>(rec.run.images) * rec.run.neurons));
    if (p.density.empty()) throw engine::InputError(record_path, 0, "run record has no layer records");
    return p;
  }
  const double in = config.model.input_density, out = config.model.output_density;
  for (int k = 0; k <= layers; ++k) p.density.push_back(in * std::pow(out / in, layers ? double(k) / layers : 0.0));
  return p;
}

// "billed 12.3 GB-s over 9 invocations, Lambda $0.000206 up to the kill": a killed run's bill.
std::string bill_words(const engine::cloud::MeteredUsage& u, const cost::Prices& prices) {
  const double usd = u.lambda_gb_s * prices.lambda_usd_per_gb_s + u.lambda_invocations * prices.lambda_usd_per_request;
  char buf[160];
  std::snprintf(buf, sizeof buf, "billed %.3f GB-s over %lld invocations, Lambda $%.3g, up to the kill", u.lambda_gb_s,
                static_cast<long long>(u.lambda_invocations), usd);
  return buf;
}

// Refuses (engine::InputError) a queue/object config whose longest worker the cost model predicts
// past deployment.timeout_s: the simulation would run for that long and then fail.
void refuse_past_timeout(const cli::Config& config, engine::ChannelKind channel, const sim::Calibration& calibration,
                         sim::WorkerKind worker, const cost::Prices& prices) {
  cost::Performance perf = cli::performance_from_calibration(calibration, worker);
  perf.lambda_max_duration_s = config.deployment.timeout_s;
  const cost::Prediction p =
      cost::predict(channel == engine::ChannelKind::kQueue ? cost::Variant::kQueue : cost::Variant::kObject,
                    cli::to_deployment(config), cli::profile_for(config), cli::to_workload(config), prices, perf);
  if (p.worker_duration_s <= config.deployment.timeout_s) return;
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "deployment: the cost model predicts a worker runs %.0f s > deployment.timeout_s = %g s, so Lambda "
                "would kill it (fsd plan shows the terms); not simulated: pass --past-timeout to simulate until the "
                "kill anyway",
                p.worker_duration_s, config.deployment.timeout_s);
  throw engine::InputError(config.path, 0, buf);
}

int run_simulate(const std::vector<std::string>& args) {
  po::options_description opts("fsd simulate CONFIG.yaml [options]");
  std::string config_path, record_path, mode, profile_path, worker_kind, calibration_override;
  int headroom = 0;
  opts.add_options()("help,h", "this help")("config", po::value(&config_path), "deployment config (YAML)")(
      "mode", po::value(&mode)->default_value("exact"), "exact | profile")(
      "profile", po::value(&profile_path), "profile mode: a run record whose per-layer densities to use")(
      "worker", po::value(&worker_kind)->default_value("fsd"), "whose code speed to model: fsd | python")(
      "calibration", po::value(&calibration_override), "calibration name or file (default: the config's)")(
      "record", po::value(&record_path)->default_value("sim-record.json"), "where to write the run record")(
      "extra-hosts", po::value(&headroom)->default_value(0), "function hosts beyond P (warm-pool headroom)")(
      "past-timeout", "queue/object: simulate even when the cost model predicts a worker outlasts deployment.timeout_s")(
      "json", "print the run record (JSON) instead of a summary");
  po::positional_options_description pos;
  pos.add("config", 1);
  const po::variables_map vm = cli::parse_options(args, opts, &pos);
  if (vm.count("help")) {
    std::cout << opts << "\nExample: fsd simulate configs/n1024.yaml --mode profile --worker python --json\n";
    return 0;
  }
  if (config_path.empty()) throw engine::InputError("a CONFIG.yaml is required (fsd simulate --help)");
  if (mode != "exact" && mode != "profile") throw engine::InputError("--mode: exact | profile, got " + mode);
  if (worker_kind != "fsd" && worker_kind != "python") throw engine::InputError("--worker: fsd | python, got " + worker_kind);
  if (headroom < 0) throw engine::InputError("--extra-hosts must be >= 0");
  if (!profile_path.empty() && mode != "profile") throw engine::InputError("--profile needs --mode profile");

  const cli::Config config = cli::load_config(config_path);
  const auto& d = config.deployment;
  engine::ChannelKind channel = engine::ChannelKind::kQueue;
  if (d.variant == "queue") channel = engine::ChannelKind::kQueue;
  else if (d.variant == "object") channel = engine::ChannelKind::kObject;
  else if (!cli::is_server_variant(d.variant) && d.variant != "serial")
    throw engine::InputError(config_path, 0,
                             "deployment.variant: fsd simulate runs serial, queue, object, server_always_on or "
                             "server_job_scoped, not " + d.variant);
  const sim::Calibration calibration =
      sim::load_calibration(calibration_path(calibration_override.empty() ? config.calibration : calibration_override));

  if (d.variant == "serial") {  // one function per query: a stream of queries (sim/servers/serial_sim.hpp)
    const sim::DensityProfile serial_profile = mode == "profile" ? make_profile(config, profile_path) : sim::DensityProfile{};
    const cli::RecordFile record{
        config_path, cost::read_text_file(config_path),
        cli::simulate_serial_variant(config, mode == "profile" ? &serial_profile : nullptr, calibration,
                                     worker_kind == "python" ? sim::WorkerKind::kPython : sim::WorkerKind::kFsd)};
    cli::write_record(record, record_path);
    const engine::RunServers& s = record.run.servers;
    const auto& u = record.run.usage;
    if (vm.count("json")) std::cout << cli::record_to_json(record).dump(1) << '\n';
    else
      std::printf("fsd simulate %s: serial, one %d MB function per query, %lld queries in %.0f s, %s mode\n"
                  "  latency mean %.4g s, p95 %.4g s; queueing mean %.4g s, max %.4g s\n"
                  "  %lld invocations, %lld cold starts, %lld throttled attempts, %lld queries failed, peak %d at once\n"
                  "  %.3f GB-s billed; record: %s\n",
                  config_path.c_str(), d.memory_mb, static_cast<long long>(s.queries), s.window_s, mode.c_str(),
                  s.latency_mean_s, s.latency_p95_s, s.queue_delay_mean_s, s.queue_delay_max_s,
                  static_cast<long long>(u.lambda_invocations), static_cast<long long>(s.cold_starts),
                  static_cast<long long>(s.throttles), static_cast<long long>(s.failed), s.instances, u.lambda_gb_s,
                  record_path.c_str());
    return 0;
  }
  if (cli::is_server_variant(d.variant)) {  // EC2 baselines: a stream of queries (sim/servers/)
    const std::string text = cost::read_text_file(config_path);
    const sim::DensityProfile server_profile = mode == "profile" ? make_profile(config, profile_path) : sim::DensityProfile{};
    const cli::RecordFile record{
        config_path, text,
        cli::simulate_server_variant(config, text, mode == "profile" ? &server_profile : nullptr, calibration,
                                     worker_kind == "python" ? sim::WorkerKind::kPython : sim::WorkerKind::kFsd)};
    cli::write_record(record, record_path);
    const engine::RunServers& s = record.run.servers;
    if (vm.count("json")) std::cout << cli::record_to_json(record).dump(1) << '\n';
    else
      std::printf("fsd simulate %s: %s, %d x %s, %lld queries in %.0f s, %s mode\n"
                  "  latency mean %.4g s, p95 %.4g s; queueing mean %.4g s, max %.4g s\n"
                  "  EC2 %.1f instance-s; record: %s\n",
                  config_path.c_str(), d.variant.c_str(), s.instances, s.instance_type.c_str(),
                  static_cast<long long>(s.queries), s.window_s, mode.c_str(), s.latency_mean_s, s.latency_p95_s,
                  s.queue_delay_mean_s, s.queue_delay_max_s, record.run.usage.ec2_instance_seconds, record_path.c_str());
    return 0;
  }

  const sim::WorkerKind worker = worker_kind == "python" ? sim::WorkerKind::kPython : sim::WorkerKind::kFsd;
  const cost::Prices prices = cost::load_prices(cost::price_book_path(config.prices));
  if (!vm.count("past-timeout")) refuse_past_timeout(config, channel, calibration, worker, prices);

  // Profile mode reads the network's structure (the CommPlan needs it), never its values'
  // products: blocks and flops come from the profile. Large generated networks build only their
  // first layers' structure (cli::layer_structure, engine/plan/layer_structure.hpp).
  const bool profile_mode = mode == "profile";
  const engine::LayerStructure structure = cli::layer_structure(config, profile_mode);
  const engine::Network& net = structure.built;
  const engine::CommPlan& plan = structure.plan;
  const engine::Activations images = profile_mode ? cli::profile_images(config) : cli::load_images(config);
  const sim::DensityProfile profile = profile_mode ? make_profile(config, profile_path) : sim::DensityProfile{};

  engine::DeploymentSpec spec =
      cli::deployment_spec(config, channel, net, structure.partition, plan, images, "sim");
  spec.report_poll_s = 0.05;  // the coordinator's check for reports: 50 ms is far below a layer's time
  if (profile_mode)
    spec.make_kernel = [&](int worker) {
      return std::make_unique<sim::ProfileKernel>(structure, profile, static_cast<int>(images.rows()), worker,
                                                  config.deployment.partition.seed);
    };

  sim::PlatformOptions platform;
  platform.function_hosts = plan.parts + headroom;
  platform.memory_mb = d.memory_mb;
  platform.worker = worker;
  platform.charge_compression = spec.queue.compress;  // our channels do not declare compression as compute
  sim::Simulation simulation(calibration, platform);
  sim::SimulatedRun run;
  try {
    run = sim::simulate_deployment(simulation, spec, d.memory_mb, d.timeout_s);
  } catch (const sim::WorkerKilled& killed) {
    throw engine::InputError(config_path, 0, "deployment: " + d.variant + " run failed: " + killed.what() + "; " +
                                                 bill_words(killed.usage, prices) + "; no record written");
  }

  cli::RecordFile record{config_path, cost::read_text_file(config_path),
                         engine::make_run_record(spec, run.deployment, run.usage, "sim", d.memory_mb)};
  cli::write_record(record, record_path);
  if (vm.count("json")) {
    std::cout << cli::record_to_json(record).dump(1) << '\n';
    return 0;
  }
  const auto& u = run.usage;
  std::printf("fsd simulate %s: %s channel, %d workers, %d layers, %lld images, %s mode, %s workers\n",
              config_path.c_str(), d.variant.c_str(), plan.parts, plan.layers,
              static_cast<long long>(images.rows()), mode.c_str(), worker_kind.c_str());
  std::printf("  simulated batch time %.3f s (coordinator), worker time mean %.3f s, max %.3f s "
              "(billed with start-up: max %.3f s of the %g s timeout)\n",
              run.batch_time_s, run.mean_worker_time_s, run.max_worker_time_s, run.max_billed_worker_s, d.timeout_s);
  std::printf("  SNS publish calls %lld, messages %lld, %lld B; SQS receives %lld (%lld empty), deletes %lld\n",
              (long long)u.sns_publish_requests, (long long)u.sns_messages, (long long)u.sns_payload_bytes,
              (long long)u.sqs_receive_requests, (long long)u.sqs_empty_receives, (long long)u.sqs_delete_requests);
  std::printf("  S3 PUT %lld (%lld B), GET %lld, LIST %lld; invocations %lld (%lld cold), %.3f GB-s\n",
              (long long)u.s3_put_requests, (long long)u.s3_put_bytes, (long long)u.s3_get_requests,
              (long long)u.s3_list_requests, (long long)u.lambda_invocations, (long long)run.services.cold_starts,
              u.lambda_gb_s);
  std::printf("  simulated requests %lld; record: %s\n", (long long)run.services.requests(), record_path.c_str());
  return 0;
}

const cli::RegisterCommand reg{"simulate", "simulate a deployment on the SimGrid cloud model; write its run record",
                               run_simulate};
}  // namespace
