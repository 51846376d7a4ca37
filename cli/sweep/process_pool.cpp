#include "cli/sweep/process_pool.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace cli::sweep {
namespace {

using Clock = std::chrono::steady_clock;

// Starts one job; returns its pid, or 0 with `error` set.
pid_t spawn(const ProcessJob& job, std::string& error) {
  if (job.argv.empty()) {
    error = "empty command";
    return 0;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, job.stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, job.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  for (const auto& a : job.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    error = job.argv[0] + ": " + std::strerror(rc);
    return 0;
  }
  return pid;
}

}  // namespace

void run_processes(const std::vector<ProcessJob>& jobs, int parallel,
                   const std::function<void(std::size_t, const ProcessResult&)>& on_done) {
  if (parallel < 1) throw std::invalid_argument("run_processes: parallel must be ≥ 1");
  std::map<pid_t, std::pair<std::size_t, Clock::time_point>> running;
  std::size_t next = 0;
  while (next < jobs.size() || !running.empty()) {
    while (next < jobs.size() && static_cast<int>(running.size()) < parallel) {
      ProcessResult failed;
      const pid_t pid = spawn(jobs[next], failed.error);
      if (pid == 0) {
        failed.exit_code = 127;
        on_done(next++, failed);
        continue;
      }
      running[pid] = {next++, Clock::now()};
    }
    if (running.empty()) continue;
    int status = 0;
    struct rusage usage {};
    const pid_t pid = ::wait4(-1, &status, 0, &usage);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("wait4: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;  // not one of ours
    ProcessResult r;
    r.wall_s = std::chrono::duration<double>(Clock::now() - it->second.second).count();
    r.cpu_s = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec + 1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const std::size_t index = it->second.first;
    running.erase(it);
    on_done(index, r);
  }
}

}  // namespace cli::sweep
