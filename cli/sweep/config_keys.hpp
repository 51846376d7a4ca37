// Config keys by dotted name: how a sweep changes one member of cli::Config per grid value
// without re-parsing YAML (a YAML parse costs ~0.2 ms; a plan-only point must cost microseconds).
//
// The names are those of the config schema (cli/config/config.hpp, configs/example.yaml: the
// struct members' names, e.g. "deployment.launch.bfr"). set_config_key() parses the value text as
// the member's type (integers and numbers whole, as YAML would); the value's range and the rules
// between keys are the config loader's (cli/config/config.cpp): sweeps check them with
// check_point_rules() and, per value, by parsing the base config with the value set
// (yaml_with()). tests/sweep/config_keys_test.cpp checks every key against the loader.
// Stateless; thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include "cli/config/config.hpp"

namespace cli::sweep {

bool is_config_key(std::string_view key);
const std::vector<std::string>& config_keys();  // every settable key, in schema order

// Sets `key` to the value written as `value`. Throws std::invalid_argument("expected an integer,
// got 'x'") on a value of the wrong type and std::out_of_range on an unknown key.
void set_config_key(Config& config, std::string_view key, const std::string& value);

// The rules between keys that the loader applies, for a config built with set_config_key():
// P = Σ bfr^l (when `workers_set` is false and a launch key changed, workers is derived instead, as
// the loader does when the key is absent), nnz_per_row ≤ neurons, a trace needs trace_file.
// Returns "" or the problem as "key: what".
std::string check_point_rules(Config& config, bool workers_set, bool launch_set);

// A YAML document: `base` with each dotted key set to its value (maps created as needed); a
// launch key set without deployment.workers removes workers so the loader derives it.
YAML::Node yaml_with(const YAML::Node& base, const std::vector<std::pair<std::string, std::string>>& assignments);
std::string emit_yaml(const YAML::Node& node);

}  // namespace cli::sweep
