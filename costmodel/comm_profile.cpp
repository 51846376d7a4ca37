#include "costmodel/comm_profile.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

namespace cost {

namespace {

constexpr std::int64_t kMaxLayers = 1'000'000;  // Σ repeat must fit an int with room to spare

std::string layer_problem(const LayerProfile& l, std::int64_t parts) {
  const std::int64_t pairs = parts * (parts - 1);
  if (l.repeat < 1) return "repeat must be ≥ 1";
  if (l.rows_sent < 0 || l.nonempty_pairs < 0 || l.max_rows_sent < 0 || l.max_rows_received < 0 || l.weight_nnz < 0 ||
      l.payload_bytes < 0)
    return "counts must be ≥ 0";
  if (l.nonempty_pairs > pairs) return "nonempty_pairs exceeds P·(P−1)";
  if ((l.rows_sent == 0) != (l.nonempty_pairs == 0))
    return "rows_sent and nonempty_pairs must be both zero or both positive";
  if (l.max_rows_sent > l.rows_sent || l.max_rows_received > l.rows_sent)
    return "max_rows_sent/max_rows_received exceed rows_sent";
  if (l.rows_sent > 0 && (l.max_rows_sent == 0 || l.max_rows_received == 0))
    return "max_rows_sent/max_rows_received must be positive when rows are sent";
  if (!(l.input_density >= 0 && l.input_density <= 1)) return "input_density must be in [0, 1]";
  if (!l.pair_bytes.empty()) {
    if (static_cast<std::int64_t>(l.pair_bytes.size()) != parts * parts) return "pair_bytes must have P·P entries";
    std::int64_t sum = 0;
    for (std::int64_t s = 0; s < parts; ++s)
      for (std::int64_t t = 0; t < parts; ++t) {
        const auto b = l.pair_bytes[static_cast<std::size_t>(s * parts + t)];
        if (b < 0) return "pair_bytes must be ≥ 0";
        if (s != t) sum += b;
      }
    if (l.payload_bytes != 0 && l.payload_bytes != sum) return "payload_bytes must equal the sum of pair_bytes";
  }
  return {};
}

}  // namespace

void validate(const CommProfile& p) {
  if (p.neurons <= 0) throw std::invalid_argument("profile: neurons must be > 0");
  if (p.parts <= 0) throw std::invalid_argument("profile: parts must be > 0");
  if (p.batch_size <= 0) throw std::invalid_argument("profile: batch_size must be > 0");
  if (p.layers.empty()) throw std::invalid_argument("profile: no layers");
  if (!p.gather_bytes.empty() && static_cast<int>(p.gather_bytes.size()) != p.parts)
    throw std::invalid_argument("profile: gather_bytes must have P entries");
  for (auto b : p.gather_bytes)
    if (b < 0) throw std::invalid_argument("profile: gather_bytes must be ≥ 0");
  std::int64_t layers = 0;
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    if (auto what = layer_problem(p.layers[i], p.parts); !what.empty())
      throw std::invalid_argument("profile: layers[" + std::to_string(i) + "]: " + what);
    layers += p.layers[i].repeat;
  }
  if (layers > kMaxLayers) throw std::invalid_argument("profile: more than 1,000,000 layers");
}

CommProfile parse_comm_profile(const std::string& text, const std::string& path) {
  const YAML::Node root = parse_yaml(text, path);
  if (!root.IsDefined() || root.IsNull()) throw engine::InputError(path, 0, "empty profile");
  YamlMap m(root, path, "");
  CommProfile p;
  m.get("neurons", p.neurons);
  m.require_present("neurons");
  m.require_positive("neurons", p.neurons);
  m.get("parts", p.parts);
  m.require_present("parts");
  m.require_positive("parts", p.parts);
  m.get("batch_size", p.batch_size);
  m.require_present("batch_size");
  m.require_positive("batch_size", p.batch_size);
  m.get("source", p.source);
  m.require_present("layers");
  for (YamlMap& lm : m.list_of_maps("layers")) {
    LayerProfile l;
    lm.get("repeat", l.repeat);
    lm.get("rows_sent", l.rows_sent);
    lm.get("nonempty_pairs", l.nonempty_pairs);
    lm.get("max_rows_sent", l.max_rows_sent);
    lm.get("max_rows_received", l.max_rows_received);
    lm.get("input_density", l.input_density);
    lm.require_present("input_density");
    lm.get("weight_nnz", l.weight_nnz);
    lm.require_present("weight_nnz");
    lm.get("payload_bytes", l.payload_bytes);
    lm.get("pair_bytes", l.pair_bytes);
    lm.finish();
    if (auto what = layer_problem(l, p.parts); !what.empty()) lm.fail_here(what);
    p.layers.push_back(std::move(l));
  }
  if (p.layers.empty()) m.fail("layers", "no layers");
  std::int64_t layers = 0;
  for (const auto& l : p.layers) layers += l.repeat;
  if (layers > kMaxLayers) m.fail("layers", "more than 1,000,000 layers in all (Σ repeat)");
  m.get("gather_bytes", p.gather_bytes);
  if (!p.gather_bytes.empty() && static_cast<int>(p.gather_bytes.size()) != p.parts)
    m.fail("gather_bytes", "must have P = " + std::to_string(p.parts) + " entries");
  for (auto b : p.gather_bytes)
    if (b < 0) m.fail("gather_bytes", "must be ≥ 0");
  m.finish();
  return p;
}

CommProfile load_comm_profile(const std::string& path) { return parse_comm_profile(read_text_file(path), path); }

namespace {
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}
std::string json_double(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);  // round-trips exactly
  return buf;
}
}  // namespace

std::string to_json(const CommProfile& p) {
  std::ostringstream o;
  o << "{\n  \"neurons\": " << p.neurons << ",\n  \"parts\": " << p.parts << ",\n  \"batch_size\": " << p.batch_size
    << ",\n  \"source\": " << json_string(p.source) << ",\n  \"layers\": [";
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    const LayerProfile& l = p.layers[i];
    o << (i ? ",\n    " : "\n    ") << "{\"repeat\": " << l.repeat << ", \"rows_sent\": " << l.rows_sent
      << ", \"nonempty_pairs\": " << l.nonempty_pairs << ", \"max_rows_sent\": " << l.max_rows_sent
      << ", \"max_rows_received\": " << l.max_rows_received << ", \"input_density\": " << json_double(l.input_density)
      << ", \"weight_nnz\": " << l.weight_nnz << ", \"payload_bytes\": " << l.payload_bytes;
    if (!l.pair_bytes.empty()) {
      o << ", \"pair_bytes\": [";
      for (std::size_t j = 0; j < l.pair_bytes.size(); ++j) o << (j ? ", " : "") << l.pair_bytes[j];
      o << "]";
    }
    o << "}";
  }
  o << "\n  ]";
  if (!p.gather_bytes.empty()) {
    o << ",\n  \"gather_bytes\": [";
    for (std::size_t j = 0; j < p.gather_bytes.size(); ++j) o << (j ? ", " : "") << p.gather_bytes[j];
    o << "]";
  }
  o << "\n}\n";
  return o.str();
}

void save_comm_profile(const CommProfile& profile, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << to_json(profile);
    if (!out.flush()) throw std::runtime_error(tmp + ": cannot write");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    throw std::runtime_error(path + ": cannot write: " + why);
  }
}

}  // namespace cost
