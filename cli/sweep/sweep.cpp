#include "cli/sweep/sweep.hpp"

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <unordered_map>

#include "cli/sweep/csv_table.hpp"
#include "cli/sweep/progress.hpp"
#include "engine/common/input_error.hpp"

namespace cli::sweep {
namespace {

using Clock = std::chrono::steady_clock;

// Identity of a point in the CSV: its axis values, joined by a separator no YAML scalar contains.
std::string key_of(const std::vector<std::string>& axis_values) {
  std::string key;
  for (const auto& v : axis_values) key += v + '\x1f';
  return key;
}

std::vector<std::string> axis_values(const Experiment& e, const Point& point) {
  std::vector<std::string> values;
  for (std::size_t i = e.fixed.size(); i < point.size(); ++i) values.push_back(point[i]->value);
  return values;
}

}  // namespace

std::string csv_path_for(const Experiment& experiment, const SweepOptions& options) {
  return (std::filesystem::path(options.out_dir) / (experiment.name + ".csv")).string();
}

SweepSummary run_sweep(const Experiment& experiment, PointEvaluator& evaluator, const SweepOptions& options) {
  const auto t0 = Clock::now();
  evaluator.prepare(experiment);
  SweepSummary sum;
  sum.points = experiment.num_points();
  sum.csv_path = csv_path_for(experiment, options);
  const std::vector<std::string> axis_keys = experiment.axis_keys();
  const std::vector<std::string> out_columns = evaluator.columns();
  std::vector<std::string> header = axis_keys;
  header.insert(header.end(), out_columns.begin(), out_columns.end());
  header.push_back("status");

  // Resume: rows already done, by point key.
  std::unordered_map<std::string, std::string> done;  // key → CSV line
  std::vector<std::string> done_order;
  if (std::filesystem::exists(sum.csv_path)) {
    const CsvTable old = read_csv(sum.csv_path);
    if (old.header != header)
      throw engine::InputError(sum.csv_path, 1,
                               "columns differ from experiment " + experiment.path +
                                   " (another experiment or version wrote it): delete it or choose another --out");
    for (const auto& row : old.rows) {
      if (row.back() != "ok") continue;  // failed points are retried
      const std::string key = key_of({row.begin(), row.begin() + static_cast<std::ptrdiff_t>(axis_keys.size())});
      if (done.emplace(key, csv_line(row)).second) done_order.push_back(key);
    }
  }

  std::vector<std::string> lines(sum.points);  // CSV line per point; empty = not finished
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < sum.points; ++i) {
    const auto it = done.find(key_of(axis_values(experiment, experiment.point(i))));
    if (it == done.end()) {
      todo.push_back(i);
      continue;
    }
    lines[i] = std::move(it->second);
    done.erase(it);
    ++sum.skipped;
  }
  std::vector<std::string> stale;  // rows of points no longer in the grid: kept, at the end
  for (const auto& key : done_order)
    if (const auto it = done.find(key); it != done.end()) stale.push_back(it->second);

  auto checkpoint = [&] {
    std::vector<std::string> out;
    out.reserve(lines.size() + stale.size());
    for (const auto& l : lines)
      if (!l.empty()) out.push_back(l);
    out.insert(out.end(), stale.begin(), stale.end());
    write_csv_atomic(sum.csv_path, header, out);
  };
  auto last_checkpoint = Clock::now();
  auto maybe_checkpoint = [&] {
    if (Clock::now() - last_checkpoint < std::chrono::duration<double>(options.checkpoint_interval_s)) return;
    checkpoint();
    last_checkpoint = Clock::now();
  };

  Progress progress =
      options.progress ? Progress(todo.size(), "sweep " + experiment.name) : Progress(todo.size(), "", false, stderr);
  std::size_t finished = 0;
  auto finish_row = [&](std::size_t index, std::vector<std::string>& cells, const std::string& status) {
    std::vector<std::string> row = axis_values(experiment, experiment.point(index));
    row.insert(row.end(), cells.begin(), cells.end());
    row.push_back(status);
    lines[index] = csv_line(row);
    ++sum.evaluated;
    sum.failed += status != "ok";
    progress.update(++finished);
    maybe_checkpoint();
  };

  // Phase 1: in-process evaluation; points with a job wait for phase 2.
  const std::string work_dir = (std::filesystem::path(options.out_dir) / experiment.name).string();
  std::vector<std::size_t> job_points;
  std::vector<ProcessJob> jobs;
  std::unordered_map<std::size_t, std::vector<std::string>> pending;  // point → cells so far
  for (const std::size_t index : todo) {
    const Point point = experiment.point(index);
    std::vector<std::string> cells(out_columns.size());
    std::string status = "ok";
    try {
      evaluator.evaluate(index, point, cells);
      if (auto job = evaluator.job(index, point, work_dir)) {
        job_points.push_back(index);
        jobs.push_back(std::move(*job));
        pending.emplace(index, std::move(cells));
        continue;
      }
    } catch (const std::exception& e) {
      status = e.what();
    }
    finish_row(index, cells, status);
  }

  // Phase 2: child processes, options.jobs at a time.
  if (!jobs.empty()) {
    const auto j0 = Clock::now();
    run_processes(jobs, options.jobs, [&](std::size_t j, const ProcessResult& r) {
      const std::size_t index = job_points[j];
      sum.jobs_cpu_s += r.cpu_s;
      auto& cells = pending.at(index);
      std::string status = "ok";
      try {
        evaluator.absorb(index, jobs[j], r, cells);
      } catch (const std::exception& e) {
        status = e.what();
      }
      finish_row(index, cells, status);
      pending.erase(index);
    });
    sum.jobs_run = jobs.size();
    sum.jobs_wall_s = std::chrono::duration<double>(Clock::now() - j0).count();
  }
  checkpoint();
  progress.finish();
  sum.wall_s = std::chrono::duration<double>(Clock::now() - t0).count();
  return sum;
}

}  // namespace cli::sweep
