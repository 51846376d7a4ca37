#include "cli/backends/backend.hpp"

#include <map>

#include "engine/common/input_error.hpp"

namespace cli {
namespace {
struct Entry {
  std::string summary;
  BackendFactory factory = nullptr;
};
std::map<std::string, Entry>& registry() {
  static std::map<std::string, Entry> r;  // function-local: safe from static-initialization order
  return r;
}
}  // namespace

RegisterBackend::RegisterBackend(const char* name, const char* summary, BackendFactory factory) {
  registry()[name] = Entry{summary, factory};
}

std::vector<std::string> backend_names() {
  std::vector<std::string> names;
  for (const auto& [name, e] : registry()) names.push_back(name);
  return names;
}

std::unique_ptr<Backend> make_backend(const std::string& name, const BackendOptions& options) {
  auto it = registry().find(name);
  if (it == registry().end()) {
    std::string known;
    for (const auto& n : backend_names()) known += (known.empty() ? "" : ", ") + n;
    throw engine::InputError("--backend: unknown backend '" + name + "' (known: " + known + ")");
  }
  return it->second.factory(options);
}

}  // namespace cli
