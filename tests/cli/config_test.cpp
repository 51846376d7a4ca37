// Strict deployment config parsing: the shipped configs load, defaults agree with
// configs/default.yaml, and every kind of bad input gives one "path:line: key: problem" line.
#include "cli/config/config.hpp"

#include <doctest/doctest.h>

#include "scratch.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "engine/common/input_error.hpp"

namespace {
const std::string kConfigs = std::string(FSD_SOURCE_DIR) + "/configs/";

// The message of the InputError that parsing `text` throws ("" if it does not throw).
std::string error_of(const std::string& text) {
  try {
    cli::parse_config(text, "t.yaml");
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "";
}
cli::Config without_path(cli::Config c) {
  c.path.clear();
  return c;
}
}  // namespace

TEST_CASE("config: configs/default.yaml spells out exactly the struct defaults") {
  CHECK(without_path(cli::load_config(kConfigs + "default.yaml")) == without_path(cli::default_config()));
  CHECK(cli::default_config().path == "<embedded>");
}

TEST_CASE("config: configs/example.yaml lists the defaults (commented keys aside)") {
  CHECK(without_path(cli::load_config(kConfigs + "example.yaml")) == without_path(cli::default_config()));
}

TEST_CASE("config: the Graph Challenge configs load with their launch trees") {
  struct Want {
    const char* file;
    int neurons, layers, workers, bfr, levels;
  };
  for (const Want w : {Want{"n1024.yaml", 1024, 120, 8, 8, 1}, Want{"n4096.yaml", 4096, 120, 20, 4, 2},
                       Want{"n16384.yaml", 16384, 120, 42, 6, 2}, Want{"n65536.yaml", 65536, 120, 84, 4, 3}}) {
    CAPTURE(w.file);
    const cli::Config c = cli::load_config(kConfigs + w.file);
    CHECK(c.model.neurons == w.neurons);
    CHECK(c.model.layers == w.layers);
    CHECK(c.deployment.workers == w.workers);
    CHECK(c.deployment.launch.bfr == w.bfr);
    CHECK(c.deployment.launch.levels == w.levels);
  }
}

TEST_CASE("config: values are read into the right members") {
  const cli::Config c = cli::parse_config(R"(
model: {neurons: 4096, layers: 7, batch_size: 250, input_density: 0.25}
deployment:
  variant: object
  launch: {bfr: 2, levels: 5}
  memory_mb: 3008
  partition: {method: random, seed: 9}
channel:
  object: {poll_interval_s: 0.5}
workload:
  arrival: {queries_per_day: 12.5}
  max_latency_s: 30
prices: fsd-paper-2024
profile: some.json
)",
                                          "t.yaml");
  CHECK(c.model.neurons == 4096);
  CHECK(c.model.layers == 7);
  CHECK(c.model.batch_size == 250);
  CHECK(c.model.input_density == 0.25);
  CHECK(c.deployment.variant == "object");
  CHECK(c.deployment.workers == 62);  // omitted: 2 + 4 + 8 + 16 + 32 from the launch tree
  CHECK(c.deployment.memory_mb == 3008);
  CHECK(c.deployment.partition.method == "random");
  CHECK(c.deployment.partition.seed == 9);
  CHECK(c.channel.object.poll_interval_s == 0.5);
  CHECK(c.channel.queue.topics == 8);  // untouched default
  CHECK(c.workload.arrival.queries_per_day == 12.5);
  CHECK(c.workload.max_latency_s == 30);
  CHECK(c.prices == "fsd-paper-2024");
  CHECK(c.profile == "some.json");
}

TEST_CASE("config: launch tree sizes") {
  CHECK(cli::launch_tree_workers(8, 1) == 8);
  CHECK(cli::launch_tree_workers(4, 2) == 20);
  CHECK(cli::launch_tree_workers(6, 2) == 42);
  CHECK(cli::launch_tree_workers(2, 5) == 62);
  CHECK(cli::launch_tree_workers(4, 3) == 84);
  CHECK(cli::launch_tree_workers(1000, 3) == -1);  // beyond a million workers
}

TEST_CASE("config: unknown key names file, line and dotted key") {
  CHECK(error_of("model:\n  neurons: 1024\ndeployment:\n  workerz: 8\n") ==
        "t.yaml:4: deployment.workerz: unknown key");
  CHECK(error_of("modle: {}\n") == "t.yaml:1: modle: unknown key");
  CHECK(error_of("channel:\n  queue:\n    topic: 3\n") == "t.yaml:3: channel.queue.topic: unknown key");
}

TEST_CASE("config: wrong types") {
  CHECK(error_of("model:\n  neurons: many\n") == "t.yaml:2: model.neurons: expected an integer, got 'many'");
  CHECK(error_of("model:\n  neurons: 10.5\n") == "t.yaml:2: model.neurons: expected an integer, got '10.5'");
  CHECK(error_of("deployment: 5\n") == "t.yaml:1: deployment: expected a mapping, got '5'");
  CHECK(error_of("workload:\n  duration_s: [1, 2]\n") ==
        "t.yaml:2: workload.duration_s: expected a number, got a list");
  CHECK(error_of("deployment:\n  variant: {a: 1}\n") ==
        "t.yaml:2: deployment.variant: expected a string, got a mapping");
  CHECK(error_of("model:\n  neurons:\n") == "t.yaml:2: model.neurons: expected a value, got nothing");
}

TEST_CASE("config: zero and negative sizes") {
  CHECK(error_of("model:\n  layers: 0\n") == "t.yaml:2: model.layers: must be > 0, got 0");
  CHECK(error_of("model:\n  batch_size: -3\n") == "t.yaml:2: model.batch_size: must be > 0, got -3");
  CHECK(error_of("\ndeployment:\n  memory_mb: -5\n") ==
        "t.yaml:3: deployment.memory_mb: must be in [128, 10240] MB, got -5");
  CHECK(error_of("deployment:\n  launch: {bfr: 0, levels: 1}\n") ==
        "t.yaml:2: deployment.launch.bfr: must be > 0, got 0");
  CHECK(error_of("workload:\n  arrival:\n    queries_per_day: 0\n") ==
        "t.yaml:3: workload.arrival.queries_per_day: must be > 0, got 0");
  CHECK(error_of("channel:\n  queue: {max_message_bytes: 300000}\n") ==
        "t.yaml:2: channel.queue.max_message_bytes: must be in [1024, 262144] bytes, got 300000");
}

TEST_CASE("config: workers must match the launch tree") {
  CHECK(error_of("deployment:\n  workers: 9\n  launch: {bfr: 8, levels: 1}\n") ==
        "t.yaml:2: deployment.workers: 9 does not match the launch tree (bfr 8, 1 level gives P = 8)");
  CHECK(error_of("deployment:\n  launch: {bfr: 4, levels: 2}\n  workers: 8\n") ==
        "t.yaml:3: deployment.workers: 8 does not match the launch tree (bfr 4, 2 levels gives P = 20)");
  CHECK(error_of("model: {neurons: 16, nnz_per_row: 8}\ndeployment:\n  launch: {bfr: 4, levels: 2}\n") ==
        "t.yaml:3: deployment.launch: P = 20 workers exceed model.neurons = 16");
  CHECK(error_of("model: {neurons: 4, nnz_per_row: 4}\n") ==
        "t.yaml:1: deployment.workers: the default P = 8 workers exceed model.neurons = 4");
  CHECK(error_of("deployment:\n  launch: {bfr: 1000, levels: 3}\n").find("more than 1,000,000 workers") !=
        std::string::npos);
}

TEST_CASE("config: enumerations and exclusive keys") {
  CHECK(error_of("deployment:\n  variant: lambda\n") ==
        "t.yaml:2: deployment.variant: expected serial | queue | object | server_always_on | server_job_scoped, got "
        "'lambda'");
  CHECK(error_of("deployment:\n  partition: {method: metis}\n") ==
        "t.yaml:2: deployment.partition.method: expected contiguous | random | hypergraph, got 'metis'");
  CHECK(error_of("model: {weights_dir: w, generate_seed: 3}\n") ==
        "t.yaml:1: model.generate_seed: give weights_dir or generate_seed, not both");
  CHECK(error_of("workload:\n  arrival: {kind: trace}\n") == "t.yaml:2: workload.arrival.kind: trace needs trace_file");
}

TEST_CASE("config: malformed YAML and empty files") {
  CHECK(error_of("model: {neurons: 1024\n").rfind("t.yaml:", 0) == 0);
  CHECK(error_of("model: {neurons: 1024\n").find("invalid YAML") != std::string::npos);
  CHECK(error_of("") == "t.yaml: empty config");
  CHECK(error_of("- a\n- b\n") == "t.yaml:1: expected a mapping of keys");
  CHECK_THROWS_AS(cli::load_config("/nonexistent/x.yaml"), engine::InputError);
}

TEST_CASE("config: fsd plan reports a bad config in one line and exits 2") {
  const std::string path = fsd_test::scratch("cli_config_test_bad.yaml");
  std::ofstream(path) << "deployment:\n  workers: 9\n";
  const std::string err = path + ".err";
  const int status = std::system((std::string(FSD_EXE) + " plan " + path + " > /dev/null 2> " + err).c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  std::ifstream in(err);
  std::string line, rest;
  std::getline(in, line);
  CHECK(line ==
        "fsd plan: " + path + ":2: deployment.workers: 9 does not match the launch tree (bfr 8, 1 level gives P = 8)");
  CHECK(!std::getline(in, rest));  // exactly one line
  std::remove(path.c_str());
  std::remove(err.c_str());
}
