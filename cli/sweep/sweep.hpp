// run_sweep: evaluates every point of an Experiment and writes <out_dir>/<name>.csv.
//
// Columns: the axis keys (values as written in the experiment), the evaluator's columns, then
// `status` ("ok" or why the point failed). Per point the evaluator first runs in process
// (evaluate, e.g. cost::predict); if it returns a job (e.g. `fsd simulate`), the job runs as a
// child process, at most options.jobs at once, and absorb() reads what it left.
//
// Resumable: rows of an existing CSV whose axis values match a point with status "ok" are kept
// and the point is skipped; failed points are retried; rows of points no longer in the grid are
// kept at the end. The CSV is rewritten atomically (temp file + rename) at least every
// checkpoint_interval_s while points finish, and at the end, so an interrupted sweep loses at
// most that much work and never leaves a torn file. Rows are in grid order.
// Single-threaded apart from the child processes; deterministic given the evaluator.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/sweep/experiment.hpp"
#include "cli/sweep/process_pool.hpp"

namespace cli::sweep {

using Point = std::vector<const Assignment*>;

class PointEvaluator {
 public:
  virtual ~PointEvaluator() = default;
  // Output columns (after the axis keys, before status).
  virtual std::vector<std::string> columns() const = 0;
  // Checks the whole grid before anything runs; throws engine::InputError naming the experiment
  // file and line of the offending key or value.
  virtual void prepare(const Experiment& experiment) = 0;
  // In-process evaluation; cells has columns().size() entries to fill. Throwing marks the point
  // failed with the exception's message.
  virtual void evaluate(std::size_t index, const Point& point, std::vector<std::string>& cells) = 0;
  // Out-of-process work for this point (files under work_dir, which it creates), or nothing.
  virtual std::optional<ProcessJob> job(std::size_t index, const Point& point, const std::string& work_dir) {
    return std::nullopt;
  }
  // Fills cells from a finished job; throwing marks the point failed.
  virtual void absorb(std::size_t index, const ProcessJob& job, const ProcessResult& result,
                      std::vector<std::string>& cells) {}
};

struct SweepOptions {
  int jobs = 1;                     // child processes at once
  std::string out_dir = "results";  // CSV at <out_dir>/<name>.csv, job files under <out_dir>/<name>/
  bool progress = true;             // draw a progress bar (only if stderr is a terminal)
  double checkpoint_interval_s = 1.0;
};

struct SweepSummary {
  std::size_t points = 0;     // in the grid
  std::size_t skipped = 0;    // already done in the CSV
  std::size_t evaluated = 0;  // computed now
  std::size_t failed = 0;     // of which status ≠ ok
  std::size_t jobs_run = 0;   // child processes
  double wall_s = 0;
  double jobs_wall_s = 0;  // wall time of the job phase (from the first spawn to the last exit)
  double jobs_cpu_s = 0;   // CPU time (user + system) of all child processes
  std::string csv_path;
};

SweepSummary run_sweep(const Experiment& experiment, PointEvaluator& evaluator, const SweepOptions& options);

// The CSV path run_sweep writes for these options.
std::string csv_path_for(const Experiment& experiment, const SweepOptions& options);

}  // namespace cli::sweep
