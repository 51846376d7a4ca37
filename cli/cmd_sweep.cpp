// fsd sweep: evaluate every point of an experiment grid (plan, and optionally simulate) into a CSV.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/sweep/experiment.hpp"
#include "cli/sweep/sweep_cli.hpp"

namespace {

int run_sweep_command(const std::vector<std::string>& args) {
  const auto cli = cli::sweep::parse_sweep_cli(
      "sweep",
      "Runs every point of an experiment grid through the cost model (and `fsd simulate` if the experiment "
      "says so) and writes <out>/<name>.csv; rerunning resumes where it stopped.",
      args, true);
  if (!cli) return 0;
  const auto experiment = cli::sweep::load_experiment(cli->experiment_path);
  if (cli->measure_scaling) {
    cli::sweep::measure_scaling(experiment, cli->options, stdout);
    return 0;
  }
  const auto summary = cli::sweep::run_experiment(experiment, cli->options, stdout);
  return summary.failed ? 1 : 0;
}

const cli::RegisterCommand reg{"sweep", "run an experiment grid (plan, optionally simulate) into a resumable CSV",
                               run_sweep_command};

}  // namespace
