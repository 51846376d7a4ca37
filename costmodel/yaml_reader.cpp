#include "costmodel/yaml_reader.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "engine/common/input_error.hpp"

namespace cost {

namespace {
std::size_t line_of_node(const YAML::Node& n) {
  const auto mark = n.Mark();
  return mark.line >= 0 ? static_cast<std::size_t>(mark.line) + 1 : 0;  // yaml-cpp marks are 0-based
}
}  // namespace

YamlMap::YamlMap(const YAML::Node& node, std::string path, std::string prefix)
    : node_(node), path_(std::move(path)), prefix_(std::move(prefix)), line_(line_of_node(node)) {
  if (!node_.IsMap()) {
    const std::string what = prefix_.empty() ? "expected a mapping of keys" : prefix_ + ": expected a mapping";
    throw engine::InputError(path_, line_ ? line_ : 1, what);
  }
}

YamlMap::YamlMap(std::string path, std::string prefix, std::size_t line)
    : path_(std::move(path)), prefix_(std::move(prefix)), line_(line), present_(false) {}

bool YamlMap::has(const std::string& key) const { return present_ && node_[key].IsDefined(); }

YAML::Node YamlMap::value(const std::string& key) {
  known_.insert(key);
  if (!present_) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node v = node_[key];
  if (v.IsDefined() && v.IsNull()) fail(key, "expected a value, got nothing");
  return v;
}

std::size_t YamlMap::line_of(const std::string& key) const {
  if (present_)
    for (auto it = node_.begin(); it != node_.end(); ++it)
      if (it->first.IsScalar() && it->first.Scalar() == key) return line_of_node(it->first);
  return line_ ? line_ : 1;
}

void YamlMap::fail(const std::string& key, const std::string& problem) const {
  throw engine::InputError(path_, line_of(key), dotted(key) + ": " + problem);
}

void YamlMap::fail_here(const std::string& problem) const {
  throw engine::InputError(path_, line_ ? line_ : 1, (prefix_.empty() ? "" : prefix_ + ": ") + problem);
}

namespace {
std::string describe(const YAML::Node& v) {
  if (v.IsMap()) return "a mapping";
  if (v.IsSequence()) return "a list";
  return "'" + v.Scalar() + "'";
}
}  // namespace

void YamlMap::get(const std::string& key, double& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  double x = 0;
  if (!v.IsScalar() || !YAML::convert<double>::decode(v, x)) fail(key, "expected a number, got " + describe(v));
  if (!std::isfinite(x)) fail(key, "expected a finite number, got " + describe(v));
  out = x;
}

void YamlMap::get(const std::string& key, std::int64_t& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  long long x = 0;
  if (!v.IsScalar() || !YAML::convert<long long>::decode(v, x)) fail(key, "expected an integer, got " + describe(v));
  out = x;
}

void YamlMap::get(const std::string& key, int& out) {
  std::int64_t x = out;
  get(key, x);
  if (x < INT32_MIN || x > INT32_MAX) fail(key, "integer out of range");
  out = static_cast<int>(x);
}

void YamlMap::get(const std::string& key, std::uint64_t& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  long long x = 0;
  if (!v.IsScalar() || !YAML::convert<long long>::decode(v, x))
    fail(key, "expected a non-negative integer, got " + describe(v));
  if (x < 0) fail(key, "expected a non-negative integer, got " + describe(v));
  out = static_cast<std::uint64_t>(x);
}

void YamlMap::get(const std::string& key, bool& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  bool x = false;
  if (!v.IsScalar() || !YAML::convert<bool>::decode(v, x)) fail(key, "expected true or false, got " + describe(v));
  out = x;
}

void YamlMap::get(const std::string& key, std::string& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  if (!v.IsScalar()) fail(key, "expected a string, got " + describe(v));
  out = v.Scalar();
}

void YamlMap::get(const std::string& key, std::vector<double>& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  if (!v.IsSequence()) fail(key, "expected a list of numbers, got " + describe(v));
  std::vector<double> xs;
  xs.reserve(v.size());
  for (const auto& e : v) {
    double x = 0;
    if (!e.IsScalar() || !YAML::convert<double>::decode(e, x) || !std::isfinite(x))
      throw engine::InputError(path_, line_of_node(e), dotted(key) + ": expected a number, got " + describe(e));
    xs.push_back(x);
  }
  out = std::move(xs);
}

void YamlMap::get(const std::string& key, std::vector<std::int64_t>& out) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return;
  if (!v.IsSequence()) fail(key, "expected a list of integers, got " + describe(v));
  std::vector<std::int64_t> xs;
  xs.reserve(v.size());
  for (const auto& e : v) {
    long long x = 0;
    if (!e.IsScalar() || !YAML::convert<long long>::decode(e, x))
      throw engine::InputError(path_, line_of_node(e), dotted(key) + ": expected an integer, got " + describe(e));
    xs.push_back(x);
  }
  out = std::move(xs);
}

void YamlMap::require_present(const std::string& key) const {
  if (!has(key)) fail_here("missing required key '" + dotted(key) + "'");
}

void YamlMap::require_positive(const std::string& key, double value) const {
  if (!(value > 0)) {
    std::ostringstream s;
    s << "must be > 0, got " << value;
    fail(key, s.str());
  }
}

void YamlMap::require_non_negative(const std::string& key, double value) const {
  if (!(value >= 0)) {
    std::ostringstream s;
    s << "must be ≥ 0, got " << value;
    fail(key, s.str());
  }
}

void YamlMap::require_one_of(const std::string& key, const std::string& value,
                             const std::vector<std::string>& allowed) const {
  for (const auto& a : allowed)
    if (a == value) return;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
  fail(key, "expected " + list + ", got '" + value + "'");
}

YamlMap YamlMap::child(const std::string& key) {
  const YAML::Node v = value(key);
  if (!v.IsDefined()) return YamlMap(path_, dotted(key), line_);
  if (!v.IsMap()) fail(key, "expected a mapping, got " + describe(v));
  return YamlMap(v, path_, dotted(key));
}

std::vector<YamlMap> YamlMap::list_of_maps(const std::string& key) {
  const YAML::Node v = value(key);
  std::vector<YamlMap> out;
  if (!v.IsDefined()) return out;
  if (!v.IsSequence()) fail(key, "expected a list, got " + describe(v));
  out.reserve(v.size());
  std::size_t i = 0;
  for (const auto& e : v) {
    const std::string name = dotted(key) + "[" + std::to_string(i++) + "]";
    if (!e.IsMap()) throw engine::InputError(path_, line_of_node(e), name + ": expected a mapping, got " + describe(e));
    out.emplace_back(e, path_, name);
  }
  return out;
}

std::vector<std::string> YamlMap::keys_of(const std::string& key) {
  std::vector<std::string> keys;
  if (!has(key)) return keys;
  const YAML::Node v = node_[key];
  if (!v.IsMap()) fail(key, "expected a mapping, got " + describe(v));
  for (auto it = v.begin(); it != v.end(); ++it)
    if (it->first.IsScalar()) keys.push_back(it->first.Scalar());
  return keys;
}

void YamlMap::finish() const {
  if (!present_) return;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string("?");
    if (!known_.count(key)) throw engine::InputError(path_, line_of_node(it->first), dotted(key) + ": unknown key");
  }
}

YAML::Node parse_yaml(const std::string& text, const std::string& path) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw engine::InputError(path, e.mark.line >= 0 ? static_cast<std::size_t>(e.mark.line) + 1 : 0,
                             "invalid YAML: " + e.msg);
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw engine::InputError(path, 0, "cannot read the file");
  std::ostringstream s;
  s << in.rdbuf();
  if (in.bad()) throw engine::InputError(path, 0, "cannot read the file");
  return s.str();
}

}  // namespace cost
