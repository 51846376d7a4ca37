#include "cli/sweep/point_config.hpp"

#include "cli/sweep/config_keys.hpp"
#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

namespace cli::sweep {
namespace {

// "path:12: what" or "path: what" → "what".
std::string strip_location(const std::string& message, const std::string& path) {
  if (message.rfind(path + ":", 0) != 0) return message;
  std::size_t i = path.size() + 1;
  while (i < message.size() && std::isdigit(static_cast<unsigned char>(message[i]))) ++i;
  if (i < message.size() && message[i] == ':') ++i;
  while (i < message.size() && message[i] == ' ') ++i;
  return message.substr(i);
}

std::string describe(const Experiment& e, const Point& point) {
  std::string s;
  for (std::size_t i = e.fixed.size(); i < point.size(); ++i)
    s += (s.empty() ? "" : ", ") + point[i]->key + "=" + point[i]->value;
  return s;
}

}  // namespace

PointConfigs::PointConfigs(const Experiment& e) : experiment_(e) {
  const std::string& path = e.path;
  if (e.config_path.empty()) {
    base_ = default_config();
    base_yaml_ = YAML::Node(YAML::NodeType::Map);
  } else {
    const std::string text = cost::read_text_file(e.config_path);
    base_ = parse_config(text, e.config_path);
    base_yaml_ = cost::parse_yaml(text, e.config_path);
  }
  // Every key known and every value of the right type.
  auto check_key = [&](const Assignment& a) {
    if (!is_config_key(a.key))
      throw engine::InputError(path, a.line,
                               a.key + ": not a config key (the keys are listed in configs/example.yaml)");
    Config probe = base_;
    try {
      set_config_key(probe, a.key, a.value);
    } catch (const std::invalid_argument& err) {
      throw engine::InputError(path, a.line, a.key + ": " + err.what());
    }
  };
  for (const auto& a : e.fixed) check_key(a);
  for (const auto& axis : e.axes)
    for (const auto& choice : axis.choices)
      for (const auto& a : choice) check_key(a);
  // Every value accepted by the config loader (ranges, allowed names, rules between keys): for each
  // choice of each axis, the loader parses one real point holding it — that choice, the first
  // choice of every other axis, and the fixed keys. An error is reported at the line of the key it
  // names (or of the choice).
  for (std::size_t i = 0; i < e.axes.size(); ++i) {
    for (const auto& choice : e.axes[i].choices) {
      std::vector<const Assignment*> point;
      for (const auto& f : e.fixed) point.push_back(&f);
      for (std::size_t k = 0; k < e.axes.size(); ++k)
        for (const auto& a : k == i ? choice : e.axes[k].choices[0]) point.push_back(&a);
      std::vector<std::pair<std::string, std::string>> assignments;
      for (const auto* a : point) assignments.emplace_back(a->key, a->value);
      try {
        parse_config(emit_yaml(yaml_with(base_yaml_, assignments)), path);
      } catch (const engine::InputError& err) {
        const std::string what = strip_location(err.what(), path);
        std::size_t line = choice[0].line;
        for (const auto* a : point)
          if (what.rfind(a->key + ":", 0) == 0) line = a->line;
        throw engine::InputError(path, line, what);
      }
    }
  }
  // Every point: the rules between keys.
  const std::size_t n = e.num_points();
  Config scratch;
  for (std::size_t i = 0; i < n; ++i) {
    const Point point = e.point(i);
    const std::string problem = build(point, scratch);
    if (problem.empty()) continue;
    // The line of the key the problem names; for P ≠ Σ bfr^l without workers in the point, a launch key's.
    std::size_t line = e.axes.front().line, fallback = 0;
    for (const auto* a : point) {
      if (problem.rfind(a->key + ":", 0) == 0) {
        line = a->line, fallback = 0;
        break;
      }
      if (!fallback && a->key.rfind("deployment.launch.", 0) == 0) fallback = a->line;
    }
    if (fallback) line = fallback;
    throw engine::InputError(path, line, "point " + std::to_string(i) + " (" + describe(e, point) + "): " + problem);
  }
}

std::string PointConfigs::build(const Point& point, Config& out) const {
  out = base_;
  bool workers_set = false, launch_set = false;
  for (const auto* a : point) {
    set_config_key(out, a->key, a->value);
    workers_set |= a->key == "deployment.workers";
    launch_set |= a->key.rfind("deployment.launch.", 0) == 0;
  }
  return check_point_rules(out, workers_set, launch_set);
}

Config PointConfigs::config(const Point& point) const {
  Config c;
  const std::string problem = build(point, c);
  if (!problem.empty()) throw std::logic_error("point passed validation but breaks: " + problem);
  return c;
}

std::string PointConfigs::yaml(const Point& point) const {
  std::vector<std::pair<std::string, std::string>> assignments;
  for (const auto* a : point) assignments.emplace_back(a->key, a->value);
  return emit_yaml(yaml_with(base_yaml_, assignments));
}

}  // namespace cli::sweep
