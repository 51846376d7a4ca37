// StudyEvaluator: what `fsd sweep` computes at each point of an experiment.
//
//   plan (always)        cost::predict_all + recommend on the point's config, exactly as `fsd plan`
//                        (profile from cli::profile_for, or measured on a real partition with
//                        `profiles: partitioned` (partitioned_profile.hpp); profiles and summaries
//                        cached, so a 100,000-point plan sweep takes seconds);
//   workload model       (experiment `workload_model: true`) the point's arrivals (workload/arrivals)
//                        replayed through the warm/cold pool model (workload/warm_pool) with the
//                        predicted latency as service time: cold-start fraction, queueing delay,
//                        latency percentiles under the concurrency limit;
//   simulate             (experiment `simulate: true`) the point's config written to
//                        <out>/<name>/<point>.yaml and `fsd simulate <it> --json` run as a child
//                        process; its run record gives the sim_* columns.
//
// Speeds and latencies: the point's calibration (config key `calibration`), mapped for the worker
// the simulated points model (cli/bridge/performance_from_calibration.hpp); an experiment's
// simulate_args `--calibration X` / `--worker python` apply to the plan columns too, so both sides
// of a point use the same numbers.
// For the bursts arrival kind the plan uses the bursts' mean rate (burst_size·86400/burst_gap_s
// queries per day) instead of workload.arrival.queries_per_day, so cost and arrivals agree.
// Column meanings are listed in docs/STUDIES.md. Not thread-safe (caches); one per sweep.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/sweep/point_config.hpp"
#include "cli/sweep/sweep.hpp"
#include "costmodel/predict.hpp"
#include "costmodel/prices.hpp"
#include "engine/model/network.hpp"
#include "sim/workload/azure_trace.hpp"

namespace cli::sweep {

// Warm/cold model constants (the cost model assumes every query starts cold).
struct PoolAssumptions {
  double lambda_keep_alive_s = 600;  // idle Lambda instance kept warm; AWS does not publish it (assumption)
  int lambda_concurrency = 1000;     // default account concurrency limit (AWS Lambda quotas, 2024)
  int job_scoped_instances = 1000;   // job-scoped servers running at once (no practical limit)
};

class StudyEvaluator : public PointEvaluator {
 public:
  // fsd_exe: the `fsd` binary to run for simulated points.
  explicit StudyEvaluator(std::string fsd_exe, PoolAssumptions pool = {});
  std::vector<std::string> columns() const override;
  void prepare(const Experiment& experiment) override;
  void evaluate(std::size_t index, const Point& point, std::vector<std::string>& cells) override;
  std::optional<ProcessJob> job(std::size_t index, const Point& point, const std::string& work_dir) override;
  void absorb(std::size_t index, const ProcessJob& job, const ProcessResult& result,
              std::vector<std::string>& cells) override;

 private:
  std::string fsd_exe_;
  PoolAssumptions pool_;
  const Experiment* experiment_ = nullptr;
  std::unique_ptr<PointConfigs> configs_;
  bool workload_model_ = false, simulate_ = false, partitioned_ = false;
  std::string network_key_;  // the network held (partitioned profiles): one at a time
  std::unique_ptr<engine::Network> network_;
  std::map<std::string, cost::Prices> prices_;
  std::map<std::string, cost::Performance> performances_;
  std::string calibration_override_;  // experiment simulate_args --calibration
  bool python_worker_ = false;        // experiment simulate_args --worker python
  std::map<std::string, std::shared_ptr<const cost::CommProfile>> profiles_;
  std::map<std::string, std::shared_ptr<const cost::CommSummary>> summaries_;
  std::map<std::string, workload::InvocationTrace> traces_;

  const cost::Prices& prices_for(const std::string& name);
  const cost::Performance& performance_for(const Config& config);
  const cost::CommSummary& summary_for(const Config& config, const cost::Deployment& deployment,
                                       const cost::Performance& perf);
  void pool_columns(const Config& config, const cost::Prediction& p, const cost::Performance& perf,
                    double queries_per_day, std::vector<std::string>& cells, std::size_t at);
};

}  // namespace cli::sweep
