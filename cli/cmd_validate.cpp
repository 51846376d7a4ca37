// fsd validate: compares the simulator with the published FSD-Inference runs (Oakley &
// Ferhatosmanoglu, ICDE 2024: 120 layers, 10,000 images in one batch, Python workers with zlib
// level 3) and prints, per point, measured vs simulated per-worker batch time and request counts
// with the relative error; writes them to <work-dir>/validate.csv and plots them (validate.png).
//
// The points are data: configs/calibration/fsd-inference-icde2024.csv (--table), 35 published
// runs at 1024/4096/16384/65536 neurons. By default the 4 points issue 6 calibrates to (target =
// yes): exit 0 when every one meets the targets (time within 15%, each request count within 10%),
// 1 otherwise or when a simulation fails. --extrapolate adds every other point, --points picks
// points by name; non-target points are printed "(info)" and never change the exit status.
//
// Steps, each `fsd simulate` in its own process (one SimGrid simulation per process):
//  1. an exact simulation of the shared 30 official n1024 layers on the 1200 shared images gives
//     the activation-density profile (later layers repeat the last density, which has settled);
//  2. each point in profile mode with the Python worker calibration, on a generated N × 120
//     network of the same structure (32 nonzeros per row and column), the point's memory size and
//     our hypergraph partition (the authors' partitions are not published). Every size uses the
//     n1024 profile: densities are fractions of N per layer, and the Graph Challenge's
//     size-dependent biases keep them similar across sizes (docs/SIMULATOR.md, "All published points").
// --reuse skips a step whose record in the work folder came from the same config, calibration
// file and fsd binary (<stem>.done holds that key, written only after the step succeeded), so an
// interrupted study resumes where it stopped.
#include <boost/program_options.hpp>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/bridge/performance_from_calibration.hpp"
#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/record/run_record_json.hpp"
#include "cli/sweep/csv_table.hpp"
#include "cli/sweep/figures.hpp"
#include "cli/sweep/process_pool.hpp"
#include "cli/sweep/progress.hpp"
#include "cli/validate/comparison.hpp"
#include "cli/validate/published_points.hpp"
#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace {
namespace po = boost::program_options;
namespace fs = std::filesystem;
using Point = cli::validate::PublishedPoint;

// The published object worker (sds_inf_object_worker.py) PUTs a layer's objects from a pool of
// ThreadPoolExecutor() threads (min(32, os.cpu_count() + 4) = 6 on a 2-vCPU Lambda) and GETs from
// another in the background of its "LIST, queue the GETs, sleep 0.1 s" loop. Modelled literally
// (parallel_puts = parallel_gets = 6, overlap_gets), the simulated workers move in lockstep and a
// receiver's first LIST already finds every object: object P=8 LISTs fall to -40% and no S3
// service time puts both P=8 and P=20 within 15% (docs/SIMULATOR.md, "Object variant: the
// published pools"). So the validated points keep the stand-in the calibration was fitted with:
// a layer's P - 1 PUTs and GETs at once, each listing's GETs awaited before the next LIST. A rule,
// not a fitted value.
std::string python_object_requests(const Point& p, int workers) {
  if (std::string(p.variant) != "object") return "";
  const std::string all = std::to_string(workers - 1);
  return "channel:\n  object: {parallel_gets: " + all + ", parallel_puts: " + all + ", overlap_gets: false}\n";
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Writes through a temporary file and a rename: a reader never sees half a file.
void write_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

// The generated deployment for a published point: its size, launch tree and memory; the published
// workload (120 layers, 10,000 images in one batch); the input density of the Graph Challenge images.
std::string point_config(const Point& p) {
  return "model:\n  neurons: " + std::to_string(p.neurons) +
         "\n  layers: 120\n  generate_seed: 1\n  input_count: 10000\n  batch_size: 10000\n  input_density: 0.1\n"
         "deployment:\n  variant: " + p.variant + "\n  workers: " + std::to_string(p.workers) +
         "\n  launch: {bfr: " + std::to_string(p.bfr) + ", levels: " + std::to_string(p.levels) +
         "}\n  memory_mb: " + std::to_string(p.memory_mb) + "\n" + python_object_requests(p, p.workers);
}

// One `fsd simulate` step: its files are <dir>/<stem>.{yaml,json,log,err,done}.
struct Step {
  std::string stem;
  std::vector<std::string> args;  // after `fsd simulate CONFIG`
  std::string key;                // what the record depends on (see run_validate's --reuse)
  double wall_s = 0;              // of the simulation (also when reused: from <stem>.done)
  bool reused = false, failed = false;
};

// "<wall_s>\n<key>": the .done file of a step that succeeded.
bool load_done(const fs::path& dir, Step& s) {
  const std::string done = read_text(dir / (s.stem + ".done"));
  const auto newline = done.find('\n');
  if (newline == std::string::npos || done.compare(newline + 1, std::string::npos, s.key) != 0) return false;
  if (!fs::exists(dir / (s.stem + ".json"))) return false;
  s.wall_s = std::atof(done.substr(0, newline).c_str());
  return true;
}

// Runs the steps that are not reused, `jobs` at a time, with a line on stderr as each ends.
void run_steps(std::vector<Step*> steps, const fs::path& dir, int jobs, std::size_t first_number, std::size_t total,
               const std::chrono::steady_clock::time_point& started) {
  const std::string exe = fs::read_symlink("/proc/self/exe").string();
  std::vector<cli::sweep::ProcessJob> to_run;
  std::vector<Step*> running;
  std::size_t number = first_number;
  for (Step* s : steps) {
    if (s->reused) {
      std::fprintf(stderr, "validate: %zu/%zu %s: reused (%.1f s when simulated)\n", number++, total, s->stem.c_str(),
                   s->wall_s);
      continue;
    }
    fs::remove(dir / (s->stem + ".done"));
    std::vector<std::string> argv{exe, "simulate", (dir / (s->stem + ".yaml")).string()};
    argv.insert(argv.end(), s->args.begin(), s->args.end());
    argv.insert(argv.end(), {"--record", (dir / (s->stem + ".json")).string()});
    to_run.push_back({argv, (dir / (s->stem + ".log")).string(), (dir / (s->stem + ".err")).string()});
    running.push_back(s);
  }
  cli::sweep::run_processes(to_run, jobs, [&](std::size_t i, const cli::sweep::ProcessResult& r) {
    Step& s = *running[i];
    s.wall_s = std::round(r.wall_s * 1000) / 1000;  // as <stem>.done keeps it, so a reused table is the same
    s.failed = r.exit_code != 0;
    if (!s.failed) {
      char wall[32];
      std::snprintf(wall, sizeof wall, "%.3f\n", r.wall_s);
      write_file(dir / (s.stem + ".done"), wall + s.key);
      if (fs::file_size(to_run[i].stderr_path) == 0) fs::remove(to_run[i].stderr_path);
    }
    const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr, "validate: %zu/%zu %s: %s in %.1f s (%.1f s CPU), %s elapsed\n", number++, total,
                 s.stem.c_str(), s.failed ? "FAILED" : "simulated", r.wall_s, r.cpu_s,
                 cli::sweep::format_duration(elapsed_s).c_str());
    if (s.failed)
      std::fprintf(stderr, "validate: %s: fsd simulate exited %d%s; see %s\n", s.stem.c_str(), r.exit_code,
                   r.error.empty() ? "" : (" (" + r.error + ")").c_str(), to_run[i].stderr_path.c_str());
  });
}

// Points whose name matches one of the comma-separated regular expressions (searched, ECMAScript).
std::vector<Point> select_points(const std::vector<Point>& all, const std::string& patterns) {
  std::vector<std::regex> res;
  std::istringstream in(patterns);
  for (std::string p; std::getline(in, p, ',');) {
    if (p.empty()) continue;
    try {
      res.emplace_back(p);
    } catch (const std::regex_error& e) {
      throw engine::InputError("--points: '" + p + "' is not a regular expression: " + e.what());
    }
  }
  std::vector<Point> chosen;
  for (const Point& pt : all)
    if (std::any_of(res.begin(), res.end(), [&](const std::regex& re) { return std::regex_search(pt.name, re); }))
      chosen.push_back(pt);
  if (chosen.empty()) throw engine::InputError("--points: no published point matches '" + patterns + "'");
  return chosen;
}

// Runs plots/validate.py on the CSV; a missing matplotlib or a failing script is a note, not a
// failure of the validation.
void plot(const fs::path& csv, const fs::path& prefix) {
  const std::string script = (fs::path(cli::sweep::plots_dir()) / "validate.py").string();
  const std::string log = prefix.string() + ".plot.log";
  int exit_code = 0;
  cli::sweep::run_processes({{{cli::sweep::python_interpreter(), script, csv.string(), prefix.string()}, log, log + ".err"}},
                            1, [&](std::size_t, const cli::sweep::ProcessResult& r) { exit_code = r.exit_code; });
  if (exit_code == 0) {
    std::printf("plot: %s.png\n", prefix.c_str());
    fs::remove(log), fs::remove(log + ".err");
  } else if (exit_code == 3) {
    std::printf("no plot: python3-matplotlib is not installed (the CSV is written)\n");
  } else {
    std::printf("no plot: %s exited %d (see %s.err)\n", script.c_str(), exit_code, log.c_str());
  }
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

int run_validate(const std::vector<std::string>& args) {
  po::options_description opts("fsd validate [options]");
  std::string calibration, shared_data, work_dir, table, points;
  int jobs = 1;
  opts.add_options()("help,h", "this help")(
      "calibration", po::value(&calibration)->default_value("aws-lambda-2024"), "calibration name or file")(
      "shared-data", po::value(&shared_data)->default_value(cost::configs_dir() + "/../../shared/data"),
      "folder with graphchallenge-n1024/")(
      "work-dir", po::value(&work_dir), "where configs, records, validate.csv and validate.png go (default: a new temporary folder)")(
      "table", po::value(&table)->default_value(cli::validate::published_points_path()), "the published points (CSV)")(
      "extrapolate", "also simulate every non-target point (all sizes; information, not targets)")(
      "points", po::value(&points), "only the points whose name matches one of these comma-separated regexes")(
      "reuse", "keep a point's record in --work-dir when its config, calibration and fsd binary are unchanged")(
      "jobs", po::value(&jobs)->default_value(1), "simulations at once");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nBy default the 4 calibration targets (5 simulations, about a minute); --extrapolate: all\n"
                         "35 published points (about half an hour). Prints measured vs simulated values.\n";
    return 0;
  }
  if (jobs < 1) throw engine::InputError("--jobs: expected at least 1, got " + std::to_string(jobs));
  const std::vector<Point> all = cli::validate::read_published_points(table);
  std::vector<Point> chosen;
  if (vm.count("points"))
    chosen = select_points(all, points);
  else
    std::copy_if(all.begin(), all.end(), std::back_inserter(chosen),
                 [&](const Point& p) { return p.target || vm.count("extrapolate"); });
  std::stable_partition(chosen.begin(), chosen.end(), [](const Point& p) { return p.target; });

  const fs::path n1024 = fs::path(shared_data) / "graphchallenge-n1024";
  if (!fs::exists(n1024 / "n1024-l30.mtx")) throw engine::InputError(n1024.string(), 0, "n1024 layers not found");
  const std::string calibration_file = cli::calibration_path(calibration);
  if (!fs::exists(calibration_file)) throw engine::InputError(calibration_file, 0, "calibration not found");
  fs::path dir = work_dir;
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "fsd-validate-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder");
    dir = tmpl;
  }
  fs::create_directories(dir);

  // What a record depends on besides its config: the calibration's text and the simulator binary.
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  const std::string common_key =
      "calibration:\n" + read_text(calibration_file) + "\nfsd: " + exe.string() + " " +
      std::to_string(fs::file_size(exe)) + " " +
      std::to_string(fs::last_write_time(exe).time_since_epoch().count()) + "\n";
  const bool reuse = vm.count("reuse") > 0;
  const std::vector<std::string> cal_args{"--worker", "python", "--calibration", calibration_file};

  Step profile{"profile", cal_args, ""};
  const std::string profile_yaml =
      "model:\n  neurons: 1024\n  layers: 30\n  weights_dir: " + n1024.string() +
      "\n  images_path: " + (n1024 / "sparse-images-1024_subset.mtx").string() +
      "\n  input_count: 1200\n  batch_size: 1200\n"
      "deployment:\n  variant: queue\n  workers: 8\n  launch: {bfr: 8, levels: 1}\n  memory_mb: 1000\n";
  profile.key = profile_yaml + common_key;
  write_file(dir / "profile.yaml", profile_yaml);
  profile.reused = reuse && load_done(dir, profile);

  std::vector<Step> steps;
  for (const Point& p : chosen) {
    const std::string yaml = point_config(p);
    // --past-timeout: the published run finished within Lambda's limit, so whether the simulated
    // one does is for the simulation to say, not for the cost model's up-front estimate.
    std::vector<std::string> a{"--mode", "profile", "--profile", (dir / "profile.json").string(), "--past-timeout"};
    a.insert(a.end(), cal_args.begin(), cal_args.end());
    std::string key = yaml + common_key + "args:";
    for (const std::string& arg : a) key += " " + arg;
    Step s{p.name, a, key + "\nprofile:\n" + profile.key};
    write_file(dir / (p.name + ".yaml"), yaml);
    s.reused = reuse && profile.reused && load_done(dir, s);
    steps.push_back(std::move(s));
  }
  const auto started = std::chrono::steady_clock::now();
  const std::size_t total = 1 + steps.size();
  std::fprintf(stderr, "validate: %zu points (%zu targets), 1 + %zu simulations in %s, %d at a time\n", chosen.size(),
               static_cast<std::size_t>(std::count_if(chosen.begin(), chosen.end(), [](const Point& p) { return p.target; })),
               steps.size(), dir.c_str(), jobs);
  run_steps({&profile}, dir, 1, 1, total, started);
  if (profile.failed) throw std::runtime_error("the density-profile run failed; see " + (dir / "profile.err").string());
  std::vector<Step*> pending;
  for (Step& s : steps) pending.push_back(&s);
  run_steps(pending, dir, jobs, 2, total, started);

  bool targets_met = true;
  int failed = 0;
  std::vector<std::string> csv_lines;
  int time_rows = 0, time_within = 0;
  std::printf("%-26s %-14s %14s %14s %8s  %s\n", "point", "quantity", "measured", "simulated", "error", "target");
  bool info_header = false;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const Point& p = chosen[i];
    const Step& s = steps[i];
    if (!p.target && !info_header) {
      std::printf("other published points (information, not targets):\n");
      info_header = true;
    }
    auto csv = [&](const std::string& quantity, double measured, const std::string& simulated,
                   const std::string& error, const std::string& met, const char* status) {
      csv_lines.push_back(cli::sweep::csv_line({p.name, p.variant, std::to_string(p.neurons), std::to_string(p.workers),
                                                quantity, number_text(measured), simulated, error,
                                                p.target ? "target" : "info", met, status, number_text(s.wall_s)}));
    };
    std::vector<cli::validate::ComparisonRow> rows;
    double coordinator_s = 0;
    std::string failure;
    if (s.failed) {  // the simulation's one-line reason (a worker killed at its timeout, ...) and where to look
      std::ifstream err(dir / (p.name + ".err"));
      std::getline(err, failure);
      failure += " (" + (dir / (p.name + ".err")).string() + ")";
    }
    if (failure.empty()) {
      try {
        const engine::RunRecord r = cli::read_record((dir / (p.name + ".json")).string()).run;
        rows = cli::validate::compare(p, r);
        coordinator_s = r.wall_s;
      } catch (const std::exception& e) {
        failure = e.what();
      }
    }
    if (!failure.empty()) {
      ++failed;
      if (p.target) targets_met = false;
      std::printf("%-26s FAILED: %s\n", p.name.c_str(), failure.c_str());
      csv("batch time s", p.batch_time_s, "", "", p.target ? "no" : "", "failed");
      continue;
    }
    for (const auto& row : rows) {
      if (!row.ok) targets_met = false;
      char target_text[32] = "(info)";
      if (row.tolerance > 0)
        std::snprintf(target_text, sizeof target_text, "±%.0f%% %s", row.tolerance * 100, row.ok ? "ok" : "MISSED");
      std::printf("%-26s %-14s %14.1f %14.1f %+7.1f%%  %s\n", p.name.c_str(), row.quantity.c_str(), row.measured,
                  row.simulated, row.error * 100, target_text);
      csv(row.quantity, row.measured, number_text(row.simulated), number_text(row.error),
          row.tolerance > 0 ? (row.ok ? "yes" : "no") : "", "ok");
    }
    std::printf("%-26s %-14s %14s %14.1f\n", p.name.c_str(), "  coordinator", "", coordinator_s);
    ++time_rows;
    time_within += std::fabs(rows.front().error) <= cli::validate::kTimeTolerance;
  }
  const fs::path csv_path = dir / "validate.csv";
  cli::sweep::write_csv_atomic(csv_path.string(),
                               {"point", "variant", "neurons", "workers", "quantity", "measured", "simulated", "error",
                                "role", "met", "status", "sim_wall_s"},
                               csv_lines);
  std::printf("batch time within 15%%: %d of %d points; table: %s\n", time_within, time_rows, csv_path.c_str());
  plot(csv_path, dir / "validate");
  std::printf("targets %s%s (records and logs in %s)\n", targets_met ? "met" : "NOT met",
              failed ? (", " + std::to_string(failed) + " simulation(s) FAILED").c_str() : "", dir.c_str());
  return targets_met && failed == 0 ? 0 : 1;
}

const cli::RegisterCommand reg{"validate", "compare the simulator with the published FSD-Inference runs", run_validate};
}  // namespace
