// make_figures: runs plots/<plot>.py for each plot an experiment names, turning its CSV into
// <out_dir>/figures/<experiment>-<plot>.png and .svg (just <plot>.png when the names are equal),
// with Debian's python3-matplotlib.
//
// The interpreter is $FSD_PYTHON if set, else /usr/bin/python3 (Debian's, which has matplotlib),
// else python3 from PATH. The scripts are found in $FSD_PLOTS_DIR, else the source tree's plots/.
// A failing script throws std::runtime_error with the first line of its error output.
#pragma once

#include <string>
#include <vector>

#include "cli/sweep/experiment.hpp"

namespace cli::sweep {

std::string plots_dir();
std::string python_interpreter();
// Returns the figure files written (PNG and SVG per plot).
std::vector<std::string> make_figures(const Experiment& experiment, const std::string& csv_path,
                                      const std::string& out_dir);

}  // namespace cli::sweep
