// YamlMap: strict reading of one YAML mapping, shared by every YAML file fsd reads (configs,
// price books, usage files, profiles). Every accessor marks its key as known; finish() rejects
// the keys nobody asked for. Each problem is one engine::InputError "path:line: key: problem"
// (line 1-based; key dotted from the document root, e.g. "deployment.launch.bfr").
// Not thread-safe (one reader per parse); holds references to the parsed document.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace cost {

class YamlMap {
 public:
  // node must be a map (else InputError at the node); prefix is the dotted key of node ("" at root).
  YamlMap(const YAML::Node& node, std::string path, std::string prefix);

  bool has(const std::string& key) const;
  // Optional scalars: leave `out` unchanged when the key is absent.
  void get(const std::string& key, double& out);         // finite number
  void get(const std::string& key, int& out);            // integer
  void get(const std::string& key, std::int64_t& out);   // integer
  void get(const std::string& key, std::uint64_t& out);  // non-negative integer
  void get(const std::string& key, bool& out);
  void get(const std::string& key, std::string& out);                // any scalar
  void get(const std::string& key, std::vector<double>& out);        // sequence of numbers
  void get(const std::string& key, std::vector<std::int64_t>& out);  // sequence of integers
  // Value constraints, checked after get(): throw at the key's line when violated.
  void require_present(const std::string& key) const;
  void require_positive(const std::string& key, double value) const;      // > 0
  void require_non_negative(const std::string& key, double value) const;  // ≥ 0
  void require_one_of(const std::string& key, const std::string& value, const std::vector<std::string>& allowed) const;

  // A list of maps (e.g. profile layers); an absent key gives an empty list. Element i's dotted
  // key is "key[i]".
  std::vector<YamlMap> list_of_maps(const std::string& key);
  // The keys of a nested map in document order (e.g. instance types); absent → empty.
  std::vector<std::string> keys_of(const std::string& key);
  // A nested map; `present` tells whether the key was there (an absent key gives an empty map).
  YamlMap child(const std::string& key);
  bool present() const { return present_; }

  // Throws for the first key that no accessor asked about.
  void finish() const;

  [[noreturn]] void fail(const std::string& key, const std::string& problem) const;  // at key's line
  [[noreturn]] void fail_here(const std::string& problem) const;                     // at the map's line
  const std::string& path() const { return path_; }
  std::string dotted(const std::string& key) const { return prefix_.empty() ? key : prefix_ + "." + key; }
  std::size_t line_of(const std::string& key) const;

 private:
  YamlMap(std::string path, std::string prefix, std::size_t line);  // an absent map
  YAML::Node node_;
  std::string path_, prefix_;
  std::size_t line_ = 0;
  bool present_ = true;
  std::set<std::string> known_;
  YAML::Node value(const std::string& key);
};

// Parses text into a document root; a YAML syntax error becomes InputError "path:line: problem".
// An empty document gives a null node.
YAML::Node parse_yaml(const std::string& text, const std::string& path);
// Reads a whole file; InputError "path: cannot read" when it cannot.
std::string read_text_file(const std::string& path);

}  // namespace cost
