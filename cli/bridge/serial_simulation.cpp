// simulate_serial_variant: arrivals, one query's work, the function's spec, then sim::simulate_serial.
#include "cli/bridge/serial_simulation.hpp"

#include "cli/bridge/deployment_from_config.hpp"
#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/bridge/query_stream.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/predict.hpp"
#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"
#include "sim/servers/serial_record.hpp"
#include "sim/servers/serial_sim.hpp"

namespace cli {

engine::RunRecord simulate_serial_variant(const Config& config, const sim::DensityProfile* profile,
                                          const sim::Calibration& calibration, sim::WorkerKind worker) {
  const std::vector<double> arrivals = query_arrivals(config);
  const QueryInputs in = query_inputs(config, profile);
  cost::Performance perf = performance_from_calibration(calibration, worker);
  perf.lambda_max_duration_s = config.deployment.timeout_s;  // the function's timeout (≤ 900 s)
  const sim::SerialSpec spec = sim::make_serial_spec(config.deployment.memory_mb, in.weight_nnz, in.work, perf);
  if (const std::string problem = sim::serial_memory_problem(spec); !problem.empty())
    throw engine::InputError(config.path, 0, "deployment: serial is infeasible: " + problem);
  const sim::SerialRun run = sim::simulate_serial(calibration, worker, spec, arrivals, in.work.total_flops());
  if (run.killed > 0) throw engine::InputError(config.path, 0, "deployment: serial is infeasible: " + run.failure);
  const double flops_per_s =
      run.vcpus * (worker == sim::WorkerKind::kPython ? calibration.python : calibration.fsd).flops_per_s_per_vcpu;
  return sim::make_serial_record(spec, in.work, run, flops_per_s, config.workload.duration_s, in.neurons, "sim");
}

SerialComparison compare_serial_record(const RecordFile& record, const Config& config,
                                       const cost::Performance& perf) {
  const engine::RunRecord& run = record.run;
  const std::string& path = config.path;
  if (run.servers.queries < 1) throw engine::InputError(path, 0, "run.servers.queries: a serial record needs queries");
  if (run.channel != config.deployment.variant || run.neurons != config.model.neurons ||
      run.layers != config.model.layers || run.memory_mb != config.deployment.memory_mb)
    throw engine::InputError(path, 0, "run: channel, neurons, layers or memory_mb disagree with config_yaml");
  const cost::CommProfile profile = stream_profile(run, load_network(config));
  cost::Deployment deployment = to_deployment(config);
  deployment.workers = 1;  // one function runs the network as one part
  deployment.batch_size = run.images;
  const cost::Prices prices = cost::load_prices(cost::price_book_path(config.prices));
  const cost::Prediction p = cost::predict(cost::Variant::kSerial, deployment, profile, to_workload(config), prices, perf);
  const cost::Usage measured = usage_of(run);
  const double queries = static_cast<double>(run.servers.queries);
  const double gb_per_mb = 1.0 / 1024.0;

  SerialComparison c;
  for (const auto& w : run.worker_records) c.flops_measured += w.flops;
  c.flops_predicted = 2 * cost::summarize(profile, deployment, perf).total_ops;
  c.invocations_measured = static_cast<double>(measured.invocations) / queries;
  c.invocations_predicted = static_cast<double>(p.usage.invocations);
  c.cold_starts_measured = static_cast<double>(run.servers.cold_starts) / queries;
  c.cold_starts_predicted = 1;  // cost::predict charges lambda_cold_start_s to every query
  c.gb_s_measured = measured.function_seconds * measured.memory_mb * gb_per_mb / queries;
  c.gb_s_predicted = p.usage.function_seconds * p.usage.memory_mb * gb_per_mb;
  c.lambda_usd_measured = cost::cost_of(measured, prices).lambda_usd / queries;
  c.lambda_usd_predicted = p.cost.lambda_usd;
  c.latency_measured_s = run.servers.latency_mean_s;
  c.latency_predicted_s = p.latency_s;
  return c;
}

}  // namespace cli
