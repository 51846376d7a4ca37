// Sweep engine with a stand-in evaluator (the real ones are tested in plan_point_test.cpp):
// row counts, resume skipping exactly the finished rows, retrying failed ones, child processes.
#include "cli/sweep/sweep.hpp"

#include <doctest/doctest.h>

#include "scratch.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "cli/sweep/csv_table.hpp"
#include "cli/sweep/experiment.hpp"
#include "engine/common/input_error.hpp"

namespace fs = std::filesystem;
using namespace cli::sweep;

namespace {

// Output: product of the two axis values; fails on a value named "bad".
struct Product : PointEvaluator {
  std::set<std::size_t> evaluated;
  bool use_jobs = false;
  std::vector<std::string> columns() const override { return {"product"}; }
  void prepare(const Experiment&) override {}
  void evaluate(std::size_t index, const Point& p, std::vector<std::string>& cells) override {
    evaluated.insert(index);
    for (const auto* a : p)
      if (a->value == "bad") throw std::runtime_error("bad value, at " + a->key);
    cells[0] = std::to_string(std::stoi(p[0]->value) * std::stoi(p[1]->value));
  }
  std::optional<ProcessJob> job(std::size_t index, const Point& p, const std::string& dir) override {
    if (!use_jobs) return std::nullopt;
    std::filesystem::create_directories(dir);
    const std::string base = dir + "/" + std::to_string(index);
    // The child prints the product again, plus one: the parent reads it back.
    return ProcessJob{
        {"sh", "-c", "echo $((" + p[0]->value + "*" + p[1]->value + "+1))"}, base + ".out", base + ".err"};
  }
  void absorb(std::size_t, const ProcessJob& job, const ProcessResult& r, std::vector<std::string>& cells) override {
    if (r.exit_code != 0) throw std::runtime_error("exit " + std::to_string(r.exit_code));
    std::ifstream in(job.stdout_path);
    std::string text;
    in >> text;
    cells[0] = text;
  }
};

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fsd_test::scratch_dir() / "test-sweep" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

const char* kGrid = "name: g\ngrid:\n  a: [1, 2]\n  b: [10, 20, 30]\n";

}  // namespace

TEST_CASE("sweep: a 2x3 grid writes exactly 6 rows in grid order") {
  const auto dir = fresh_dir("six");
  const auto e = parse_experiment(kGrid, "g.yaml");
  Product eval;
  const auto sum = run_sweep(e, eval, {.jobs = 1, .out_dir = dir.string(), .progress = false});
  CHECK(sum.points == 6);
  CHECK(sum.evaluated == 6);
  CHECK(sum.skipped == 0);
  const auto t = read_csv(sum.csv_path);
  CHECK(t.header == std::vector<std::string>{"a", "b", "product", "status"});
  REQUIRE(t.rows.size() == 6);
  CHECK(t.rows[0] == std::vector<std::string>{"1", "10", "10", "ok"});
  CHECK(t.rows[2] == std::vector<std::string>{"1", "30", "30", "ok"});
  CHECK(t.rows[5] == std::vector<std::string>{"2", "30", "60", "ok"});
  CHECK_FALSE(fs::exists(sum.csv_path + ".tmp"));
}

TEST_CASE("sweep: resume skips exactly the finished rows and retries failed ones") {
  const auto dir = fresh_dir("resume");
  const std::string csv = (dir / "g.csv").string();
  // An earlier, interrupted run finished (1,10) and (2,20), and (1,30) failed.
  write_csv_atomic(csv, {"a", "b", "product", "status"},
                   {"1,10,10,ok", "2,20,40,ok", "1,30,,\"failed, somehow\"", "9,9,81,ok"});
  const auto e = parse_experiment(kGrid, "g.yaml");
  Product eval;
  const auto sum = run_sweep(e, eval, {.jobs = 1, .out_dir = dir.string(), .progress = false});
  CHECK(sum.skipped == 2);
  CHECK(sum.evaluated == 4);
  CHECK(eval.evaluated == std::set<std::size_t>{1, 2, 3, 5});  // not 0 = (1,10), not 4 = (2,20)
  const auto t = read_csv(csv);
  REQUIRE(t.rows.size() == 7);  // six points, plus the row of a point no longer in the grid, kept last
  CHECK(t.rows[2] == std::vector<std::string>{"1", "30", "30", "ok"});
  CHECK(t.rows[6] == std::vector<std::string>{"9", "9", "81", "ok"});
  // A second resume has nothing left to do.
  Product again;
  const auto sum2 = run_sweep(e, again, {.jobs = 1, .out_dir = dir.string(), .progress = false});
  CHECK(sum2.evaluated == 0);
  CHECK(again.evaluated.empty());
}

TEST_CASE("sweep: a failing point records its reason; a CSV from another experiment is refused") {
  const auto dir = fresh_dir("fail");
  const auto e = parse_experiment("name: g\ngrid:\n  a: [1, bad]\n  b: [2]\n", "g.yaml");
  Product eval;
  const auto sum = run_sweep(e, eval, {.jobs = 1, .out_dir = dir.string(), .progress = false});
  CHECK(sum.failed == 1);
  const auto t = read_csv(sum.csv_path);
  CHECK(t.rows[1].back() == "bad value, at a");
  write_csv_atomic((dir / "g.csv").string(), {"x", "status"}, {"1,ok"});
  try {
    run_sweep(e, eval, {.jobs = 1, .out_dir = dir.string(), .progress = false});
    FAIL("expected an InputError");
  } catch (const engine::InputError& err) {
    CHECK(std::string(err.what()).rfind((dir / "g.csv").string() + ":1: columns differ from experiment g.yaml", 0) ==
          0);
  }
}

TEST_CASE("sweep: child processes run per point and their output is read back") {
  const auto dir = fresh_dir("jobs");
  const auto e = parse_experiment(kGrid, "g.yaml");
  Product eval;
  eval.use_jobs = true;
  const auto sum = run_sweep(e, eval, {.jobs = 2, .out_dir = dir.string(), .progress = false});
  CHECK(sum.jobs_run == 6);
  const auto t = read_csv(sum.csv_path);
  REQUIRE(t.rows.size() == 6);
  CHECK(t.rows[0][2] == "11");
  CHECK(t.rows[4][2] == "41");
  CHECK(t.rows[5][2] == "61");
}

TEST_CASE("process pool: a missing program exits 127 and is reported, others still run") {
  const auto dir = fresh_dir("pool");
  std::vector<ProcessJob> jobs{{{"/nonexistent/prog"}, (dir / "0.out").string(), (dir / "0.err").string()},
                               {{"sh", "-c", "exit 3"}, (dir / "1.out").string(), (dir / "1.err").string()},
                               {{"sh", "-c", "kill -9 $$"}, (dir / "2.out").string(), (dir / "2.err").string()}};
  std::vector<int> codes(3, -1);
  std::string error;
  run_processes(jobs, 2, [&](std::size_t i, const ProcessResult& r) {
    codes[i] = r.exit_code;
    if (i == 0) error = r.error;
  });
  CHECK(codes == std::vector<int>{127, 3, 128 + 9});
  CHECK(error.find("/nonexistent/prog") == 0);
  // A child that computes is charged its CPU time.
  double cpu_s = 0;
  run_processes({{{"sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done"},
                  (dir / "3.out").string(),
                  (dir / "3.err").string()}},
                1, [&](std::size_t, const ProcessResult& r) { cpu_s = r.cpu_s; });
  CHECK(cpu_s > 0.005);
}

TEST_CASE("csv: quoting round-trips and malformed files name the line") {
  const std::vector<std::string> row{"plain", "a,b", "say \"hi\"", "two\nlines", ""};
  const auto t = parse_csv("h1,h2,h3,h4,h5\n" + csv_line(row) + "\n", "x.csv");
  REQUIRE(t.rows.size() == 1);
  CHECK(t.rows[0] == row);
  auto error_of = [](const std::string& text) {
    try {
      parse_csv(text, "x.csv");
    } catch (const engine::InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error_of("") == "x.csv: empty file, expected a header line");
  CHECK(error_of("a,b\n1,2\n1\n") == "x.csv:3: expected 2 fields, got 1");
  CHECK(error_of("a,b\n1,\"2\n") == "x.csv:2: unterminated quoted field");
  CHECK(error_of("a,b\n1,x\"y\n") == "x.csv:2: quote inside an unquoted field");
}
