// Backends of `fsd run --backend <name>`: each cli/backends/<name>.cpp registers a factory, so
// cmd_run knows none of them by name.
//
//   static const cli::RegisterBackend reg{"memory", "in-process cloud (threads)", make_memory_backend};
//
// A Backend hands out the cloud services a run uses and, for backends whose functions run in this
// process (memory), runs function invocations with the handler given to serve_function(). A
// backend whose functions run elsewhere (aws: the deployed Lambda runs `fsd worker`) may ignore
// the handler. wait() returns when every invocation this process started has ended.
// Credentials are the backend's business: they never reach cmd_run or the run record.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/cloud/services.hpp"
#include "engine/common/result.hpp"

namespace cli {

struct BackendOptions {
  // Fault injection (backends that support it; others reject faults > 0 with InputError).
  std::uint64_t fault_seed = 1;
  double throttle_probability = 0;
  double duplicate_probability = 0;
  double reorder_probability = 0;
  double delay_probability = 0;
  double delay_s = 0.005;
};

using FunctionHandler = std::function<engine::Result<std::string>(const std::string& payload_json)>;

class Backend {
 public:
  virtual ~Backend() = default;
  virtual engine::cloud::Services services() = 0;
  virtual void serve_function(const std::string& function_name, FunctionHandler handler) = 0;
  virtual void wait() = 0;
};

using BackendFactory = std::unique_ptr<Backend> (*)(const BackendOptions& options);

struct RegisterBackend {
  RegisterBackend(const char* name, const char* summary, BackendFactory factory);
};

// Throws engine::InputError("unknown backend ...", listing the known ones) for an unknown name.
std::unique_ptr<Backend> make_backend(const std::string& name, const BackendOptions& options);
std::vector<std::string> backend_names();  // sorted

}  // namespace cli
