// Strict JSON reading for what workers and the coordinator exchange over the network (launch
// events, worker reports): internal to engine/worker.
//
//   nlohmann::json j = strict_json::parse(text);          // repeated keys and bad syntax rejected
//   strict_json::Fields f(j, "report");                    // must be an object
//   int p = f.int32("worker", 0, workers - 1);             // required, integer, in range
//   f.done();                                              // no key left unread (unknown keys)
// Every problem throws strict_json::Bad with a message naming the field; callers turn it into
// ErrorCode::kInvalidInput. Nothing here indexes without checking. Thread-safe (no state).
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace engine::strict_json {

struct Bad : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Parses text; rejects syntax errors and an object with a repeated key (nlohmann keeps the last
// silently, so a smuggled second value would go unnoticed).
inline nlohmann::json parse(const std::string& text) {
  std::vector<std::set<std::string>> keys;  // one set per open object
  std::string repeated;
  auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) keys.emplace_back();
    if (event == E::object_end && !keys.empty()) keys.pop_back();
    if (event == E::key && !keys.empty() && !keys.back().insert(parsed.get<std::string>()).second && repeated.empty())
      repeated = parsed.get<std::string>();
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(text, callback, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw Bad("not valid JSON");
  if (!repeated.empty()) throw Bad("repeated key '" + repeated + "'");
  return j;
}

class Fields {
 public:
  Fields(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) throw Bad(where_ + ": expected an object");
  }
  const nlohmann::json& at(const char* key) {
    auto it = j_.find(key);
    if (it == j_.end()) throw Bad(where_ + ": missing key '" + key + "'");
    read_.insert(key);
    return *it;
  }
  std::int64_t integer(const char* key, std::int64_t lo, std::int64_t hi) {
    return integer_of(at(key), name(key), lo, hi);
  }
  int int32(const char* key, int lo, int hi) { return static_cast<int>(integer(key, lo, hi)); }
  double number(const char* key, double lo = -std::numeric_limits<double>::max(),
                double hi = std::numeric_limits<double>::max()) {
    return number_of(at(key), name(key), lo, hi);
  }
  std::string text(const char* key, std::size_t max_bytes) { return text_of(at(key), name(key), max_bytes); }
  const nlohmann::json& array(const char* key, std::size_t max_size) {
    const auto& a = at(key);
    if (!a.is_array()) throw Bad(name(key) + ": expected an array");
    if (a.size() > max_size) throw Bad(name(key) + ": more than " + std::to_string(max_size) + " elements");
    return a;
  }
  bool has(const char* key) const { return j_.contains(key); }
  void done() const {
    for (const auto& [k, v] : j_.items())
      if (!read_.count(k)) throw Bad(where_ + ": unknown key '" + k + "'");
  }
  std::string name(const char* key) const { return where_ + "." + key; }

  static std::int64_t integer_of(const nlohmann::json& v, const std::string& what, std::int64_t lo, std::int64_t hi) {
    std::int64_t x = 0;
    if (v.is_number_unsigned()) {
      if (v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        throw Bad(what + ": out of range");
      x = static_cast<std::int64_t>(v.get<std::uint64_t>());
    } else if (v.is_number_integer()) {
      x = v.get<std::int64_t>();
    } else {
      throw Bad(what + ": expected an integer");
    }
    if (x < lo || x > hi)
      throw Bad(what + ": " + std::to_string(x) + " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) +
                "]");
    return x;
  }
  static double number_of(const nlohmann::json& v, const std::string& what, double lo, double hi) {
    if (!v.is_number()) throw Bad(what + ": expected a number");
    const double x = v.get<double>();
    if (!std::isfinite(x) || x < lo || x > hi) throw Bad(what + ": out of range");
    return x;
  }
  static std::string text_of(const nlohmann::json& v, const std::string& what, std::size_t max_bytes) {
    if (!v.is_string()) throw Bad(what + ": expected a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max_bytes) throw Bad(what + ": longer than " + std::to_string(max_bytes) + " bytes");
    return s;
  }

 private:
  const nlohmann::json& j_;
  std::string where_;
  std::set<std::string> read_;
};

}  // namespace engine::strict_json
