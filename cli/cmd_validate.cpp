// fsd validate: compares the simulator with the published FSD-Inference runs (Oakley &
// Ferhatosmanoglu, ICDE 2024: 1024 neurons, 120 layers, 10,000 images in one batch, 1000 MB
// functions, Python workers with zlib level 3) and prints, per point, measured vs simulated
// per-worker batch time and request counts with the relative error.
//
// Steps, each `fsd simulate` in its own process (one SimGrid simulation per process):
//  1. an exact simulation of the shared 30 official n1024 layers on the 1200 shared images gives
//     the activation-density profile (later layers repeat the last density, which has settled);
//  2. each published point in profile mode with the Python worker calibration, on a generated
//     1024 × 120 network of the same structure (32 nonzeros per row and column) and our
//     hypergraph partition (the authors' partitions are not published).
// Exit 0 when every point meets the targets (time within 15%, each request count within 10%),
// 1 otherwise. Bytes are printed for information (our zstd payloads are not their zlib ones).
// --extrapolate also simulates the authors' other 1024-neuron points (their spreadsheet, not the
// issue's targets) and prints them "(info)": they never change the exit status.
#include <boost/program_options.hpp>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "cli/record/run_record_json.hpp"
#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace {
namespace po = boost::program_options;
namespace fs = std::filesystem;

struct Count {
  const char* name;
  double measured;
  bool is_request_count;  // targets apply to request counts only
};

struct Point {
  const char* name;
  const char* variant;
  int bfr, levels;
  double batch_time_s;
  std::vector<Count> counts;
  bool target = true;  // false: out of sample, printed for information
};

// The published runs (issue 6, from the FSD-Inference paper's evaluation).
const std::vector<Point>& published() {
  static const std::vector<Point> points{
      {"queue P=8", "queue", 8, 1, 63.5,
       {{"publish calls", 1102, true}, {"messages", 6774, true}, {"polls", 4318, true}, {"bytes", 104131260, false}}},
      {"queue P=20", "queue", 4, 2, 93.6,
       {{"publish calls", 4866, true}, {"messages", 44257, true}, {"polls", 16676, true}, {"bytes", 294023520, false}}},
      {"object P=8", "object", 8, 1, 58.2,
       {{"PUT", 6452, true}, {"GET", 6450, true}, {"LIST", 1615, true}, {"bytes written", 240694300, false}}},
      {"object P=20", "object", 4, 2, 67.9,
       {{"PUT", 43790, true}, {"GET", 43785, true}, {"LIST", 4403, true}, {"bytes written", 449245400, false}}},
  };
  return points;
}

// The authors' other 1024-neuron, 10,000-image points: github.com/Joe-Oakley/FSD-Inference-ICDE-2024,
// resources/"FSD-Inference Experimental Results and Cost Model (ICDE 2024).xlsx", sheets "Metric
// Reports Pub-Sub MQ" (c4, c5) and "Metric Reports Object Storage" (c2, c4, c5): per-worker time =
// METRIC_ELAPSED_TIME_BATCH (or _TOTAL) / workers; PUT, GET, LIST = S3_NUM_WRITES, _READS, _FOLDER_SCANS.
const std::vector<Point>& out_of_sample() {
  static const std::vector<Point> points{
      {"queue P=42", "queue", 6, 2, 4456.3193 / 42,
       {{"publish calls", 21000, true}, {"messages", 191780, true}, {"polls", 41145, true}}, false},
      {"queue P=62", "queue", 2, 5, 7921.634 / 62,
       {{"publish calls", 40320, true}, {"messages", 365025, true}, {"polls", 77439, true}}, false},
      {"object P=12", "object", 3, 2, 729.85254 / 12, {{"PUT", 15250, true}, {"GET", 15246, true}, {"LIST", 2434, true}}, false},
      {"object P=42", "object", 6, 2, 4422.969 / 42, {{"PUT", 191257, true}, {"GET", 191225, true}, {"LIST", 14456, true}}, false},
      {"object P=62", "object", 2, 5, 7867.444 / 62, {{"PUT", 364521, true}, {"GET", 364449, true}, {"LIST", 23178, true}}, false},
  };
  return points;
}

int workers_of(int bfr, int levels) {
  int workers = 0, level_size = 1;
  for (int l = 1; l <= levels; ++l) workers += (level_size *= bfr);
  return workers;
}

// The published object worker (sds_inf_object_worker.py) as it runs: it PUTs a layer's objects
// from a pool of ThreadPoolExecutor() threads, min(32, os.cpu_count() + 4), and GETs from another
// in the background of its "LIST, queue the GETs, sleep 0.1 s" loop, sleeping after the LIST that
// completes the layer too. os.cpu_count() is 2 on Lambda up to 3008 MB (github.com/rwnx/
// lambda-cpuinfo), then ceil(memory_mb / 1769): 6 threads at 1000-2000 MB, 7 at 4000 MB. Not fitted.
// (Until session 4 a stand-in, P - 1 requests at once without overlap, kept the workers in step
// where S3's service times had no tail; docs/SIMULATOR.md, "Object variant".)
std::string python_object_requests(const Point& p, int memory_mb) {
  if (std::string(p.variant) != "object") return "";
  const int cpu_count = std::max(2, (memory_mb + 1768) / 1769);
  const std::string pool = std::to_string(std::min(32, cpu_count + 4));
  return "channel:\n  object: {parallel_gets: " + pool + ", parallel_puts: " + pool +
         ", overlap_gets: true, sleep_after_every_list: true}\n";
}

double simulated_count(const engine::RunRecord& r, const std::string& name) {
  const auto& u = r.usage;
  if (name == "publish calls") return static_cast<double>(u.sns_publish_requests);
  if (name == "messages") return static_cast<double>(u.sns_messages);
  if (name == "polls") return static_cast<double>(u.sqs_receive_requests);
  if (name == "bytes") return static_cast<double>(u.sns_payload_bytes);
  if (name == "PUT") return static_cast<double>(u.s3_put_requests);
  if (name == "GET") return static_cast<double>(u.s3_get_requests);
  if (name == "LIST") return static_cast<double>(u.s3_list_requests);
  if (name == "bytes written") return static_cast<double>(u.s3_put_bytes);
  throw std::logic_error("validate: unknown count " + name);
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// Runs `fsd simulate ARGS` in a child process; throws if it fails.
void simulate(const std::string& args, const fs::path& log) {
  const std::string exe = fs::read_symlink("/proc/self/exe").string();
  const std::string cmd = "'" + exe + "' simulate " + args + " > '" + log.string() + "' 2>&1";
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("fsd simulate failed; see " + log.string());
}

int run_validate(const std::vector<std::string>& args) {
  po::options_description opts("fsd validate [options]");
  std::string calibration, shared_data, work_dir;
  opts.add_options()("help,h", "this help")(
      "calibration", po::value(&calibration)->default_value("aws-lambda-2024"), "calibration name or file")(
      "shared-data", po::value(&shared_data)->default_value(cost::configs_dir() + "/../../shared/data"),
      "folder with graphchallenge-n1024/")(
      "work-dir", po::value(&work_dir), "where configs and records go (default: a new temporary folder)")(
      "extrapolate", "also simulate the authors' other 1024-neuron points (information, not targets)");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nRuns 5 simulations (about a minute; --extrapolate: 10, several minutes) and prints\n"
                         "measured vs simulated values.\n";
    return 0;
  }
  const fs::path n1024 = fs::path(shared_data) / "graphchallenge-n1024";
  if (!fs::exists(n1024 / "n1024-l30.mtx")) throw engine::InputError(n1024.string(), 0, "n1024 layers not found");
  fs::path dir = work_dir;
  if (dir.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "fsd-validate-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("cannot create a temporary folder");
    dir = tmpl;
  }
  fs::create_directories(dir);
  const std::string cal = "--calibration '" + calibration + "'";

  std::vector<Point> points = published();
  if (vm.count("extrapolate")) points.insert(points.end(), out_of_sample().begin(), out_of_sample().end());
  const int steps = 1 + static_cast<int>(points.size());
  std::fprintf(stderr, "validate: 1/%d exact run of the 30 shared layers (density profile) in %s\n", steps,
               dir.c_str());
  write_file(dir / "profile.yaml", "model:\n  neurons: 1024\n  layers: 30\n  weights_dir: " + n1024.string() +
                                       "\n  images_path: " + (n1024 / "sparse-images-1024_subset.mtx").string() +
                                       "\n  input_count: 1200\n  batch_size: 1200\n"
                                       "deployment:\n  variant: queue\n  workers: 8\n  launch: {bfr: 8, levels: 1}\n"
                                       "  memory_mb: 1000\n");
  simulate("'" + (dir / "profile.yaml").string() + "' --worker python " + cal + " --record '" +
               (dir / "profile.json").string() + "'",
           dir / "profile.log");

  bool all_ok = true;
  std::printf("%-12s %-14s %14s %14s %8s  %s\n", "point", "quantity", "measured", "simulated", "error", "target");
  int step = 2;
  bool header_printed = false;
  for (const Point& p : points) {
    std::fprintf(stderr, "validate: %d/%d %s\n", step++, steps, p.name);
    if (!p.target && !header_printed) {
      std::printf("out of sample (the authors' spreadsheet; information, not targets):\n");
      header_printed = true;
    }
    const std::string stem = std::string(p.variant) + "-" + std::to_string(p.bfr) + "-" + std::to_string(p.levels);
    const int workers = workers_of(p.bfr, p.levels);
    write_file(dir / (stem + ".yaml"),
               "model:\n  neurons: 1024\n  layers: 120\n  generate_seed: 1\n  input_count: 10000\n"
               "  batch_size: 10000\n  input_density: 0.1\n"
               "deployment:\n  variant: " + std::string(p.variant) + "\n  workers: " + std::to_string(workers) +
                   "\n  launch: {bfr: " + std::to_string(p.bfr) + ", levels: " + std::to_string(p.levels) +
                   "}\n  memory_mb: 1000\n" + python_object_requests(p, 1000));
    simulate("'" + (dir / (stem + ".yaml")).string() + "' --mode profile --worker python " + cal + " --profile '" +
                 (dir / "profile.json").string() + "' --record '" + (dir / (stem + ".json")).string() + "'",
             dir / (stem + ".log"));
    const engine::RunRecord r = cli::read_record((dir / (stem + ".json")).string()).run;
    double mean_worker_s = 0;
    for (const auto& w : r.worker_records) mean_worker_s += (w.end_s - w.start_s) / r.worker_records.size();
    auto row = [&](const char* quantity, double measured, double simulated, double target) {
      const double error = (simulated - measured) / measured;
      const bool ok = target <= 0 || std::fabs(error) <= target;
      if (!ok) all_ok = false;
      char target_text[32] = "(info)";
      if (target > 0) std::snprintf(target_text, sizeof target_text, "±%.0f%% %s", target * 100, ok ? "ok" : "MISSED");
      std::printf("%-12s %-14s %14.1f %14.1f %+7.1f%%  %s\n", p.name, quantity, measured, simulated, error * 100,
                  target_text);
    };
    row("batch time s", p.batch_time_s, mean_worker_s, p.target ? 0.15 : 0);
    std::printf("%-12s %-14s %14s %14.1f\n", p.name, "  coordinator", "", r.wall_s);
    for (const Count& c : p.counts)
      row(c.name, c.measured, simulated_count(r, c.name), p.target && c.is_request_count ? 0.10 : 0);
  }
  std::printf("targets %s (records and logs in %s)\n", all_ok ? "met" : "NOT met", dir.c_str());
  return all_ok ? 0 : 1;
}

const cli::RegisterCommand reg{"validate", "compare the simulator with the published FSD-Inference runs", run_validate};
}  // namespace
