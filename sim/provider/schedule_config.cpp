// load_schedule_config: strict YAML reading with "path:line: key: problem" errors.
#include "sim/provider/schedule_config.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <filesystem>
#include <initializer_list>
#include <set>

#include "engine/common/input_error.hpp"

namespace provider {
namespace {

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const YAML::Node& n, const std::string& key, const std::string& what) const {
    throw engine::InputError(path_, n.Mark().line >= 0 ? std::size_t(n.Mark().line) + 1 : 0, key + ": " + what);
  }

  // Map node `n` (named `where`) may only hold `keys`.
  void only(const YAML::Node& n, const std::string& where, std::initializer_list<const char*> keys) const {
    if (!n.IsMap()) fail(n, where, "expected a mapping");
    std::set<std::string> allowed(keys.begin(), keys.end());
    for (const auto& kv : n) {
      const auto key = kv.first.as<std::string>();
      if (!allowed.count(key)) fail(kv.first, where.empty() ? key : where + "." + key, "unknown key");
    }
  }

  template <class T>
  void get(const YAML::Node& map, const char* key, const std::string& where, T& out) const {
    const YAML::Node n = map[key];
    if (!n) return;
    const std::string name = where.empty() ? key : where + "." + key;
    if (!n.IsScalar()) fail(n, name, "expected a value");
    try {
      out = n.as<T>();
    } catch (const YAML::Exception&) {
      fail(n, name, "cannot read '" + n.Scalar() + "'");
    }
    if constexpr (std::is_floating_point_v<T>)
      if (!std::isfinite(out)) fail(n, name, "must be finite");
  }

  template <class T>
  void positive(const YAML::Node& map, const char* key, const std::string& where, T& out) const {
    get(map, key, where, out);
    if (!(out > 0)) fail(map[key] ? map[key] : map, where.empty() ? key : where + "." + key, "must be > 0");
  }

  template <class T>
  void non_negative(const YAML::Node& map, const char* key, const std::string& where, T& out) const {
    get(map, key, where, out);
    if (!(out >= 0)) fail(map[key] ? map[key] : map, where.empty() ? key : where + "." + key, "must be ≥ 0");
  }

  std::string path_value(const YAML::Node& map, const char* key, const std::string& where) const {
    std::string v;
    get(map, key, where, v);
    if (v.empty()) return v;
    const std::filesystem::path p(v);
    return p.is_absolute() ? v : (std::filesystem::path(path_).parent_path() / p).lexically_normal().string();
  }

 private:
  std::string path_;
};

}  // namespace

ScheduleConfig load_schedule_config(const std::string& path) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw engine::InputError(path, 0, "cannot open config file");
  } catch (const YAML::Exception& e) {
    throw engine::InputError(path, std::size_t(e.mark.line) + 1, e.msg);
  }
  const Reader r(path);
  ScheduleConfig c;
  c.path = path;
  if (!root.IsMap()) throw engine::InputError(path, 0, "expected a mapping at the top level");
  r.only(root, "",
         {"cluster", "trace", "images", "rollout", "containers", "policy", "training", "sample_interval_s", "seed"});

  if (const auto n = root["cluster"]) {
    r.only(n, "cluster", {"servers", "vcpus", "memory_mb", "bandwidth_mb_per_s", "cache_mb"});
    r.positive(n, "servers", "cluster", c.cluster.servers);
    r.positive(n, "vcpus", "cluster", c.cluster.vcpus);
    r.positive(n, "memory_mb", "cluster", c.cluster.memory_mb);
    r.positive(n, "bandwidth_mb_per_s", "cluster", c.cluster.bandwidth_mb_per_s);
    r.non_negative(n, "cache_mb", "cluster", c.cluster.cache_mb);
  }
  if (const auto n = root["trace"]) {
    r.only(n, "trace", {"dir", "start_minute", "minutes", "scale", "seed"});
    c.trace.dir = r.path_value(n, "dir", "trace");
    r.non_negative(n, "start_minute", "trace", c.trace.start_minute);
    r.positive(n, "minutes", "trace", c.trace.minutes);
    r.positive(n, "scale", "trace", c.trace.scale);
    r.get(n, "seed", "trace", c.trace.seed);
  }
  if (c.trace.dir.empty()) throw engine::InputError(path, 0, "trace.dir: required");
  if (const auto n = root["images"]) {
    r.only(n, "images", {"block_kb", "source", "graphchallenge", "synthetic", "seed"});
    r.positive(n, "block_kb", "images", c.images.block_kb);
    if (c.images.block_kb < 32 || c.images.block_kb > 1024)
      r.fail(n["block_kb"], "images.block_kb", "must be 32..1024");
    r.get(n, "source", "images", c.images.source);
    if (c.images.source != "graphchallenge" && c.images.source != "synthetic")
      r.fail(n["source"], "images.source", "expected graphchallenge or synthetic");
    r.get(n, "seed", "images", c.images.seed);
    if (const auto g = n["graphchallenge"]) {
      r.only(g, "images.graphchallenge", {"dir", "layers", "retrained_layers"});
      c.images.graphchallenge_dir = r.path_value(g, "dir", "images.graphchallenge");
      r.positive(g, "layers", "images.graphchallenge", c.images.layers);
      r.non_negative(g, "retrained_layers", "images.graphchallenge", c.images.retrained_layers);
      if (c.images.retrained_layers > c.images.layers)
        r.fail(g, "images.graphchallenge.retrained_layers", "must be ≤ layers");
    }
    if (const auto s = n["synthetic"]) {
      r.only(s, "images.synthetic", {"size_mb", "shared_fraction"});
      r.positive(s, "size_mb", "images.synthetic", c.images.synthetic_size_mb);
      r.non_negative(s, "shared_fraction", "images.synthetic", c.images.synthetic_shared_fraction);
      if (c.images.synthetic_shared_fraction > 1) r.fail(s, "images.synthetic.shared_fraction", "must be ≤ 1");
    }
  }
  if (c.images.source == "graphchallenge" && c.images.graphchallenge_dir.empty())
    throw engine::InputError(path, 0, "images.graphchallenge.dir: required for source graphchallenge");
  if (const auto n = root["rollout"]) {
    r.only(n, "rollout", {"start_minute", "window_minutes"});
    r.non_negative(n, "start_minute", "rollout", c.rollout_start_minute);
    r.non_negative(n, "window_minutes", "rollout", c.rollout_window_minutes);
  }
  if (const auto n = root["containers"]) {
    r.only(n, "containers", {"start_s", "keep_alive_s", "sla_s"});
    r.non_negative(n, "start_s", "containers", c.container_start_s);
    r.non_negative(n, "keep_alive_s", "containers", c.keep_alive_s);
    r.positive(n, "sla_s", "containers", c.sla_s);
  }
  if (const auto n = root["policy"]) {
    r.only(n, "policy", {"name", "greedy", "weights"});
    r.get(n, "name", "policy", c.policy.name);
    r.get(n, "greedy", "policy", c.policy.greedy);
    c.policy.weights = r.path_value(n, "weights", "policy");
  }
  if (const auto n = root["training"]) {
    r.only(n, "training",
           {"episodes", "start_minute", "minutes", "hidden", "learning_rate", "gamma", "open_penalty_s",
            "reject_penalty_s", "seed"});
    r.positive(n, "episodes", "training", c.training.episodes);
    r.non_negative(n, "start_minute", "training", c.training.start_minute);
    r.positive(n, "minutes", "training", c.training.minutes);
    r.positive(n, "hidden", "training", c.training.hidden);
    r.positive(n, "learning_rate", "training", c.training.learning_rate);
    r.non_negative(n, "gamma", "training", c.training.gamma);
    if (c.training.gamma >= 1) r.fail(n["gamma"], "training.gamma", "must be < 1");
    r.non_negative(n, "open_penalty_s", "training", c.training.open_penalty_s);
    r.non_negative(n, "reject_penalty_s", "training", c.training.reject_penalty_s);
    r.get(n, "seed", "training", c.training.seed);
  }
  r.positive(root, "sample_interval_s", "", c.sample_interval_s);
  r.get(root, "seed", "", c.seed);
  return c;
}

}  // namespace provider
