// Sweep config keys against the config loader: setting a key by name must give exactly the Config
// the loader gives for the same YAML, for every key (so the fast path cannot drift from the
// schema), and grid validation names the experiment's file and line.
#include "cli/sweep/config_keys.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <set>
#include <string>

#include "cli/config/config.hpp"
#include "cli/sweep/experiment.hpp"
#include "cli/sweep/point_config.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

using namespace cli::sweep;

namespace {

// A valid, non-default value for every key.
const std::map<std::string, std::string> kSamples = {{"model.neurons", "4096"},
                                                     {"model.layers", "480"},
                                                     {"model.weights_dir", "/tmp/w"},
                                                     {"model.generate_seed", "7"},
                                                     {"model.images_path", "/tmp/i.tsv"},
                                                     {"model.fashion_mnist_count", "5"},
                                                     {"model.input_count", "2000"},
                                                     {"model.batch_size", "500"},
                                                     {"model.input_density", "0.2"},
                                                     {"model.output_density", "0.05"},
                                                     {"model.nnz_per_row", "16"},
                                                     {"deployment.variant", "object"},
                                                     {"deployment.workers", "8"},
                                                     {"deployment.launch.bfr", "4"},
                                                     {"deployment.launch.levels", "2"},
                                                     {"deployment.memory_mb", "2048"},
                                                     {"deployment.timeout_s", "60"},
                                                     {"deployment.partition.method", "random"},
                                                     {"deployment.partition.seed", "3"},
                                                     {"deployment.partition.imbalance", "0.1"},
                                                     {"deployment.instance_type", "c5.4xlarge"},
                                                     {"channel.queue.topics", "4"},
                                                     {"channel.queue.wait_time_s", "10"},
                                                     {"channel.queue.max_message_bytes", "65536"},
                                                     {"channel.queue.compression", "none"},
                                                     {"channel.queue.compression_level", "5"},
                                                     {"channel.object.bucket", "b2"},
                                                     {"channel.object.poll_interval_s", "0.5"},
                                                     {"channel.object.parallel_gets", "4"},
                                                     {"channel.object.parallel_puts", "6"},
                                                     {"channel.object.overlap_gets", "true"},
                                                     {"channel.object.sleep_after_every_list", "true"},
                                                     {"workload.arrival.kind", "bursts"},
                                                     {"workload.arrival.queries_per_day", "1234.5"},
                                                     {"workload.arrival.burst_size", "3"},
                                                     {"workload.arrival.burst_gap_s", "60"},
                                                     {"workload.arrival.trace_file", "/tmp/t.csv"},
                                                     {"workload.arrival.trace_function", "abc"},
                                                     {"workload.arrival.seed", "9"},
                                                     {"workload.duration_s", "3600"},
                                                     {"workload.max_latency_s", "30"},
                                                     {"prices", "fsd-paper-2024"},
                                                     {"calibration", "other"},
                                                     {"profile", "p.json"}};

// Dotted leaf keys of a YAML mapping.
void leaves(const YAML::Node& n, const std::string& prefix, std::set<std::string>& out) {
  for (auto it = n.begin(); it != n.end(); ++it) {
    const std::string key = prefix.empty() ? it->first.as<std::string>() : prefix + "." + it->first.as<std::string>();
    if (it->second.IsMap())
      leaves(it->second, key, out);
    else
      out.insert(key);
  }
}

std::string error_of(const std::string& text) {
  try {
    const auto e = parse_experiment(text, "exp.yaml");
    PointConfigs configs(e);
  } catch (const engine::InputError& err) {
    return err.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("config keys: every key sets what the loader reads from the same YAML") {
  REQUIRE(config_keys().size() == kSamples.size());
  for (const auto& key : config_keys()) {
    CAPTURE(key);
    REQUIRE(kSamples.count(key));
    const std::string value = kSamples.at(key);
    cli::Config set = cli::default_config();
    set.path = "x.yaml";
    set_config_key(set, key, value);
    const bool launch = key.rfind("deployment.launch.", 0) == 0;
    CHECK(check_point_rules(set, key == "deployment.workers", launch) == "");
    const cli::Config loaded = cli::parse_config(emit_yaml(yaml_with(YAML::Node(), {{key, value}})), "x.yaml");
    CHECK(set == loaded);
  }
  // A launch key alone: the loader derives P from the tree, and so does the sweep (4 + 16 = 20).
  cli::Config c = cli::default_config();
  set_config_key(c, "deployment.launch.bfr", "4");
  set_config_key(c, "deployment.launch.levels", "2");
  CHECK(check_point_rules(c, false, true) == "");
  CHECK(c.deployment.workers == 20);
}

TEST_CASE("config keys: the table covers every key of configs/example.yaml") {
  const YAML::Node example =
      cost::parse_yaml(cost::read_text_file(std::string(FSD_SOURCE_DIR) + "/configs/example.yaml"), "example.yaml");
  std::set<std::string> keys;
  leaves(example, "", keys);
  for (const auto& k : keys) {
    CAPTURE(k);
    CHECK(is_config_key(k));
  }
}

TEST_CASE("config keys: wrong types and unknown keys") {
  cli::Config c = cli::default_config();
  CHECK_THROWS_WITH_AS(set_config_key(c, "deployment.workers", "8.5"), "expected an integer, got '8.5'",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(set_config_key(c, "model.input_density", "dense"), "expected a number, got 'dense'",
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(set_config_key(c, "deployment.partition.seed", "-1"),
                       "expected a non-negative integer, got '-1'", std::invalid_argument);
  CHECK_THROWS_WITH_AS(set_config_key(c, "channel.object.overlap_gets", "1"), "expected true or false, got '1'",
                       std::invalid_argument);
  CHECK_THROWS_AS(set_config_key(c, "deployment.wokers", "8"), std::out_of_range);
  CHECK(check_point_rules(c, true, false) == "");
  c.deployment.workers = 20;
  CHECK(check_point_rules(c, true, false) ==
        "deployment.workers: 20 does not match the launch tree (bfr 8, 1 level gives P = 8)");
}

TEST_CASE("grid validation: one line naming the experiment file and line") {
  CHECK(error_of("name: t\ngrid:\n  deployment.variant: [queue]\n  deployment.wokers: [8]\n") ==
        "exp.yaml:4: deployment.wokers: not a config key (the keys are listed in configs/example.yaml)");
  CHECK(error_of("name: t\ngrid:\n  deployment.memory_mb: [1000,\n    50]\n") ==
        "exp.yaml:4: deployment.memory_mb: must be in [128, 10240] MB, got 50");
  CHECK(error_of("name: t\ngrid:\n  deployment.workers: [x]\n") ==
        "exp.yaml:3: deployment.workers: expected an integer, got 'x'");
  // The loader's own words after the location (cli/config owns them).
  const std::string bad_variant = error_of("name: t\ngrid:\n  deployment.variant: [queue, lambda]\n");
  CHECK(bad_variant.rfind("exp.yaml:3: deployment.variant: ", 0) == 0);
  CHECK(bad_variant.find("'lambda'") != std::string::npos);
  CHECK(error_of("name: t\nset: {deployment.workers: 20}\ngrid:\n  deployment.variant: [queue]\n") ==
        "exp.yaml:2: deployment.workers: 20 does not match the launch tree (bfr 8, 1 level gives P = 8)");
  CHECK(error_of("name: t\ngrid:\n  deployment.workers: [8, 20]\n  deployment.launch.bfr: [8]\n") ==
        "exp.yaml:3: deployment.workers: 20 does not match the launch tree (bfr 8, 1 level gives P = 8)");
  // A value that needs another key: kind trace is fine when set: gives the trace file.
  CHECK(error_of(
            "name: t\nset: {workload.arrival.trace_file: x.csv}\ngrid:\n  workload.arrival.kind: [poisson, trace]\n") ==
        "(no error)");
  // Valid with the other axes' first values, invalid together: found point by point.
  CHECK(error_of("name: t\ngrid:\n  model.nnz_per_row: [16, 64]\n  model.neurons: [1024, 32]\n") ==
        "exp.yaml:3: point 3 (model.nnz_per_row=64, model.neurons=32): model.nnz_per_row: cannot exceed neurons");
  // A launch tree without workers is fine: P follows from it, as in a config file.
  CHECK(error_of("name: t\ngrid:\n  deployment.launch.bfr: [2, 4]\n  deployment.launch.levels: [1, 3]\n") ==
        "(no error)");
  CHECK(error_of("name: t\nconfig: nowhere.yaml\ngrid: {deployment.workers: [8]}\n")
            .rfind("nowhere.yaml: cannot read", 0) == 0);
}

TEST_CASE("point configs: the config and YAML of a point") {
  const auto e = parse_experiment(
      "name: t\nset: {model.layers: 30}\ngrid:\n  deployment.variant: [queue, object]\n"
      "  launch:\n    - {deployment.launch.bfr: 4, deployment.launch.levels: 2}\n",
      "exp.yaml");
  PointConfigs configs(e);
  const cli::Config c = configs.config(e.point(1));
  CHECK(c.model.layers == 30);
  CHECK(c.deployment.variant == "object");
  CHECK(c.deployment.workers == 20);
  const cli::Config reparsed = cli::parse_config(configs.yaml(e.point(1)), "<embedded>");
  CHECK(reparsed == c);
}
