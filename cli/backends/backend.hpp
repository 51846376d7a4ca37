// Backends of `fsd run --backend <name>`: each cli/backends/<name>.cpp registers a factory, so
// cmd_run knows none of them by name.
//
//   static const cli::RegisterBackend reg{"memory", "in-process cloud (threads)", make_memory_backend};
//
// A Backend hands out the cloud services a run uses and, for backends whose functions run in this
// process (memory), runs function invocations with the handler given to serve_function(). A
// backend whose functions run elsewhere (aws: worker processes running `fsd lambda --event -`, or
// a deployed Lambda) ignores the handler and, in adapt(), points the spec at a cloud report path
// and the config text its workers rebuild their inputs from. wait() returns when every invocation
// this process started has ended; add_worker_requests() gives it the HTTP requests a worker
// elsewhere reported, for its request log.
// Credentials are the backend's business: they never reach cmd_run or the run record.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/cloud/services.hpp"
#include "engine/common/result.hpp"
#include "engine/worker/deployment.hpp"

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
  // Adjusts the spec to where this backend's workers run (default: in this process, nothing to do).
  virtual void adapt(engine::DeploymentSpec& /*spec*/, const std::string& /*config_text*/) {}
  virtual void add_worker_requests(const std::map<std::string, engine::RequestCount>& /*requests*/) {}
  virtual void wait() = 0;
  // After a failed run: ends what this process started (default: waits for it, as threads cannot
  // be killed; aws: kills the worker processes). Returns before anything the run uses is destroyed.
  virtual void stop_workers() { wait(); }
};

using BackendFactory = std::unique_ptr<Backend> (*)(const BackendOptions& options);

struct RegisterBackend {
  RegisterBackend(const char* name, const char* summary, BackendFactory factory);
};

// Throws engine::InputError("unknown backend ...", listing the known ones) for an unknown name.
std::unique_ptr<Backend> make_backend(const std::string& name, const BackendOptions& options);
std::vector<std::string> backend_names();  // sorted

}  // namespace cli
