// ProcessFunctions: local worker processes get exactly the payload on stdin and Lambda's
// function-name variable; kRequestResponse returns stdout or the process's error; kill_all
// reaches grandchildren (the whole process group), so no worker outlives a run.
#include "engine/aws/process_functions.hpp"

#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "scratch.hpp"

using engine::aws::ProcessFunctions;
using engine::cloud::InvocationType;
namespace fs = std::filesystem;

namespace {
std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
// Alive and not a zombie (a killed orphan may wait a moment for init to reap it).
bool alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}
}  // namespace

TEST_CASE("process functions: the payload on stdin, stdout back, errors with stderr") {
  ProcessFunctions echo(
      {"/bin/sh", "-c", "cat; printf ' %s' \"$AWS_LAMBDA_FUNCTION_NAME\"; test -n \"$FSD_WORKER_PGID\""});
  // Bigger than a pipe buffer (64 KiB) and with bytes a shell would mangle if it ever saw them.
  std::string payload = "{\"run\":\"r\",\"x\":\"$HOME `id` \\\"\"}";
  payload += std::string(200000, 'p');
  auto r = echo.invoke("fsd-worker", payload, InvocationType::kRequestResponse);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message()));
  CHECK(*r == payload + " fsd-worker");

  ProcessFunctions failing({"/bin/sh", "-c", "cat > /dev/null; echo 'bad event: key x' >&2; exit 2"});
  auto f = failing.invoke("fsd-worker", "{}", InvocationType::kRequestResponse);
  REQUIRE(!f);
  CHECK(f.error().code == engine::ErrorCode::kInternal);
  CHECK(f.error().what.find("exited with status 2: bad event: key x") != std::string::npos);

  ProcessFunctions missing({"/nonexistent/fsd", "lambda"});
  auto m = missing.invoke("fsd-worker", "{}", InvocationType::kRequestResponse);
  REQUIRE(!m);
  CHECK(m.error().what.find("exited with status 127") != std::string::npos);
}

TEST_CASE("process functions: kEvent returns at once, join_all waits and collects failures") {
  const fs::path dir = fsd_test::scratch("process-events");
  fs::create_directories(dir);
  // Each worker waits for a file the test creates only after every invoke returned: an invoke
  // that waited for its worker would never return.
  const std::string d = dir.string();
  ProcessFunctions f({"/bin/sh", "-c",
                      "read -r n; while [ ! -e \"" + d + "/go\" ]; do sleep 0.01; done; echo \"$n\" > \"" + d +
                          "/$n\"; test \"$n\" != 3"});
  for (int i = 0; i < 4; ++i) {
    auto r = f.invoke("w", std::to_string(i) + "\n", InvocationType::kEvent);
    REQUIRE(r);
    CHECK(r->empty());
  }
  CHECK_FALSE(fs::exists(dir / "0"));
  std::ofstream(dir / "go") << "go";
  f.join_all();
  for (int i = 0; i < 4; ++i) CHECK(slurp(dir / std::to_string(i)) == std::to_string(i) + "\n");
  const auto errors = f.errors();
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].what.find("exited with status 1") != std::string::npos);
}

TEST_CASE("process functions: reap finds a worker that ended while others still run") {
  const fs::path dir = fsd_test::scratch("process-reap");
  fs::create_directories(dir);
  const std::string d = dir.string();
  ProcessFunctions f(
      {"/bin/sh", "-c",
       "read -r n; if [ \"$n\" = 1 ]; then exit 3; fi; while [ ! -e \"" + d + "/go\" ]; do sleep 0.01; done"});
  REQUIRE(f.invoke("w", "0\n", InvocationType::kEvent));
  REQUIRE(f.invoke("w", "1\n", InvocationType::kEvent));
  // reap() never blocks: worker 0 waits for "go", which only comes after worker 1's failure is seen.
  for (int t = 0; t < 1000 && f.errors().empty(); ++t) {
    f.reap();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(f.errors().size() == 1);
  CHECK(f.errors()[0].what.find("exited with status 3") != std::string::npos);
  std::ofstream(dir / "go") << "go";
  f.join_all();
  CHECK(f.errors().size() == 1);  // worker 0 ended well
}

TEST_CASE("process functions: kill_all ends workers and the workers' own children") {
  const fs::path dir = fsd_test::scratch("process-kill");
  fs::create_directories(dir);
  // Each worker starts a grandchild (as a worker invokes its launch-tree children) and writes both
  // pids; both then wait forever.
  ProcessFunctions f({"/bin/sh", "-c",
                      "read -r n; sleep 1000 & echo \"$$ $!\" > \"" + dir.string() + "/$n.tmp\"; mv \"" + dir.string() +
                          "/$n.tmp\" \"" + dir.string() + "/$n\"; wait"});
  for (int i = 0; i < 3; ++i) REQUIRE(f.invoke("w", std::to_string(i) + "\n", InvocationType::kEvent));
  std::vector<pid_t> pids;
  for (int i = 0; i < 3; ++i) {
    for (int t = 0; t < 500 && !fs::exists(dir / std::to_string(i)); ++t)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::istringstream in(slurp(dir / std::to_string(i)));
    pid_t worker = 0, grandchild = 0;
    in >> worker >> grandchild;
    REQUIRE(worker > 0);
    REQUIRE(grandchild > 0);
    CHECK(::getpgid(grandchild) == f.group());  // the grandchild is in the run's group
    pids.push_back(grandchild);
  }
  f.kill_all();
  // The grandchildren are not our children: once killed they are reaped by init, so poll briefly.
  for (pid_t pid : pids) {
    for (int t = 0; t < 200 && alive(pid); ++t) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK_FALSE(alive(pid));
  }
  CHECK(f.errors().size() == 3);  // killed, hence failed
}
