// SimFunctions: AWS Lambda in simulated time (engine::cloud::Functions).
//
// A function is registered with the C++ handler its instances run (the same code a live
// function's runtime loop would call). invoke costs one request to the "lambda-api" endpoint
// (request bytes = the payload). If the account already runs lambda.concurrency_limit instances,
// or no function host is free, the call is throttled (ErrorCode::kUnavailable, "TooManyRequests").
// Otherwise the handler runs as an actor on an instance host: a warm (idle, previously used)
// instance of that function if any, after lambda.warm_start_s, else a fresh host after
// lambda.cold_start_s. Instances stay warm for the whole simulation (runs are far shorter than
// Lambda's idle keep-alive of several minutes). kEvent returns once accepted; kRequestResponse
// returns when the handler has, with its result, or kInternal if it threw.
// Not thread-safe: one SimGrid world on one OS thread.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "engine/cloud/functions.hpp"
#include "sim/services/endpoint.hpp"

namespace sim {

class Simulation;

class SimFunctions : public engine::cloud::Functions {
 public:
  using Handler = std::function<std::string(const std::string& payload_json)>;

  explicit SimFunctions(Simulation& sim);

  void register_function(const std::string& name, Handler handler);

  engine::Result<std::string> invoke(const std::string& function_name, const std::string& payload_json,
                                     engine::cloud::InvocationType type) override;

  int running() const { return running_; }
  int peak_running() const { return peak_running_; }

 private:
  struct Instance {
    int host_index = 0;
    bool busy = false;
  };
  Simulation& sim_;
  Endpoint endpoint_;
  std::map<std::string, Handler> handlers_;
  std::map<std::string, std::vector<Instance>> instances_;  // per function, in creation order
  int next_fresh_host_ = 0;
  int running_ = 0;
  int peak_running_ = 0;
  std::uint64_t next_invocation_ = 1;
};

}  // namespace sim
