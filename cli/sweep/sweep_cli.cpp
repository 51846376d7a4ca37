#include "cli/sweep/sweep_cli.hpp"

#include <boost/program_options.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/sweep/study_evaluator.hpp"
#include "engine/common/input_error.hpp"

namespace cli::sweep {

namespace po = boost::program_options;
namespace fs = std::filesystem;

std::optional<SweepCli> parse_sweep_cli(const std::string& command, const std::string& summary,
                                        const std::vector<std::string>& args, bool allow_scaling) {
  po::options_description opts("fsd " + command + " EXPERIMENT.yaml [-j N] [--out DIR]" +
                               (allow_scaling ? " [--scaling]" : "") + "\n" + summary + "\n\noptions");
  opts.add_options()("help,h", "print this help")("jobs,j", po::value<int>()->default_value(1),
                                                  "simulated points run at once (one `fsd simulate` process each)")(
      "out", po::value<std::string>()->default_value("results"),
      "output folder: <out>/<name>.csv, per-point files in <out>/<name>/, figures in <out>/figures/")(
      "no-progress", "no progress bar (it is only drawn when stderr is a terminal anyway)");
  if (allow_scaling)
    opts.add_options()("scaling", "measure: run the simulated points with -j 1 and with -j 2, print the speed-up");
  po::options_description hidden;
  hidden.add_options()("experiment", po::value<std::string>());
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description pos;
  pos.add("experiment", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw engine::InputError(e.what());
  }
  if (vm.count("help")) {
    std::cout << opts;
    return std::nullopt;
  }
  if (!vm.count("experiment")) throw engine::InputError("EXPERIMENT.yaml is required (see experiments/README.md)");
  SweepCli cli;
  cli.experiment_path = vm["experiment"].as<std::string>();
  cli.options.jobs = vm["jobs"].as<int>();
  if (cli.options.jobs < 1) throw engine::InputError("-j must be ≥ 1");
  cli.options.out_dir = vm["out"].as<std::string>();
  cli.options.progress = !vm.count("no-progress");
  cli.measure_scaling = allow_scaling && vm.count("scaling");
  return cli;
}

std::string self_exe() { return fs::read_symlink("/proc/self/exe").string(); }

SweepSummary run_experiment(const Experiment& experiment, const SweepOptions& options, std::FILE* out) {
  StudyEvaluator evaluator(self_exe());
  const SweepSummary s = run_sweep(experiment, evaluator, options);
  std::fprintf(out, "%s: %zu points (%zu already done, %zu computed, %zu failed) in %.2f s -> %s\n",
               experiment.name.c_str(), s.points, s.skipped, s.evaluated, s.failed, s.wall_s, s.csv_path.c_str());
  if (s.jobs_run)
    std::fprintf(out, "%s: %zu simulations with -j %d in %.2f s (%.2f simulations/s)\n", experiment.name.c_str(),
                 s.jobs_run, options.jobs, s.jobs_wall_s, s.jobs_run / std::max(s.jobs_wall_s, 1e-9));
  if (s.failed) std::fprintf(out, "%s: see the status column of the failed rows\n", experiment.name.c_str());
  return s;
}

namespace {
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "?" : one;
}
}  // namespace

double measure_scaling(const Experiment& experiment, const SweepOptions& options, std::FILE* out) {
  if (!experiment.simulate)
    throw engine::InputError(experiment.path, 0, "--scaling needs an experiment with simulate: true");
  double wall[2] = {0, 0};
  for (int jobs : {1, 2}) {
    SweepOptions o = options;
    o.jobs = jobs;
    o.out_dir = (fs::path(options.out_dir) / "scaling" / ("j" + std::to_string(jobs))).string();
    fs::remove_all(o.out_dir);  // a fresh run: resuming would skip the work being timed
    StudyEvaluator evaluator(self_exe());
    const std::string load_before = load_average();
    const SweepSummary s = run_sweep(experiment, evaluator, o);
    if (s.failed)
      throw std::runtime_error("scaling run with -j " + std::to_string(jobs) + " had failed points: " + s.csv_path);
    wall[jobs - 1] = s.jobs_wall_s;
    // CPU seconds per wall second: how many cores the children really got. Below `jobs`, the
    // machine was busy with other work (the children were runnable but not running).
    std::fprintf(
        out, "scaling: %zu simulated points, -j %d: %.2f s wall, %.2f s CPU (%.2f cores busy), load average %s -> %s\n",
        s.jobs_run, jobs, s.jobs_wall_s, s.jobs_cpu_s, s.jobs_cpu_s / std::max(s.jobs_wall_s, 1e-9),
        load_before.c_str(), load_average().c_str());
  }
  const double ratio = wall[0] / std::max(wall[1], 1e-9);
  std::fprintf(out, "scaling: speed-up from -j 1 to -j 2: %.2fx (target >= 1.7x on an otherwise idle 2-core machine)\n",
               ratio);
  return ratio;
}

}  // namespace cli::sweep
