#include "cli/sweep/experiment.hpp"

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

namespace cli::sweep {
namespace {

constexpr std::size_t kMaxPoints = 100'000'000;  // beyond this a grid is a typo, not a study

std::size_t line_of(const YAML::Node& n) {
  return n.Mark().line >= 0 ? static_cast<std::size_t>(n.Mark().line) + 1 : 0;
}

[[noreturn]] void fail(const std::string& path, const YAML::Node& at, const std::string& what) {
  throw engine::InputError(path, line_of(at), what);
}

bool is_integer(double x) { return std::isfinite(x) && std::floor(x) == x && std::abs(x) < 9e15; }

// Shortest text that reads back as x; integers without a fraction or exponent.
std::string format_number(double x) {
  char buf[64];
  if (is_integer(x))
    std::snprintf(buf, sizeof buf, "%.0f", x);
  else
    std::snprintf(buf, sizeof buf, "%.6g", x);
  return buf;
}

double number_at(const std::string& path, const YAML::Node& seq, std::size_t i, const std::string& what) {
  double x = 0;
  if (!seq[i].IsScalar() || !YAML::convert<double>::decode(seq[i], x) || !std::isfinite(x))
    fail(path, seq[i], what + ": expected a number");
  return x;
}

// A generated list: {range: [from, to, step]} or {log_range: [from, to, count]}.
std::vector<std::string> expand_range(const std::string& path, const std::string& key, const YAML::Node& spec) {
  if (spec.size() != 1)
    fail(path, spec, "grid: " + key + ": expected a list, {range: [from, to, step]} or {log_range: [from, to, count]}");
  const std::string kind = spec.begin()->first.as<std::string>();
  const YAML::Node args = spec.begin()->second;
  const std::string where = "grid: " + key + ": " + kind;
  if ((kind != "range" && kind != "log_range") || !args.IsSequence() || args.size() != 3)
    fail(path, spec, "grid: " + key + ": expected {range: [from, to, step]} or {log_range: [from, to, count]}");
  const double from = number_at(path, args, 0, where), to = number_at(path, args, 1, where);
  const double third = number_at(path, args, 2, where);
  std::vector<std::string> values;
  if (kind == "range") {
    if (!(third > 0) || to < from) fail(path, args, where + ": needs from ≤ to and step > 0");
    const double n = std::floor((to - from) / third + 1e-9) + 1;
    if (n > static_cast<double>(kMaxPoints)) fail(path, args, where + ": too many values");
    for (double i = 0; i < n; ++i) values.push_back(format_number(from + i * third));
  } else {
    if (!(from > 0) || !(to > from) || !is_integer(third) || third < 2)
      fail(path, args, where + ": needs 0 < from < to and an integer count ≥ 2");
    if (third > static_cast<double>(kMaxPoints)) fail(path, args, where + ": too many values");
    const bool integers = is_integer(from) && is_integer(to);
    for (int i = 0; i < static_cast<int>(third); ++i) {
      double x = from * std::pow(to / from, i / (third - 1));
      if (integers) x = std::round(x);
      const std::string text = format_number(x);
      if (values.empty() || values.back() != text) values.push_back(text);  // rounding may repeat
    }
  }
  return values;
}

// `where` prefixes the message ("grid: launch: " for a key inside a linked axis).
Assignment scalar_assignment(const std::string& path, const std::string& key, const YAML::Node& v,
                             const std::string& where = "") {
  if (!v.IsScalar())
    fail(path, v, where + key + ": expected a single value, got " + (v.IsMap() ? "a mapping" : "a list"));
  return {key, v.Scalar(), line_of(v)};
}

Axis parse_axis(const std::string& path, const YAML::Node& key_node, const YAML::Node& v) {
  Axis axis;
  axis.name = key_node.as<std::string>();
  axis.line = line_of(key_node);
  if (v.IsMap()) {
    for (auto& text : expand_range(path, axis.name, v)) axis.choices.push_back({{axis.name, text, line_of(v)}});
    return axis;
  }
  if (!v.IsSequence() || v.size() == 0)
    fail(path, key_node, "grid: " + axis.name + ": expected a non-empty list of values");
  const bool linked = v[0].IsMap();
  for (const auto& e : v) {
    if (e.IsMap() != linked) fail(path, e, "grid: " + axis.name + ": mixes single values and mappings");
    std::vector<Assignment> choice;
    if (linked) {
      for (auto it = e.begin(); it != e.end(); ++it)
        choice.push_back(scalar_assignment(path, it->first.as<std::string>(), it->second, "grid: " + axis.name + ": "));
      if (choice.empty()) fail(path, e, "grid: " + axis.name + ": empty mapping");
      if (!axis.choices.empty()) {
        std::set<std::string> first, here;
        for (const auto& a : axis.choices[0]) first.insert(a.key);
        for (const auto& a : choice) here.insert(a.key);
        if (first != here) fail(path, e, "grid: " + axis.name + ": every entry must set the same keys as the first");
      }
    } else {
      choice.push_back(scalar_assignment(path, axis.name, e, "grid: "));
    }
    axis.choices.push_back(std::move(choice));
  }
  return axis;
}

}  // namespace

std::size_t Experiment::num_points() const {
  std::size_t n = 1;
  for (const auto& a : axes) n *= a.choices.size();
  return n;
}

std::vector<std::string> Experiment::axis_keys() const {
  std::vector<std::string> keys;
  for (const auto& a : axes)
    for (const auto& s : a.choices.at(0)) keys.push_back(s.key);
  return keys;
}

std::vector<const Assignment*> Experiment::point(std::size_t index) const {
  std::vector<const Assignment*> out;
  for (const auto& f : fixed) out.push_back(&f);
  std::vector<std::size_t> digit(axes.size());
  for (std::size_t i = axes.size(); i-- > 0;) {  // last axis fastest
    digit[i] = index % axes[i].choices.size();
    index /= axes[i].choices.size();
  }
  for (std::size_t i = 0; i < axes.size(); ++i)
    for (const auto& s : axes[i].choices[digit[i]]) out.push_back(&s);
  return out;
}

Experiment parse_experiment(const std::string& text, const std::string& path) {
  const YAML::Node root = cost::parse_yaml(text, path);
  if (!root.IsDefined() || root.IsNull()) throw engine::InputError(path, 0, "empty experiment");
  if (!root.IsMap()) fail(path, root, "expected a mapping of keys (name, grid, ...)");
  static const std::set<std::string> kKeys{"name",     "description",   "config",         "set",      "grid",
                                           "simulate", "simulate_args", "workload_model", "profiles", "plots"};
  for (auto it = root.begin(); it != root.end(); ++it)
    if (!kKeys.count(it->first.as<std::string>()))
      fail(path, it->first,
           it->first.as<std::string>() +
               ": unknown key (expected name, description, config, set, grid, "
               "simulate, simulate_args, workload_model, profiles or plots)");
  auto scalar = [&](const char* key, std::string& out) {
    const YAML::Node v = root[key];
    if (!v.IsDefined()) return false;
    if (!v.IsScalar()) fail(path, v, std::string(key) + ": expected a single value");
    out = v.Scalar();
    return true;
  };
  auto flag = [&](const char* key, bool& out) {
    std::string text;
    if (scalar(key, text) && !YAML::convert<bool>::decode(root[key], out))
      fail(path, root[key], std::string(key) + ": expected true or false, got '" + text + "'");
  };
  Experiment e;
  e.path = path;
  if (!scalar("name", e.name)) throw engine::InputError(path, 1, "name: missing (it names the CSV file)");
  if (e.name.empty() ||
      e.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos)
    fail(path, root["name"], "name: expected letters, digits, '_' or '-' (it names the CSV file)");
  scalar("description", e.description);
  if (scalar("config", e.config_path) && std::filesystem::path(e.config_path).is_relative())
    e.config_path = (std::filesystem::path(path).parent_path() / e.config_path).lexically_normal().string();
  flag("simulate", e.simulate);
  flag("workload_model", e.workload_model);
  if (std::string profiles; scalar("profiles", profiles)) {
    if (profiles != "analytic" && profiles != "partitioned")
      fail(path, root["profiles"], "profiles: expected analytic or partitioned, got '" + profiles + "'");
    e.partitioned_profiles = profiles == "partitioned";
  }
  std::set<std::string> keys_seen;
  auto note_key = [&](const Assignment& a) {
    if (!keys_seen.insert(a.key).second)
      throw engine::InputError(path, a.line, a.key + ": set more than once (in set: or in two grid axes)");
  };
  if (const YAML::Node set = root["set"]; set.IsDefined()) {
    if (!set.IsMap()) fail(path, set, "set: expected a mapping of config keys to values");
    for (auto it = set.begin(); it != set.end(); ++it) {
      e.fixed.push_back(scalar_assignment(path, it->first.as<std::string>(), it->second));
      note_key(e.fixed.back());
    }
  }
  const YAML::Node grid = root["grid"];
  if (!grid.IsDefined()) throw engine::InputError(path, 1, "grid: missing (the axes to sweep)");
  if (!grid.IsMap() || grid.size() == 0) fail(path, grid, "grid: expected a mapping of axes");
  for (auto it = grid.begin(); it != grid.end(); ++it) {
    e.axes.push_back(parse_axis(path, it->first, it->second));
    for (const auto& a : e.axes.back().choices[0]) note_key(a);
  }
  double points = 1;
  for (const auto& a : e.axes) points *= static_cast<double>(a.choices.size());
  if (points > static_cast<double>(kMaxPoints))
    fail(path, grid, "grid: " + format_number(points) + " points, more than the limit of " + format_number(kMaxPoints));
  if (const YAML::Node args = root["simulate_args"]; args.IsDefined()) {
    if (!args.IsSequence()) fail(path, args, "simulate_args: expected a list of flags for fsd simulate");
    for (const auto& a : args) {
      if (!a.IsScalar()) fail(path, a, "simulate_args: expected a flag or a value");
      e.simulate_args.push_back(a.Scalar());
    }
  }
  if (const YAML::Node plots = root["plots"]; plots.IsDefined()) {
    if (!plots.IsSequence()) fail(path, plots, "plots: expected a list of plot names");
    for (const auto& p : plots) {
      if (!p.IsScalar() || p.Scalar().empty() || p.Scalar().find('/') != std::string::npos)
        fail(path, p, "plots: expected a plot name (plots/<name>.py)");
      e.plots.push_back(p.Scalar());
    }
  }
  return e;
}

Experiment load_experiment(const std::string& path) { return parse_experiment(cost::read_text_file(path), path); }

}  // namespace cli::sweep
