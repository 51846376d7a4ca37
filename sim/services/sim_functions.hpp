// SimFunctions: AWS Lambda in simulated time (engine::cloud::Functions).
//
// A function is registered with the C++ handler its instances run (the same code a live
// function's runtime loop would call) and, optionally, its timeout. invoke costs one request to
// the "lambda-api" endpoint (request bytes = the payload). If the account already runs
// lambda.concurrency_limit instances, or no function host is free, the call is throttled
// (ErrorCode::kUnavailable, "TooManyRequests"). Otherwise the handler runs as an actor on an
// instance host: a warm (idle, previously used) instance of that function if any, after
// lambda.warm_start_s, else a fresh host after lambda.cold_start_s. Instances stay warm for the
// whole simulation (runs are far shorter than Lambda's idle keep-alive of several minutes).
// kEvent returns once accepted; kRequestResponse returns when the handler has, with its result,
// or kInternal if it threw or was killed.
//
// Timeout (Lambda's function timeout, 1..900 s): an invocation of a function registered with
// timeout_s > 0 is killed at start_s + timeout_s, where start_s is when its instance begins to
// start up (the cold or warm start is inside the limit, as cost::predict and the serial variant
// count it; AWS runs INIT under its own 10 s limit, so this is conservative by at most
// cold_start_s). Killed means: every actor on the instance's host (the handler and anything it
// spawned) is killed, its activities cancelled; the instance is discarded (the next invocation
// starts cold elsewhere); a request-response caller gets kInternal "Task timed out after X
// seconds"; then the kill handler (set_kill_handler) is called from the platform's watchdog actor,
// which may end the whole simulation (Simulation::stop). AWS retries a timed-out asynchronous
// invocation up to twice; the simulator does not (the deployment run ends at the first kill).
//
// Billing (what AWS bills since 1 Aug 2025 for on-demand functions of every runtime: the INIT
// phase and the handler, rounded up to 1 ms): an invocation's billed duration runs from start_s
// (start-up included) to the handler's return, or to the kill (its full timeout). current()
// tells a handler its own start_s so that its caller can bill it.
// Not thread-safe: one SimGrid world on one OS thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <simgrid/forward.h>

#include "engine/cloud/functions.hpp"
#include "sim/services/endpoint.hpp"

namespace sim {

class Simulation;

// One invocation as the platform sees it.
struct InvocationInfo {
  std::string function;
  std::string actor;       // the handler actor's name ("<function>-<n>")
  int host_index = 0;      // the instance's host, Simulation::function_hosts()[host_index]
  bool cold = false;
  double start_s = 0;      // the instance begins to start up for it: billing starts here
  double deadline_s = 0;   // start_s + timeout_s (0 when the function has no timeout)
  double timeout_s = 0;
};

class SimFunctions : public engine::cloud::Functions {
 public:
  using Handler = std::function<std::string(const std::string& payload_json)>;
  using KillHandler =
      std::function<void(const InvocationInfo& killed, const std::string& payload_json, double killed_s)>;

  explicit SimFunctions(Simulation& sim);

  // timeout_s: 0 = no limit; else every invocation is killed at start_s + timeout_s (see above).
  void register_function(const std::string& name, Handler handler, double timeout_s = 0);
  // Called (from the watchdog actor, at the kill's simulated time) after an invocation was killed.
  void set_kill_handler(KillHandler handler) { on_kill_ = std::move(handler); }

  engine::Result<std::string> invoke(const std::string& function_name, const std::string& payload_json,
                                     engine::cloud::InvocationType type) override;

  // The calling actor's invocation, if it is a handler actor still running (nullopt otherwise).
  std::optional<InvocationInfo> current() const;

  int running() const { return running_; }
  int peak_running() const { return peak_running_; }
  int killed() const { return killed_; }

 private:
  struct Instance {
    int host_index = 0;
    bool busy = false;
    bool discarded = false;  // its invocation was killed: never reused
  };
  struct Registered {
    Handler handler;
    double timeout_s = 0;
  };
  void release(const std::string& function, int host_index, bool discard);

  Simulation& sim_;
  Endpoint endpoint_;
  std::map<std::string, Registered> functions_;
  std::map<std::string, std::vector<Instance>> instances_;  // per function, in creation order
  std::map<aid_t, InvocationInfo> running_invocations_;     // by handler actor pid
  KillHandler on_kill_;
  int next_fresh_host_ = 0;
  int running_ = 0;
  int peak_running_ = 0;
  int killed_ = 0;
  std::uint64_t next_invocation_ = 1;
};

}  // namespace sim
