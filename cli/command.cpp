#include "cli/command.hpp"

#include <algorithm>

namespace cli {
namespace {
std::vector<Command>& registry() {
  static std::vector<Command> r;  // function-local: safe from static-initialization order
  return r;
}
}  // namespace

RegisterCommand::RegisterCommand(const char* name, const char* summary, CommandFn run) {
  auto& r = registry();
  r.push_back({name, summary, run});
  std::sort(r.begin(), r.end(), [](const Command& a, const Command& b) { return a.name < b.name; });
}

const std::vector<Command>& commands() { return registry(); }

const Command* find_command(const std::string& name) {
  for (const auto& c : registry())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace cli
