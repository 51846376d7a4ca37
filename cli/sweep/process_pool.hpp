// run_processes: runs child processes, at most `parallel` at a time, in order — how a sweep runs
// one `fsd simulate` per point (SimGrid keeps global state, so one simulation per process).
//
// Each job's stdout and stderr go to files (created or truncated); stdin is /dev/null. on_done is
// called in the calling thread as each child ends, in completion order, so the caller can record
// results and checkpoint without locks. A program that cannot be started gives exit_code 127
// and the reason in `error`, like a shell. Must not run concurrently with other code in the same
// process that waits for children (it reaps with wait4(-1)).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace cli::sweep {

struct ProcessJob {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH if it has no '/'
  std::string stdout_path;
  std::string stderr_path;
};

struct ProcessResult {
  int exit_code = 0;  // the child's exit status; 128 + signal number if it was killed
  double wall_s = 0;  // from spawn to exit
  double cpu_s = 0;   // user + system CPU time of the child (and its waited-for children)
  std::string error;  // why it could not be started (exit_code 127), else empty
};

void run_processes(const std::vector<ProcessJob>& jobs, int parallel,
                   const std::function<void(std::size_t index, const ProcessResult& result)>& on_done);

}  // namespace cli::sweep
