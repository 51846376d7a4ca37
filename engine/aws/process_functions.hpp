// ProcessFunctions: cloud functions as local processes — how `fsd run --backend aws` runs its
// workers without Lambda. Each invocation starts `command` (e.g. {"/path/fsd", "lambda", "--event",
// "-"}) with exactly the payload a Lambda would get on its stdin, and AWS_LAMBDA_FUNCTION_NAME set
// to the function's name, as Lambda sets it. kEvent returns once the process has its payload (the
// process runs on; its stdout is discarded, its stderr is ours); kRequestResponse waits and
// returns its stdout, or kInternal with the end of its stderr when it exits non-zero.
// A worker process launches its own children through its own ProcessFunctions, the same way.
//
// No worker outlives the run: all workers of a run share one process group, created by the
// outermost ProcessFunctions (it forks a small group-holder process and passes the group id to its
// descendants in FSD_WORKER_PGID); kill_all() kills that whole group, grandchildren included. Each
// child also dies when the thread that started it dies (PR_SET_PDEATHSIG), so a coordinator killed
// with SIGKILL takes its workers with it; call invoke() from a thread that lives as long as its
// children (the main thread), and wait for children (join_all) before ending normally.
// Thread-safe. The destructor waits for every child (join_all), then ends the group it created.
// SIGPIPE is ignored process-wide (a child that died before reading its payload is an error, not
// a signal).
#pragma once

#include <sys/types.h>

#include <mutex>
#include <string>
#include <vector>

#include "engine/cloud/functions.hpp"

namespace engine::aws {

class ProcessFunctions final : public cloud::Functions {
 public:
  static constexpr const char* kGroupEnv = "FSD_WORKER_PGID";

  explicit ProcessFunctions(std::vector<std::string> command);
  ~ProcessFunctions() override;
  ProcessFunctions(const ProcessFunctions&) = delete;
  ProcessFunctions& operator=(const ProcessFunctions&) = delete;

  Result<std::string> invoke(const std::string& function_name, const std::string& payload_json,
                             cloud::InvocationType type) override;

  void join_all();                    // waits for every kEvent child started so far
  void reap();                        // collects the kEvent children that have ended; never blocks
  void kill_all();                    // SIGKILL to every worker of the run, then reaps our children
  std::vector<Error> errors() const;  // kEvent children that exited non-zero (found by join_all, reap)
  pid_t group() const { return group_; }

 private:
  struct Started {
    pid_t pid = -1;
    int stdin_fd = -1;  // ours to write the payload into and close
  };
  Result<Started> start(const std::string& function_name, int stdout_fd, int stderr_fd);

  std::vector<std::string> command_;
  pid_t group_ = 0;        // the workers' process group
  pid_t holder_ = 0;       // the group-holder process, when we created the group
  mutable std::mutex mu_;  // guards running_ and errors_
  std::vector<pid_t> running_;
  std::vector<Error> errors_;
};

}  // namespace engine::aws
