#include "engine/worker/launch_event.hpp"

#include <cctype>
#include <charconv>
#include <set>

namespace engine {
namespace {
bool valid_run_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}
}  // namespace

std::string to_json(const LaunchEvent& e) {
  return "{\"run\":\"" + e.run_id + "\",\"parent\":" + std::to_string(e.invocation.parent_id) +
         ",\"index\":" + std::to_string(e.invocation.index) + ",\"subtree\":" + std::to_string(e.invocation.subtree_size) +
         ",\"level\":" + std::to_string(e.invocation.level) + "}";
}

Result<LaunchEvent> parse_launch_event(const std::string& json) {
  auto bad = [](const std::string& what) { return Error{ErrorCode::kInvalidInput, "parse_launch_event", what}; };
  std::size_t p = 0;
  auto skip = [&] {
    while (p < json.size() && std::isspace(static_cast<unsigned char>(json[p]))) ++p;
  };
  auto expect = [&](char c) {
    skip();
    if (p >= json.size() || json[p] != c) return false;
    ++p;
    return true;
  };
  auto read_string = [&](std::string& out) {
    if (!expect('"')) return false;
    const std::size_t end = json.find('"', p);
    if (end == std::string::npos || end - p > 64) return false;
    out = json.substr(p, end - p);
    p = end + 1;
    return true;
  };
  LaunchEvent e;
  std::set<std::string> seen;
  if (!expect('{')) return bad("expected '{'");
  for (int field = 0; field < 5; ++field) {
    if (field > 0 && !expect(',')) return bad("expected ','");
    std::string key;
    if (!read_string(key)) return bad("expected a key");
    if (!seen.insert(key).second) return bad("repeated key '" + key + "'");
    if (!expect(':')) return bad("expected ':' after '" + key + "'");
    if (key == "run") {
      if (!read_string(e.run_id) || !valid_run_id(e.run_id)) return bad("run: expected an id of [A-Za-z0-9_-]");
      continue;
    }
    int* target = key == "parent" ? &e.invocation.parent_id
                  : key == "index" ? &e.invocation.index
                  : key == "subtree" ? &e.invocation.subtree_size
                  : key == "level" ? &e.invocation.level
                                   : nullptr;
    if (!target) return bad("unknown key '" + key + "'");
    skip();
    auto [next, ec] = std::from_chars(json.data() + p, json.data() + json.size(), *target);
    if (ec != std::errc()) return bad(key + ": expected an integer");
    p = static_cast<std::size_t>(next - json.data());
  }
  if (!expect('}')) return bad("expected '}' after 5 keys");
  skip();
  if (p != json.size()) return bad("trailing characters");
  return e;
}

}  // namespace engine
