#include "cli/sweep/study_evaluator.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "cli/bridge/deployment_from_config.hpp"
#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "cli/sweep/partitioned_profile.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"
#include "sim/workload/arrivals.hpp"
#include "sim/workload/warm_pool.hpp"

namespace cli::sweep {
namespace {

constexpr const char* kPlanColumns[] = {
    "variant", "workers",       "queries_per_day", "feasible",   "latency_s",   "compute_s",
    "comm_s",  "usd_per_query", "usd_per_day",     "lambda_usd", "sns_usd",     "sqs_usd",
    "s3_usd",  "ec2_usd",       "bytes_sent",      "requests",   "recommended", "recommended_usd_per_day",
    "note"};
constexpr const char* kPoolColumns[] = {"pool_queries",        "pool_cold_fraction", "pool_queue_delay_mean_s",
                                        "pool_latency_mean_s", "pool_latency_p95_s", "pool_peak_instances"};
constexpr const char* kSimColumns[] = {"sim_latency_s", "sim_usd_per_query", "sim_bytes_sent", "sim_requests",
                                       "sim_wall_s"};

std::string num(double x) {
  char buf[32];
  // 9 significant digits: exact enough to compare runs, short enough to read.
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 9);
  return ec == std::errc() ? std::string(buf, end) : "nan";
}
std::string num(std::int64_t x) { return std::to_string(x); }

std::int64_t bytes_sent(const cost::Usage& u) { return u.sns_publish_bytes + u.s3_put_bytes; }
std::int64_t requests(const cost::Usage& u) {
  return u.invocations + u.sns_publish_calls + u.sqs_receives + u.sqs_deletes + u.sqs_sends + u.s3_puts + u.s3_gets +
         u.s3_lists;
}

}  // namespace

StudyEvaluator::StudyEvaluator(std::string fsd_exe, PoolAssumptions pool) : fsd_exe_(std::move(fsd_exe)), pool_(pool) {}

std::vector<std::string> StudyEvaluator::columns() const {
  std::vector<std::string> c(std::begin(kPlanColumns), std::end(kPlanColumns));
  if (workload_model_) c.insert(c.end(), std::begin(kPoolColumns), std::end(kPoolColumns));
  if (simulate_) c.insert(c.end(), std::begin(kSimColumns), std::end(kSimColumns));
  return c;
}

void StudyEvaluator::prepare(const Experiment& experiment) {
  experiment_ = &experiment;
  workload_model_ = experiment.workload_model;
  simulate_ = experiment.simulate;
  partitioned_ = experiment.partitioned_profiles;
  configs_ = std::make_unique<PointConfigs>(experiment);
  const auto& a = experiment.simulate_args;
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    if (a[i] == "--calibration") calibration_override_ = a[i + 1];
    if (a[i] == "--worker") python_worker_ = a[i + 1] == "python";
  }
}

const cost::Performance& StudyEvaluator::performance_for(const Config& c) {
  const std::string& name = calibration_override_.empty() ? c.calibration : calibration_override_;
  auto it = performances_.find(name);
  if (it == performances_.end())
    it = performances_
             .emplace(name, load_performance(name, python_worker_ ? sim::WorkerKind::kPython : sim::WorkerKind::kFsd))
             .first;
  return it->second;
}

const cost::Prices& StudyEvaluator::prices_for(const std::string& name) {
  auto it = prices_.find(name);
  if (it == prices_.end()) it = prices_.emplace(name, cost::load_prices(cost::price_book_path(name))).first;
  return it->second;
}

const cost::CommSummary& StudyEvaluator::summary_for(const Config& c, const cost::Deployment& d,
                                                     const cost::Performance& perf) {
  // The profile depends on the model, P and the partition; the summary also on the channel settings.
  std::ostringstream pk;
  if (c.profile.empty() && partitioned_) {
    pk << "partitioned " << c.model.neurons << ' ' << c.model.layers << ' ' << c.model.weights_dir << ' '
       << c.model.generate_seed << ' ' << c.deployment.partition.method << ' ' << c.deployment.workers << ' '
       << c.deployment.partition.seed << ' ' << num(c.deployment.partition.imbalance) << ' ' << c.model.batch_size
       << ' ' << num(c.model.input_density) << ' ' << num(c.model.output_density);
  } else if (c.profile.empty()) {
    const cost::AnalyticModel m = to_analytic_model(c);
    pk << "analytic " << m.neurons << ' ' << m.layers << ' ' << m.batch_size << ' ' << m.parts << ' ' << m.nnz_per_row
       << ' ' << m.partition << ' ' << num(m.hypergraph_factor) << ' ' << num(m.imbalance) << ' '
       << num(m.input_density) << ' ' << num(m.output_density);
  } else {
    pk << "file " << c.profile << ' ' << c.model.neurons << ' ' << c.model.layers << ' ' << c.deployment.workers;
  }
  const std::string profile_key = pk.str();
  std::ostringstream sk;
  sk << profile_key << " | " << (calibration_override_.empty() ? c.calibration : calibration_override_) << ' '
     << d.topics << " | " << d.neurons << ' ' << d.layers << ' ' << d.batch_size << ' ' << d.workers << ' '
     << d.launch_bfr << ' ' << d.launch_levels << ' ' << d.max_message_bytes << ' ' << num(d.poll_interval_s) << ' '
     << d.parallel_gets;
  const std::string summary_key = sk.str();
  if (auto it = summaries_.find(summary_key); it != summaries_.end()) return *it->second;
  auto pit = profiles_.find(profile_key);
  if (pit == profiles_.end()) {
    std::shared_ptr<const cost::CommProfile> profile;
    if (c.profile.empty() && partitioned_) {
      const std::string net_key = std::to_string(c.model.neurons) + ' ' + std::to_string(c.model.layers) + ' ' +
                                  c.model.weights_dir + ' ' + std::to_string(c.model.generate_seed);
      if (network_key_ != net_key) network_ = std::make_unique<engine::Network>(network_for(c)), network_key_ = net_key;
      profile = std::make_shared<const cost::CommProfile>(partitioned_profile(c, *network_));
    } else {
      profile = std::make_shared<const cost::CommProfile>(profile_for(c));
    }
    pit = profiles_.emplace(profile_key, std::move(profile)).first;
  }
  auto summary = std::make_shared<const cost::CommSummary>(cost::summarize(*pit->second, d, perf));
  return *summaries_.emplace(summary_key, std::move(summary)).first->second;
}

void StudyEvaluator::evaluate(std::size_t index, const Point& point, std::vector<std::string>& cells) {
  const Config c = configs_->config(point);
  const cost::Deployment d = to_deployment(c);
  const cost::Workload w = to_workload(c);
  const cost::Prices& prices = prices_for(c.prices);
  const cost::Performance& perf = performance_for(c);
  const cost::CommSummary& summary = summary_for(c, d, perf);
  const std::vector<cost::Prediction> all = cost::predict_all(d, summary, w, prices, perf);
  const cost::Recommendation rec = cost::recommend(all, w);
  const cost::Variant variant = cost::parse_variant(c.deployment.variant);
  const cost::Prediction* p = nullptr;
  const cost::Prediction* best = nullptr;
  for (const auto& x : all) {
    if (x.variant == variant) p = &x;
    if (rec.found && x.variant == rec.variant) best = &x;
  }
  std::size_t i = 0;
  cells[i++] = cost::to_string(p->variant);
  cells[i++] = std::to_string(c.deployment.workers);
  cells[i++] = num(w.queries_per_day);
  cells[i++] = p->feasible ? "1" : "0";
  cells[i++] = num(p->latency_s);
  cells[i++] = num(p->compute_s);
  cells[i++] = num(p->comm_s);
  cells[i++] = num(p->usd_per_query);
  cells[i++] = num(p->usd_per_day);
  cells[i++] = num(p->cost.lambda_usd);
  cells[i++] = num(p->cost.sns_usd);
  cells[i++] = num(p->cost.sqs_usd);
  cells[i++] = num(p->cost.s3_usd);
  cells[i++] = num(p->cost.ec2_usd);
  cells[i++] = num(bytes_sent(p->usage));
  cells[i++] = num(requests(p->usage));
  cells[i++] = best ? cost::to_string(best->variant) : "none";
  cells[i++] = best ? num(best->usd_per_day) : "";
  cells[i++] = p->feasible ? "" : p->infeasible_reason;
  if (workload_model_) {
    pool_columns(c, *p, perf, w.queries_per_day, cells, i);
    i += std::size(kPoolColumns);
  }
}

void StudyEvaluator::pool_columns(const Config& c, const cost::Prediction& p, const cost::Performance& perf,
                                  double queries_per_day, std::vector<std::string>& cells, std::size_t at) {
  workload::ArrivalSpec spec = to_arrival_spec(c.workload.arrival);
  if (spec.kind == workload::ArrivalKind::kTrace) {
    auto it = traces_.find(c.workload.arrival.trace_file);
    if (it == traces_.end())
      it = traces_.emplace(c.workload.arrival.trace_file, workload::read_invocations(c.workload.arrival.trace_file))
               .first;
    const auto& f = c.workload.arrival.trace_function.empty() ? it->second.busiest()
                                                              : it->second.function(c.workload.arrival.trace_function);
    spec.trace_per_minute = f.invocations_per_minute;
    spec.trace_scale = workload::trace_scale_for(spec.trace_per_minute, c.workload.arrival.queries_per_day);
  }
  const std::vector<double> arrivals = workload::arrivals(spec, c.workload.duration_s);
  // Service time on warm instances and the cold-start penalty, per variant (see the header).
  workload::PoolSpec pool;
  switch (p.variant) {
    case cost::Variant::kSerial:
    case cost::Variant::kQueue:
    case cost::Variant::kObject:
      pool.instances_per_query = p.variant == cost::Variant::kSerial ? 1 : c.deployment.workers + 1;
      // A cold query waits for a cold start at each launch level (the prediction assumes cold);
      // a warm serial function also keeps the weights it read (fsd lambda caches its network).
      pool.cold_start_s = (p.variant == cost::Variant::kSerial ? 1 : c.deployment.launch.levels) *
                          std::max(0.0, perf.lambda_cold_start_s - perf.lambda_warm_start_s);
      if (p.variant == cost::Variant::kSerial) pool.cold_start_s += p.comm_s;
      pool.service_s = std::max(0.0, p.latency_s - pool.cold_start_s);
      pool.keep_alive_s = pool_.lambda_keep_alive_s;
      pool.max_instances = std::max(pool_.lambda_concurrency, pool.instances_per_query);
      break;
    case cost::Variant::kServerAlwaysOn:
      pool.service_s = p.latency_s;
      pool.cold_start_s = 0;
      pool.keep_alive_s = std::numeric_limits<double>::infinity();
      // As many instances as the prediction pays for: instance-seconds per query × queries per day / 86400.
      pool.max_instances = std::max(1, static_cast<int>(std::lround(p.usage.ec2_seconds * queries_per_day / 86400)));
      break;
    case cost::Variant::kServerJobScoped:
      pool.cold_start_s = perf.server_boot_s;
      pool.service_s = std::max(0.0, p.latency_s - perf.server_boot_s);
      pool.keep_alive_s = 0;
      pool.max_instances = pool_.job_scoped_instances;
      break;
  }
  const workload::PoolStats st = workload::simulate_pool(pool, arrivals);
  cells[at++] = num(static_cast<std::int64_t>(st.queries));
  cells[at++] = num(st.cold_fraction());
  cells[at++] = num(st.queue_delay_mean_s);
  cells[at++] = num(st.latency_mean_s);
  cells[at++] = num(st.latency_p95_s);
  cells[at++] = num(static_cast<std::int64_t>(st.peak_busy_instances));
}

std::optional<ProcessJob> StudyEvaluator::job(std::size_t index, const Point& point, const std::string& work_dir) {
  if (!simulate_) return std::nullopt;
  std::filesystem::create_directories(work_dir);
  const std::string base = (std::filesystem::path(work_dir) / std::to_string(index)).string();
  {
    const std::string tmp = base + ".yaml.tmp";
    std::ofstream out(tmp);
    out << "# point " << index << " of " << experiment_->path << " (written by fsd sweep)\n" << configs_->yaml(point);
    if (!out.flush()) throw std::runtime_error(tmp + ": cannot write");
    out.close();
    std::filesystem::rename(tmp, base + ".yaml");
  }
  // Each point its own record file: children run in parallel in the same folder.
  std::vector<std::string> argv{fsd_exe_, "simulate", base + ".yaml", "--json", "--record", base + ".record.json"};
  argv.insert(argv.end(), experiment_->simulate_args.begin(), experiment_->simulate_args.end());
  return ProcessJob{std::move(argv), base + ".json", base + ".log"};
}

void StudyEvaluator::absorb(std::size_t index, const ProcessJob& job, const ProcessResult& result,
                            std::vector<std::string>& cells) {
  if (result.exit_code != 0) {
    std::ifstream log(job.stderr_path);
    std::string first;
    std::getline(log, first);
    throw std::runtime_error("fsd simulate exited " + std::to_string(result.exit_code) + ": " +
                             (result.error.empty() ? first : result.error));
  }
  // `fsd simulate --json` prints the run record (cli/record/run_record_json.hpp) on stdout.
  const RecordFile record = parse_record(cost::read_text_file(job.stdout_path), job.stdout_path);
  const cost::Usage usage = usage_of(record.run);
  const double latency_s = record.run.wall_s;
  const Config c = configs_->config(experiment_->point(index));
  const cost::Cost cost = cost::cost_of(usage, prices_for(c.prices));
  // A server baseline's record is a window of queries (wall_s: their mean latency), a function's one query.
  const double queries = record.run.servers.queries > 0 ? static_cast<double>(record.run.servers.queries) : 1.0;
  const std::size_t at = std::size(kPlanColumns) + (workload_model_ ? std::size(kPoolColumns) : 0);
  cells[at + 0] = num(latency_s);
  cells[at + 1] = num(cost.total_usd() / queries);
  cells[at + 2] = num(bytes_sent(usage));
  cells[at + 3] = num(requests(usage));
  cells[at + 4] = num(result.wall_s);
}

}  // namespace cli::sweep
