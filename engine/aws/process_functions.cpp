#include "engine/aws/process_functions.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace engine::aws {
namespace {
Error failed(const std::string& what) { return Error{ErrorCode::kInternal, "ProcessFunctions", what}; }

// Writes all of bytes (the child reads its payload promptly); false if the child went away.
bool write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
  return "ended abnormally";
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}
}  // namespace

ProcessFunctions::ProcessFunctions(std::vector<std::string> command) : command_(std::move(command)) {
  if (command_.empty()) throw std::invalid_argument("ProcessFunctions: empty command");
  ::signal(SIGPIPE, SIG_IGN);
  if (const char* g = std::getenv(kGroupEnv); g && *g) {
    group_ = static_cast<pid_t>(std::atol(g));
    return;
  }
  // The outermost instance: a holder process leads the workers' group, so the group outlives any
  // one worker and kill(-group) reaches them all. It dies with us (PDEATHSIG) or by kill_all.
  const pid_t parent = ::getpid();
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const pid_t holder = ::fork();
  if (holder < 0) throw std::runtime_error(std::string("ProcessFunctions: fork: ") + std::strerror(errno));
  if (holder == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(0);
    for (int fd = 0; fd < 3 && null_fd >= 0; ++fd) ::dup2(null_fd, fd);  // holds none of our pipes
    ::close_range(3, ~0U, 0);
    for (;;) ::pause();
  }
  if (null_fd >= 0) ::close(null_fd);
  ::setpgid(holder, holder);
  holder_ = group_ = holder;
}

ProcessFunctions::~ProcessFunctions() {
  join_all();
  if (holder_ > 0) {
    ::kill(-group_, SIGKILL);
    wait_for(holder_);
  }
}

Result<ProcessFunctions::Started> ProcessFunctions::start(const std::string& function_name, int stdout_fd,
                                                          int stderr_fd) {
  // Everything the child needs is built before fork: after it, only async-signal-safe calls.
  std::vector<std::string> env_strings;
  for (char** e = environ; e && *e; ++e) {
    const std::string s(*e);
    if (s.rfind(std::string(kGroupEnv) + "=", 0) != 0 && s.rfind("AWS_LAMBDA_FUNCTION_NAME=", 0) != 0)
      env_strings.push_back(s);
  }
  env_strings.push_back(std::string(kGroupEnv) + "=" + std::to_string(group_));
  env_strings.push_back("AWS_LAMBDA_FUNCTION_NAME=" + function_name);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = command_;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int in[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return failed(std::string("pipe: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t group = group_;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(in[0]);
    ::close(in[1]);
    return failed(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    if (group > 0) ::setpgid(0, group);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::dup2(in[0], 0);
    if (stdout_fd >= 0) ::dup2(stdout_fd, 1);
    if (stderr_fd >= 0) ::dup2(stderr_fd, 2);
    ::close_range(3, ~0U, 0);  // none of our sockets or pipes
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  if (group > 0) ::setpgid(pid, group);  // also here: whichever of the two runs first
  ::close(in[0]);
  return Started{pid, in[1]};
}

Result<std::string> ProcessFunctions::invoke(const std::string& function_name, const std::string& payload_json,
                                             cloud::InvocationType type) {
  if (type == cloud::InvocationType::kEvent) {
    const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    auto started = start(function_name, null_fd, -1);
    if (null_fd >= 0) ::close(null_fd);
    if (!started) return started.error();
    const bool written = write_all(started->stdin_fd, payload_json);  // its output goes nowhere: no deadlock
    ::close(started->stdin_fd);
    if (!written) {
      ::kill(started->pid, SIGKILL);
      wait_for(started->pid);
      return failed(function_name + ": the worker process ended before reading its event");
    }
    std::lock_guard lock(mu_);
    running_.push_back(started->pid);
    return std::string{};
  }
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return failed(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err, O_CLOEXEC) != 0) {
    ::close(out[0]);
    ::close(out[1]);
    return failed(std::string("pipe: ") + std::strerror(errno));
  }
  auto started = start(function_name, out[1], err[1]);
  ::close(out[1]);
  ::close(err[1]);
  if (!started) {
    ::close(out[0]);
    ::close(err[0]);
    return started.error();
  }
  // Feed stdin and drain stdout and stderr together: a child may answer before it has read all.
  ::fcntl(started->stdin_fd, F_SETFL, ::fcntl(started->stdin_fd, F_GETFL) | O_NONBLOCK);
  std::string stdout_text, stderr_text;
  std::size_t written = 0;
  pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {started->stdin_fd, POLLOUT, 0}};
  if (payload_json.empty()) {
    ::close(fds[2].fd);
    fds[2].fd = -1;
  }
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    if (::poll(fds, 3, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[2].fd >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(fds[2].fd, payload_json.data() + written, payload_json.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == payload_json.size()) {
        ::close(fds[2].fd);  // all written, or the child stopped reading (its exit status will say)
        fds[2].fd = -1;
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? stdout_text : stderr_text).append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  for (int i = 0; i < 3; ++i)
    if (fds[i].fd >= 0) ::close(fds[i].fd);
  const int status = wait_for(started->pid);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return stdout_text;
  while (!stderr_text.empty() && (stderr_text.back() == '\n' || stderr_text.back() == '\r')) stderr_text.pop_back();
  if (stderr_text.size() > 2000) stderr_text = "..." + stderr_text.substr(stderr_text.size() - 2000);
  return failed(function_name + ": " + describe_status(status) + (stderr_text.empty() ? "" : ": " + stderr_text));
}

void ProcessFunctions::join_all() {
  for (;;) {
    std::vector<pid_t> batch;
    {
      std::lock_guard lock(mu_);
      batch.swap(running_);
    }
    if (batch.empty()) return;
    for (pid_t pid : batch) {
      const int status = wait_for(pid);
      if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        std::lock_guard lock(mu_);
        errors_.push_back(failed("worker process " + std::to_string(pid) + " " + describe_status(status)));
      }
    }
  }
}

void ProcessFunctions::reap() {
  std::lock_guard lock(mu_);
  std::vector<pid_t> still;
  for (pid_t pid : running_) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR)) {
      still.push_back(pid);
    } else if (r == pid && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
      errors_.push_back(failed("worker process " + std::to_string(pid) + " " + describe_status(status)));
    }
  }
  running_.swap(still);
}

void ProcessFunctions::kill_all() {
  if (group_ > 0 && holder_ > 0) {
    ::kill(-group_, SIGKILL);
  } else {
    std::lock_guard lock(mu_);
    for (pid_t pid : running_) ::kill(pid, SIGKILL);
  }
  join_all();
}

std::vector<Error> ProcessFunctions::errors() const {
  std::lock_guard lock(mu_);
  return errors_;
}

}  // namespace engine::aws
