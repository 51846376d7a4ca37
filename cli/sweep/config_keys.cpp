#include "cli/sweep/config_keys.hpp"

#include <charconv>
#include <cmath>
#include <functional>
#include <stdexcept>
#include <unordered_map>

namespace cli::sweep {
namespace {

using Setter = std::function<void(Config&, const std::string&)>;

int parse_int(const std::string& v) {
  int x = 0;
  const char* b = v.data() + (!v.empty() && v[0] == '+');
  const auto [end, ec] = std::from_chars(b, v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    throw std::invalid_argument("expected an integer, got '" + v + "'");
  return x;
}

std::uint64_t parse_u64(const std::string& v) {
  std::uint64_t x = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size())
    throw std::invalid_argument("expected a non-negative integer, got '" + v + "'");
  return x;
}

// YAML's plain booleans as the config loader (yaml-cpp) reads them: true/false in any of its spellings.
bool parse_bool(const std::string& v) {
  for (const char* t : {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})
    if (v == t) return true;
  for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"})
    if (v == f) return false;
  throw std::invalid_argument("expected true or false, got '" + v + "'");
}

double parse_double(const std::string& v) {
  double x = 0;
  const char* b = v.data() + (!v.empty() && v[0] == '+');
  const auto [end, ec] = std::from_chars(b, v.data() + v.size(), x);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(x))
    throw std::invalid_argument("expected a number, got '" + v + "'");
  return x;
}

template <class T>
Setter member(T Config::*section, int T::*field) {
  return [=](Config& c, const std::string& v) { (c.*section).*field = parse_int(v); };
}
template <class T>
Setter member(T Config::*section, double T::*field) {
  return [=](Config& c, const std::string& v) { (c.*section).*field = parse_double(v); };
}
template <class T>
Setter member(T Config::*section, std::uint64_t T::*field) {
  return [=](Config& c, const std::string& v) { (c.*section).*field = parse_u64(v); };
}
template <class T>
Setter member(T Config::*section, std::string T::*field) {
  return [=](Config& c, const std::string& v) { (c.*section).*field = v; };
}

// Schema order, as configs/example.yaml lists the keys.
const std::vector<std::pair<std::string, Setter>>& table() {
  using M = ModelConfig;
  using D = DeploymentConfig;
  static const std::vector<std::pair<std::string, Setter>> t = {
      {"model.neurons", member(&Config::model, &M::neurons)},
      {"model.layers", member(&Config::model, &M::layers)},
      {"model.weights_dir", member(&Config::model, &M::weights_dir)},
      {"model.generate_seed", member(&Config::model, &M::generate_seed)},
      {"model.images_path", member(&Config::model, &M::images_path)},
      {"model.fashion_mnist_count", member(&Config::model, &M::fashion_mnist_count)},
      {"model.input_count", member(&Config::model, &M::input_count)},
      {"model.batch_size", member(&Config::model, &M::batch_size)},
      {"model.input_density", member(&Config::model, &M::input_density)},
      {"model.output_density", member(&Config::model, &M::output_density)},
      {"model.nnz_per_row", member(&Config::model, &M::nnz_per_row)},
      {"deployment.variant", member(&Config::deployment, &D::variant)},
      {"deployment.workers", member(&Config::deployment, &D::workers)},
      {"deployment.launch.bfr", [](Config& c, const std::string& v) { c.deployment.launch.bfr = parse_int(v); }},
      {"deployment.launch.levels", [](Config& c, const std::string& v) { c.deployment.launch.levels = parse_int(v); }},
      {"deployment.memory_mb", member(&Config::deployment, &D::memory_mb)},
      {"deployment.timeout_s", member(&Config::deployment, &D::timeout_s)},
      {"deployment.partition.method", [](Config& c, const std::string& v) { c.deployment.partition.method = v; }},
      {"deployment.partition.seed",
       [](Config& c, const std::string& v) { c.deployment.partition.seed = parse_u64(v); }},
      {"deployment.partition.imbalance",
       [](Config& c, const std::string& v) { c.deployment.partition.imbalance = parse_double(v); }},
      {"deployment.instance_type", member(&Config::deployment, &D::instance_type)},
      {"channel.queue.topics", [](Config& c, const std::string& v) { c.channel.queue.topics = parse_int(v); }},
      {"channel.queue.wait_time_s",
       [](Config& c, const std::string& v) { c.channel.queue.wait_time_s = parse_double(v); }},
      {"channel.queue.max_message_bytes",
       [](Config& c, const std::string& v) { c.channel.queue.max_message_bytes = parse_int(v); }},
      {"channel.queue.compression", [](Config& c, const std::string& v) { c.channel.queue.compression = v; }},
      {"channel.queue.compression_level",
       [](Config& c, const std::string& v) { c.channel.queue.compression_level = parse_int(v); }},
      {"channel.object.bucket", [](Config& c, const std::string& v) { c.channel.object.bucket = v; }},
      {"channel.object.poll_interval_s",
       [](Config& c, const std::string& v) { c.channel.object.poll_interval_s = parse_double(v); }},
      {"channel.object.parallel_gets",
       [](Config& c, const std::string& v) { c.channel.object.parallel_gets = parse_int(v); }},
      {"channel.object.parallel_puts",
       [](Config& c, const std::string& v) { c.channel.object.parallel_puts = parse_int(v); }},
      {"channel.object.overlap_gets",
       [](Config& c, const std::string& v) { c.channel.object.overlap_gets = parse_bool(v); }},
      {"channel.object.sleep_after_every_list",
       [](Config& c, const std::string& v) { c.channel.object.sleep_after_every_list = parse_bool(v); }},
      {"workload.arrival.kind", [](Config& c, const std::string& v) { c.workload.arrival.kind = v; }},
      {"workload.arrival.queries_per_day",
       [](Config& c, const std::string& v) { c.workload.arrival.queries_per_day = parse_double(v); }},
      {"workload.arrival.burst_size",
       [](Config& c, const std::string& v) { c.workload.arrival.burst_size = parse_int(v); }},
      {"workload.arrival.burst_gap_s",
       [](Config& c, const std::string& v) { c.workload.arrival.burst_gap_s = parse_double(v); }},
      {"workload.arrival.trace_file", [](Config& c, const std::string& v) { c.workload.arrival.trace_file = v; }},
      {"workload.arrival.trace_function",
       [](Config& c, const std::string& v) { c.workload.arrival.trace_function = v; }},
      {"workload.arrival.seed", [](Config& c, const std::string& v) { c.workload.arrival.seed = parse_u64(v); }},
      {"workload.duration_s", member(&Config::workload, &WorkloadConfig::duration_s)},
      {"workload.max_latency_s", member(&Config::workload, &WorkloadConfig::max_latency_s)},
      {"prices", [](Config& c, const std::string& v) { c.prices = v; }},
      {"calibration", [](Config& c, const std::string& v) { c.calibration = v; }},
      {"profile", [](Config& c, const std::string& v) { c.profile = v; }},
  };
  return t;
}

const std::unordered_map<std::string_view, const Setter*>& index() {
  static const auto m = [] {
    std::unordered_map<std::string_view, const Setter*> m;
    for (const auto& [k, s] : table()) m.emplace(k, &s);
    return m;
  }();
  return m;
}

}  // namespace

bool is_config_key(std::string_view key) { return index().count(key) > 0; }

const std::vector<std::string>& config_keys() {
  static const auto keys = [] {
    std::vector<std::string> k;
    for (const auto& e : table()) k.push_back(e.first);
    return k;
  }();
  return keys;
}

void set_config_key(Config& config, std::string_view key, const std::string& value) {
  const auto it = index().find(key);
  if (it == index().end()) throw std::out_of_range(std::string(key) + ": not a config key");
  (*it->second)(config, value);
}

std::string check_point_rules(Config& c, bool workers_set, bool launch_set) {
  auto& d = c.deployment;
  const long long p = launch_tree_workers(d.launch.bfr, d.launch.levels);
  const std::string tree = "bfr " + std::to_string(d.launch.bfr) + ", " + std::to_string(d.launch.levels) +
                           (d.launch.levels == 1 ? " level" : " levels");
  if (p < 0) return "deployment.launch: launch tree (" + tree + ") has more than 1,000,000 workers";
  if (launch_set && !workers_set) d.workers = static_cast<int>(p);
  if (d.workers != p)
    return "deployment.workers: " + std::to_string(d.workers) + " does not match the launch tree (" + tree +
           " gives P = " + std::to_string(p) + ")";
  if (c.model.nnz_per_row > c.model.neurons) return "model.nnz_per_row: cannot exceed neurons";
  if (c.workload.arrival.kind == "trace" && c.workload.arrival.trace_file.empty())
    return "workload.arrival.kind: trace needs trace_file";
  return "";
}

YAML::Node yaml_with(const YAML::Node& base, const std::vector<std::pair<std::string, std::string>>& assignments) {
  YAML::Node doc = base.IsMap() ? YAML::Clone(base) : YAML::Node(YAML::NodeType::Map);
  bool workers_set = false, launch_set = false;
  for (const auto& [key, value] : assignments) {
    workers_set |= key == "deployment.workers";
    launch_set |= key.rfind("deployment.launch.", 0) == 0;
    // Walk the dotted path, creating maps; node handles alias into doc.
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
      const std::size_t dot = key.find('.', start);
      parts.push_back(key.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    YAML::Node node = doc;
    for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
      if (!node[parts[i]].IsMap()) node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      node.reset(node[parts[i]]);
    }
    node[parts.back()] = value;
  }
  if (launch_set && !workers_set && doc["deployment"].IsMap()) doc["deployment"].remove("workers");
  return doc;
}

std::string emit_yaml(const YAML::Node& node) {
  YAML::Emitter out;
  out << node;
  return std::string(out.c_str()) + "\n";
}

}  // namespace cli::sweep
