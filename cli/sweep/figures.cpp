#include "cli/sweep/figures.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "cli/sweep/process_pool.hpp"
#include "costmodel/prices.hpp"

namespace cli::sweep {

namespace fs = std::filesystem;

std::string plots_dir() {
  if (const char* d = std::getenv("FSD_PLOTS_DIR"); d && *d) return d;
  return (fs::path(cost::configs_dir()).parent_path() / "plots").string();  // configs/ and plots/ are siblings
}

std::string python_interpreter() {
  if (const char* p = std::getenv("FSD_PYTHON"); p && *p) return p;
  return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

std::vector<std::string> make_figures(const Experiment& experiment, const std::string& csv_path,
                                      const std::string& out_dir) {
  const fs::path figures = fs::path(out_dir) / "figures";
  fs::create_directories(figures);
  std::vector<ProcessJob> jobs;
  for (const auto& plot : experiment.plots) {
    const fs::path script = fs::path(plots_dir()) / (plot + ".py");
    if (!fs::exists(script)) throw std::runtime_error(experiment.path + ": plots: no script " + script.string());
    const std::string stem = plot == experiment.name ? plot : experiment.name + "-" + plot;
    const std::string prefix = (figures / stem).string();
    jobs.push_back({{python_interpreter(), script.string(), csv_path, prefix}, prefix + ".log", prefix + ".log.err"});
  }
  std::vector<std::string> written;
  std::string failure;
  run_processes(jobs, 2, [&](std::size_t i, const ProcessResult& r) {
    const std::string prefix = jobs[i].argv[3];
    if (r.exit_code != 0 && failure.empty()) {
      std::ifstream err(jobs[i].stderr_path);
      std::string line, last;
      while (std::getline(err, line))
        if (!line.empty()) last = line;  // a Python traceback ends with the error itself
      failure = experiment.plots[i] + ".py failed (exit " + std::to_string(r.exit_code) +
                "): " + (r.error.empty() ? last : r.error) + " (log: " + jobs[i].stderr_path + ")";
      return;
    }
    for (const char* ext : {".png", ".svg"}) written.push_back(prefix + ext);
    fs::remove(jobs[i].stdout_path);
    fs::remove(jobs[i].stderr_path);
  });
  if (!failure.empty()) throw std::runtime_error(failure);
  return written;
}

}  // namespace cli::sweep
