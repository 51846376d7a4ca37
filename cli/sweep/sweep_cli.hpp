// The command-line side shared by `fsd sweep` and `fsd report`: flags, the path of the running
// `fsd` (children run the same binary), and the one-paragraph summary printed after a sweep.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "cli/sweep/experiment.hpp"
#include "cli/sweep/sweep.hpp"

namespace cli::sweep {

struct SweepCli {
  std::string experiment_path;
  SweepOptions options;
  bool measure_scaling = false;  // fsd sweep --scaling
};

// Parses "EXPERIMENT.yaml [-j N] [--out DIR] [--no-progress] (+ --scaling for sweep)"; prints the
// usage and returns nothing for --help; bad flags throw engine::InputError.
std::optional<SweepCli> parse_sweep_cli(const std::string& command, const std::string& summary,
                                        const std::vector<std::string>& args, bool allow_scaling);

// /proc/self/exe: the fsd binary that is running.
std::string self_exe();

// Loads, runs and prints a summary to `out`.
SweepSummary run_experiment(const Experiment& experiment, const SweepOptions& options, std::FILE* out);

// Runs the experiment's simulated points twice, with -j 1 and -j 2 (fresh folders under
// <out>/scaling/), and prints both wall times and their ratio. Returns the ratio.
double measure_scaling(const Experiment& experiment, const SweepOptions& options, std::FILE* out);

}  // namespace cli::sweep
