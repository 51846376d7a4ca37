// The Lambda package is self-contained: deploy/package.sh bundles fsd's shared libraries, glibc
// and its loader included, and deploy/bootstrap runs fsd under them, so a Debian 12 build starts on
// Amazon Linux 2023 (older glibc and libstdc++). Each case builds the zip into this process's
// scratch folder, unpacks it as Lambda does (Unix modes kept), starts the bundled `bootstrap` with
// only Lambda's variables in its environment against a tiny Runtime API served here, and reads
// /proc/<pid>/maps while fsd waits for its next event: every file fsd has mapped must come from
// the package. Needs no emulator. The package path contains a space (quoting in bootstrap).
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network_io.hpp"
#include "scratch.hpp"

namespace fs = std::filesystem;

namespace {

// The Lambda Runtime API (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) on 127.0.0.1:
// hands out `events` one per GET .../invocation/next (request ids req-1, req-2, ...), records
// what the runtime POSTs back, and holds the GET that comes after the last event unanswered, as
// Lambda does while no event is pending. One thread; test-only (bodies by Content-Length).
class RuntimeApi {
 public:
  struct Posted {
    std::string path, body;
  };

  explicit RuntimeApi(std::vector<std::string> events) : events_(std::move(events)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~RuntimeApi() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // True once the runtime asked for an event after the last one.
  bool waiting() const { return waiting_; }
  std::vector<Posted> posted() const {
    std::lock_guard lock(mu_);
    return posted_;
  }

 private:
  void serve() {
    std::vector<int> conns;
    std::map<int, std::string> buffers;
    while (!stop_) {
      std::vector<pollfd> fds{{fd_, POLLIN, 0}};
      for (int c : conns) fds.push_back({c, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN)
        if (int c = ::accept(fd_, nullptr, nullptr); c >= 0) conns.push_back(c);
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[65536];
        const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          ::close(fds[i].fd);
          buffers.erase(fds[i].fd);
          std::erase(conns, fds[i].fd);
          continue;
        }
        buffers[fds[i].fd].append(buf, static_cast<std::size_t>(n));
        handle(fds[i].fd, buffers[fds[i].fd]);
      }
    }
    for (int c : conns) ::close(c);
  }

  void handle(int conn, std::string& buf) {
    for (;;) {
      const auto end = buf.find("\r\n\r\n");
      if (end == std::string::npos) return;
      std::string head = buf.substr(0, end);
      std::string lower = head;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::size_t length = 0;
      if (auto p = lower.find("content-length:"); p != std::string::npos) length = std::stoul(lower.substr(p + 15));
      if (buf.size() < end + 4 + length) return;
      const std::string body = buf.substr(end + 4, length);
      buf.erase(0, end + 4 + length);
      std::istringstream line(head);
      std::string method, path;
      line >> method >> path;
      if (method == "GET" && path == "/2018-06-01/runtime/invocation/next") {
        if (next_event_ == events_.size()) {
          waiting_ = true;  // held: no reply
          continue;
        }
        const std::string& event = events_[next_event_++];
        reply(conn, 200,
              "Lambda-Runtime-Aws-Request-Id: req-" + std::to_string(next_event_) +
                  "\r\nLambda-Runtime-Deadline-Ms: 4102444800000\r\n"
                  "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:fsd\r\n",
              event);
      } else if (method == "POST") {
        {
          std::lock_guard lock(mu_);
          posted_.push_back({path, body});
        }
        reply(conn, 202, "", R"({"status":"OK"})");
      } else {
        reply(conn, 404, "", "{}");
      }
    }
  }

  static void reply(int conn, int status, const std::string& headers, const std::string& body) {
    const std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\n" +
                            headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    for (std::size_t off = 0; off < out.size();) {
      const ssize_t w = ::write(conn, out.data() + off, out.size() - off);
      if (w <= 0) return;
      off += static_cast<std::size_t>(w);
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::vector<std::string> events_;
  std::size_t next_event_ = 0;
  std::atomic<bool> stop_{false}, waiting_{false};
  mutable std::mutex mu_;
  std::vector<Posted> posted_;
  std::thread thread_;
};

// A program run with exactly `env` as its environment (nothing inherited), stdout and stderr to
// `log`; killed and reaped on destruction.
class Process {
 public:
  Process(const std::vector<std::string>& argv, const std::vector<std::string>& env, const std::string& log) {
    // Everything the child needs is made before fork(): another thread (the Runtime API) may hold
    // the allocator's lock at that moment, so the child only calls dup2 and execve.
    std::vector<char*> a, e;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    for (const auto& s : env) e.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    e.push_back(nullptr);
    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    REQUIRE(out >= 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execve(a[0], a.data(), e.data());
      ::_exit(127);
    }
    ::close(out);
  }
  ~Process() {
    if (!exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  pid_t pid() const { return pid_; }
  bool exited() {
    if (!exited_ && ::waitpid(pid_, nullptr, WNOHANG) == pid_) exited_ = true;
    return exited_;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int run(const std::string& command) { return std::system(command.c_str()); }

// Builds the zip from the fsd under test and unpacks it as Lambda does: Unix modes from the zip.
fs::path build_and_unpack() {
  const fs::path dir = fsd_test::scratch_dir() / "lambda pkg";
  const fs::path zip = fsd_test::scratch_dir() / "fsd-lambda.zip";
  fs::create_directories(dir);
  REQUIRE(run("bash " FSD_SOURCE_DIR "/deploy/package.sh --fsd " FSD_EXE " --out '" + zip.string() + "' > '" +
              fsd_test::scratch("package.log") + "' 2>&1") == 0);
  MESSAGE(slurp(fsd_test::scratch("package.log")));
  const std::string unpack =
      "import os, sys, zipfile\n"
      "with zipfile.ZipFile(sys.argv[1]) as z:\n"
      "    for i in z.infolist():\n"
      "        os.chmod(z.extract(i, sys.argv[2]), (i.external_attr >> 16) & 0o777)\n";
  REQUIRE(run("python3 -c '" + unpack + "' '" + zip.string() + "' '" + dir.string() + "'") == 0);
  return fs::canonical(dir);
}

bool executable(const fs::path& p) { return (fs::status(p).permissions() & fs::perms::owner_exec) != fs::perms::none; }

// Paths of the files mapped into process `pid` (its executable, loader, libraries, data files).
std::set<std::string> mapped_files(pid_t pid) {
  std::set<std::string> files;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    // address perms offset dev inode   path (the path may contain spaces)
    std::istringstream fields(line);
    std::string skip;
    for (int i = 0; i < 5; ++i) fields >> skip;
    std::string path;
    std::getline(fields >> std::ws, path);
    if (!path.empty() && path[0] == '/') files.insert(path);
  }
  return files;
}

std::map<std::string, std::string> environment(pid_t pid) {
  std::map<std::string, std::string> env;
  std::istringstream all(slurp("/proc/" + std::to_string(pid) + "/environ"));
  std::string entry;
  while (std::getline(all, entry, '\0'))
    if (auto eq = entry.find('='); eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  return env;
}

// The variables Lambda gives a provided.al2023 function (docs: "Defined runtime environment
// variables"), for a package unpacked at `root`, plus `extra`.
std::vector<std::string> lambda_env(const fs::path& root, const std::string& runtime_api,
                                    const std::vector<std::string>& extra = {}) {
  std::vector<std::string> env{"AWS_LAMBDA_RUNTIME_API=" + runtime_api,
                               "LAMBDA_TASK_ROOT=" + root.string(),
                               "LAMBDA_RUNTIME_DIR=/var/runtime",
                               "_HANDLER=bootstrap",
                               "AWS_EXECUTION_ENV=AWS_Lambda_rapid",
                               "AWS_LAMBDA_FUNCTION_NAME=fsd-serial",
                               "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=1024",
                               "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
                               "AWS_REGION=us-east-1",
                               "TZ=:UTC"};
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

// Starts bootstrap and waits (≤ 60 s) until fsd asks for an event after the scripted ones.
void run_until_waiting(Process& process, const RuntimeApi& api, const std::string& log) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!api.waiting()) {
    REQUIRE_MESSAGE(!process.exited(), "bootstrap exited early; its output:\n" << slurp(log));
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() < deadline, "no request for a next event in 60 s:\n"
                                                                     << slurp(log));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Every mapped file lies in the package; the loader, glibc, libstdc++ and libcurl are among them.
void check_all_mapped_from_package(pid_t pid, const fs::path& root) {
  const std::set<std::string> files = mapped_files(pid);
  REQUIRE(!files.empty());
  const std::string prefix = root.string() + "/";
  for (const std::string& f : files) CHECK_MESSAGE(f.rfind(prefix, 0) == 0, f << " is not from the package");
  for (const char* lib : {"lib/ld-linux-x86-64.so.2", "lib/libc.so.6", "lib/libstdc++.so.6", "lib/libcurl.so.4", "fsd"})
    CHECK_MESSAGE(files.count(prefix + lib) == 1, lib << " is not mapped from the package");
}

}  // namespace

TEST_CASE("aws: lambda package runs fsd on its bundled loader and libraries only") {
  const fs::path root = build_and_unpack();
  CHECK(executable(root / "bootstrap"));
  CHECK(executable(root / "lib/ld-linux-x86-64.so.2"));

  // The bundled loader resolves every library fsd needs inside lib/, none from the host.
  const std::string list_log = fsd_test::scratch("list.log");
  REQUIRE(run("env -i '" + (root / "lib/ld-linux-x86-64.so.2").string() + "' --library-path '" +
              (root / "lib").string() + "' --inhibit-cache --list '" + (root / "fsd").string() + "' > " + list_log +
              " 2>&1") == 0);
  std::istringstream listed(slurp(list_log));
  int resolved = 0;
  for (std::string line; std::getline(listed, line);) {
    if (line.find("=>") == std::string::npos) continue;
    CHECK_MESSAGE(line.find("=> " + (root / "lib").string() + "/") != std::string::npos, line);
    ++resolved;
  }
  CHECK(resolved > 10);

  const std::string data = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
  const nlohmann::json event = {
      {"weights", data}, {"neurons", 1024}, {"layers", 4}, {"images", data + "/sparse-images-1024_subset.mtx"}};
  RuntimeApi api({event.dump(), R"({"weights":"x","typo":1})"});
  const std::string log = fsd_test::scratch("bootstrap.log");
  // Only Lambda's variables: no PATH, no LD_LIBRARY_PATH, no CURL_CA_BUNDLE.
  Process bootstrap({(root / "bootstrap").string()}, lambda_env(root, api.address()), log);
  run_until_waiting(bootstrap, api, log);

  // Read while fsd waits for its third event: everything it loaded for two invocations.
  check_all_mapped_from_package(bootstrap.pid(), root);
  const auto env = environment(bootstrap.pid());
  CHECK(env.count("LD_LIBRARY_PATH") == 0);
  // The host's CA bundle, Amazon Linux's path first; this Debian machine has only the second.
  std::string want_bundle;
  for (const char* b : {"/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/certs/ca-certificates.crt"})
    if (want_bundle.empty() && ::access(b, R_OK) == 0) want_bundle = b;
  CHECK(env.count("CURL_CA_BUNDLE") == !want_bundle.empty());
  if (!want_bundle.empty()) CHECK(env.at("CURL_CA_BUNDLE") == want_bundle);
  const std::string cmdline = slurp("/proc/" + std::to_string(bootstrap.pid()) + "/cmdline");
  CHECK(cmdline.find(root.string() + "/fsd" + std::string(1, '\0') + "lambda") != std::string::npos);

  // The two invocations were served: a result, then that bad event's error.
  const auto posted = api.posted();
  REQUIRE(posted.size() == 2);
  CHECK(posted[0].path == "/2018-06-01/runtime/invocation/req-1/response");
  CHECK(posted[1].path == "/2018-06-01/runtime/invocation/req-2/error");
  CHECK(posted[1].body.find("unknown event key 'typo'") != std::string::npos);
  const auto result = nlohmann::json::parse(posted[0].body);
  // Independent reference: the serial engine in this process.
  const engine::Network net = engine::read_network(data, 1024, 4);
  const engine::Activations images = engine::read_images(data + "/sparse-images-1024_subset.mtx", 1024);
  std::vector<std::int32_t> want = engine::categories(engine::infer(net, images));
  for (auto& c : want) ++c;
  CHECK(result.at("images").get<int>() == 1200);
  CHECK(result.at("categories").get<std::vector<std::int32_t>>() == want);
}

TEST_CASE("aws: lambda package ignores the LD_LIBRARY_PATH Lambda sets and keeps a given CA bundle") {
  const fs::path root = build_and_unpack();
  RuntimeApi api({});
  const std::string log = fsd_test::scratch("bootstrap.log");
  // Lambda puts its system folders first (/lib64:/usr/lib64:...): here, the host's own copies of
  // every library fsd needs, which a loader honouring LD_LIBRARY_PATH would pick over lib/.
  Process bootstrap({(root / "bootstrap").string()},
                    lambda_env(root, api.address(),
                               {"LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu:/lib64:/usr/lib64:" +
                                    root.string() + ":" + root.string() + "/lib",
                                "CURL_CA_BUNDLE=/opt/certs/bundle.pem"}),
                    log);
  run_until_waiting(bootstrap, api, log);
  check_all_mapped_from_package(bootstrap.pid(), root);
  CHECK(environment(bootstrap.pid()).at("CURL_CA_BUNDLE") == "/opt/certs/bundle.pem");
}
