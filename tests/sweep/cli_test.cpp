// fsd sweep and fsd report end to end, as a user runs them: exit codes, the one-line error for a
// bad grid, the CSV, and PNG + SVG figures.
#include <doctest/doctest.h>

#include "scratch.hpp"
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli/sweep/csv_table.hpp"

namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fsd_test::scratch_dir() / "test-sweep-cli" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// Runs `fsd <args>` with stdout and stderr captured; returns the exit status.
int fsd(const std::string& args, const fs::path& dir, std::string* err = nullptr) {
  const std::string cmd =
      std::string(FSD_EXE) + " " + args + " >" + (dir / "out.txt").string() + " 2>" + (dir / "err.txt").string();
  const int status = std::system(cmd.c_str());
  if (err) {
    std::ifstream in(dir / "err.txt");
    std::stringstream ss;
    ss << in.rdbuf();
    *err = ss.str();
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

}  // namespace

TEST_CASE("fsd sweep: a grid to CSV, then a bad grid is one line and exit 2") {
  const auto dir = fresh_dir("sweep");
  write(dir / "e.yaml",
        "name: e\ngrid:\n  deployment.variant: [serial, queue, server_job_scoped]\n"
        "  workload.arrival.queries_per_day: [10, 1000]\n");
  CHECK(fsd("sweep " + (dir / "e.yaml").string() + " --out " + (dir / "res").string(), dir) == 0);
  const auto t = cli::sweep::read_csv((dir / "res" / "e.csv").string());
  CHECK(t.rows.size() == 6);
  write(dir / "bad.yaml", "name: bad\ngrid:\n  deployment.variant: [queue]\n  deployment.memory_mb: [64]\n");
  std::string err;
  CHECK(fsd("sweep " + (dir / "bad.yaml").string() + " --out " + (dir / "res").string(), dir, &err) == 2);
  CHECK(err ==
        "fsd sweep: " + (dir / "bad.yaml").string() + ":4: deployment.memory_mb: must be in [128, 10240] MB, got 64\n");
  CHECK_FALSE(fs::exists(dir / "res" / "bad.csv"));
  CHECK(fsd("sweep " + (dir / "e.yaml").string() + " -j 0", dir, &err) == 2);
  CHECK(err == "fsd sweep: -j must be ≥ 1\n");
}

TEST_CASE("fsd report: CSV and figures (PNG and SVG)") {
  const auto dir = fresh_dir("report");
  write(dir / "r.yaml",
        "name: r\nconfig: " + std::string(FSD_SOURCE_DIR) +
            "/configs/default.yaml\n"
            "grid:\n  deployment.variant: [serial, queue, object, server_always_on, server_job_scoped]\n"
            "  workload.arrival.queries_per_day: {log_range: [1, 1000000, 4]}\nplots: [sporadic]\n");
  CHECK(fsd("report " + (dir / "r.yaml").string() + " --out " + (dir / "res").string(), dir) == 0);
  for (const char* ext : {"png", "svg"}) {
    const fs::path f = dir / "res" / "figures" / (std::string("r-sporadic.") + ext);
    CAPTURE(f);
    REQUIRE(fs::exists(f));
    CHECK(fs::file_size(f) > 1000);
  }
  std::ifstream png(dir / "res" / "figures" / "r-sporadic.png", std::ios::binary);
  char magic[4] = {};
  png.read(magic, 4);
  CHECK(std::string(magic + 1, 3) == "PNG");
  // A plot that cannot find its columns fails the report with the script's one-line reason.
  write(dir / "p.yaml", "name: p\ngrid:\n  deployment.variant: [queue]\nplots: [p_sweep]\n");
  std::string err;
  CHECK(fsd("report " + (dir / "p.yaml").string() + " --out " + (dir / "res").string(), dir, &err) == 1);
  CHECK(err.find("p_sweep.py failed (exit 2)") != std::string::npos);
  CHECK(err.find("missing column(s) model.neurons") != std::string::npos);
}
