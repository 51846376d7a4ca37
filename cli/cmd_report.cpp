// fsd report: an experiment end to end — the sweep (resumed if its CSV exists), then its figures.
#include <cstdio>

#include "cli/command.hpp"
#include "cli/sweep/experiment.hpp"
#include "cli/sweep/figures.hpp"
#include "cli/sweep/sweep_cli.hpp"

namespace {

int run_report(const std::vector<std::string>& args) {
  const auto cli = cli::sweep::parse_sweep_cli(
      "report", "Runs an experiment (like fsd sweep) and turns its CSV into the figures it lists (PNG and SVG).", args,
      false);
  if (!cli) return 0;
  const auto experiment = cli::sweep::load_experiment(cli->experiment_path);
  const auto summary = cli::sweep::run_experiment(experiment, cli->options, stdout);
  const auto figures = cli::sweep::make_figures(experiment, summary.csv_path, cli->options.out_dir);
  for (const auto& f : figures) std::printf("figure: %s\n", f.c_str());
  return summary.failed ? 1 : 0;
}

const cli::RegisterCommand reg{"report", "run an experiment end to end: sweep CSV and figures (PNG, SVG)", run_report};

}  // namespace
