// Experiment files: grid expansion order, ranges, linked axes, and one-line errors naming the line.
#include "cli/sweep/experiment.hpp"

#include <doctest/doctest.h>

#include <string>

#include "engine/common/input_error.hpp"

using cli::sweep::parse_experiment;

namespace {
std::string error_of(const std::string& text) {
  try {
    parse_experiment(text, "exp.yaml");
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "(no error)";
}
std::string describe(const cli::sweep::Experiment& e, std::size_t i) {
  std::string s;
  for (const auto* a : e.point(i)) s += a->key + "=" + a->value + " ";
  return s;
}
}  // namespace

TEST_CASE("experiment: a 2×3 grid gives 6 points, first axis slowest") {
  const auto e = parse_experiment(
      "name: t\n"
      "config: ../configs/x.yaml\n"
      "set: {model.layers: 30}\n"
      "grid:\n"
      "  deployment.variant: [queue, object]\n"
      "  deployment.memory_mb: [1000, 2000, 3000]\n",
      "experiments/t.yaml");
  CHECK(e.name == "t");
  CHECK(e.config_path == "configs/x.yaml");
  CHECK_FALSE(e.simulate);
  REQUIRE(e.num_points() == 6);
  CHECK(e.axis_keys() == std::vector<std::string>{"deployment.variant", "deployment.memory_mb"});
  CHECK(describe(e, 0) == "model.layers=30 deployment.variant=queue deployment.memory_mb=1000 ");
  CHECK(describe(e, 1) == "model.layers=30 deployment.variant=queue deployment.memory_mb=2000 ");
  CHECK(describe(e, 3) == "model.layers=30 deployment.variant=object deployment.memory_mb=1000 ");
  CHECK(describe(e, 5) == "model.layers=30 deployment.variant=object deployment.memory_mb=3000 ");
  CHECK(e.point(4)[2]->line == 6);
}

TEST_CASE("experiment: ranges and linked axes") {
  const auto e = parse_experiment(
      "name: r\n"
      "simulate: true\n"
      "simulate_args: [--mode, profile]\n"
      "plots: [a, b]\n"
      "grid:\n"
      "  workload.arrival.queries_per_day: {log_range: [10, 100000, 5]}\n"
      "  model.neurons: {range: [1024, 4096, 1024]}\n"
      "  launch:\n"
      "    - {deployment.workers: 8, deployment.launch.bfr: 8, deployment.launch.levels: 1}\n"
      "    - {deployment.workers: 20, deployment.launch.bfr: 4, deployment.launch.levels: 2}\n"
      "  x: {log_range: [0.5, 2, 3]}\n",
      "exp.yaml");
  CHECK(e.simulate);
  CHECK(e.simulate_args == std::vector<std::string>{"--mode", "profile"});
  CHECK(e.plots == std::vector<std::string>{"a", "b"});
  REQUIRE(e.axes.size() == 4);
  std::vector<std::string> rates;
  for (const auto& c : e.axes[0].choices) rates.push_back(c[0].value);
  CHECK(rates == std::vector<std::string>{"10", "100", "1000", "10000", "100000"});
  std::vector<std::string> sizes;
  for (const auto& c : e.axes[1].choices) sizes.push_back(c[0].value);
  CHECK(sizes == std::vector<std::string>{"1024", "2048", "3072", "4096"});
  CHECK(e.axes[3].choices[1][0].value == "1");  // √(0.5·2)
  CHECK(e.num_points() == 5 * 4 * 2 * 3);
  CHECK(e.axis_keys() == std::vector<std::string>{"workload.arrival.queries_per_day", "model.neurons",
                                                  "deployment.workers", "deployment.launch.bfr",
                                                  "deployment.launch.levels", "x"});
  CHECK(describe(e, 3) ==
        "workload.arrival.queries_per_day=10 model.neurons=1024 deployment.workers=20 deployment.launch.bfr=4 "
        "deployment.launch.levels=2 x=0.5 ");
}

TEST_CASE("experiment: structural errors name the file and line") {
  CHECK(error_of("") == "exp.yaml: empty experiment");
  CHECK(error_of("grid: {a: [1]}\n") == "exp.yaml:1: name: missing (it names the CSV file)");
  CHECK(error_of("name: a/b\ngrid: {a: [1]}\n") ==
        "exp.yaml:1: name: expected letters, digits, '_' or '-' (it names the CSV file)");
  CHECK(error_of("name: t\n") == "exp.yaml:1: grid: missing (the axes to sweep)");
  CHECK(error_of("name: t\ngrid: {a: [1]}\nsimulat: true\n") ==
        "exp.yaml:3: simulat: unknown key (expected name, description, config, set, grid, simulate, simulate_args, "
        "workload_model, profiles or plots)");
  CHECK(error_of("name: t\ngrid: {a: [1]}\nprofiles: measured\n") ==
        "exp.yaml:3: profiles: expected analytic or partitioned, got 'measured'");
  CHECK(error_of("name: t\ngrid:\n  a: []\n") == "exp.yaml:3: grid: a: expected a non-empty list of values");
  CHECK(error_of("name: t\ngrid:\n  a: 5\n") == "exp.yaml:3: grid: a: expected a non-empty list of values");
  CHECK(error_of("name: t\ngrid:\n  a: [1, [2]]\n") == "exp.yaml:3: grid: a: expected a single value, got a list");
  CHECK(error_of("name: t\ngrid:\n  a: {range: [5, 1, 1]}\n") ==
        "exp.yaml:3: grid: a: range: needs from ≤ to and step > 0");
  CHECK(error_of("name: t\ngrid:\n  a: {log_range: [0, 10, 3]}\n") ==
        "exp.yaml:3: grid: a: log_range: needs 0 < from < to and an integer count ≥ 2");
  CHECK(error_of("name: t\ngrid:\n  a: {steps: [1, 2, 3]}\n") ==
        "exp.yaml:3: grid: a: expected {range: [from, to, step]} or {log_range: [from, to, count]}");
  CHECK(error_of("name: t\nset: {a: 1}\ngrid:\n  a: [1, 2]\n") ==
        "exp.yaml:4: a: set more than once (in set: or in two grid axes)");
  CHECK(error_of("name: t\ngrid:\n  l:\n    - {a: 1, b: 2}\n    - {a: 3}\n") ==
        "exp.yaml:5: grid: l: every entry must set the same keys as the first");
  CHECK(error_of("name: t\ngrid:\n  a: {range: [1, 1000000, 1]}\n  b: {range: [1, 1000, 1]}\n") ==
        "exp.yaml:3: grid: 1000000000 points, more than the limit of 100000000");
  CHECK(error_of("name: t\nsimulate: maybe\ngrid: {a: [1]}\n") ==
        "exp.yaml:2: simulate: expected true or false, got 'maybe'");
  CHECK(error_of("name: t\ngrid: {a: [1]}\nplots: [../x]\n") ==
        "exp.yaml:3: plots: expected a plot name (plots/<name>.py)");
  CHECK(error_of("name: t\ngrid: [1, 2\n").rfind("exp.yaml:", 0) == 0);  // YAML syntax error, with a line
}
