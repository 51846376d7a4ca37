// FaultServer: a tiny HTTP/1.1 server on 127.0.0.1 (OS-chosen port) that answers each request with
// the next scripted response, for the faults a real emulator will not produce on demand (500, 503,
// malformed bodies). Records every request it saw. One thread; keep-alive connections; stops in
// its destructor. Test-only: no chunked encoding, bodies by Content-Length.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace aws_test {

struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct SeenRequest {
  std::string head;  // request line and headers
  std::string body;
};

class FaultServer {
 public:
  FaultServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FaultServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void push(ScriptedResponse r) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(r));
  }
  std::vector<SeenRequest> seen() const {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  void serve() {
    std::vector<int> conns;
    std::vector<std::string> buffers;
    while (!stop_) {
      std::vector<pollfd> fds{{fd_, POLLIN, 0}};
      for (int c : conns) fds.push_back({c, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        int c = ::accept(fd_, nullptr, nullptr);
        if (c >= 0) {
          conns.push_back(c);
          buffers.emplace_back();
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char buf[65536];
        ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          ::close(fds[i].fd);
          conns[i - 1] = -1;
          continue;
        }
        buffers[i - 1].append(buf, static_cast<std::size_t>(n));
        handle(fds[i].fd, buffers[i - 1]);
      }
      for (std::size_t i = conns.size(); i-- > 0;)
        if (conns[i] < 0) {
          conns.erase(conns.begin() + static_cast<long>(i));
          buffers.erase(buffers.begin() + static_cast<long>(i));
        }
    }
    for (int c : conns) ::close(c);
  }

  // Answers every complete request in buf.
  void handle(int conn, std::string& buf) {
    for (;;) {
      auto end = buf.find("\r\n\r\n");
      if (end == std::string::npos) return;
      std::string head = buf.substr(0, end);
      std::size_t length = 0;
      std::string lower = head;
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      if (auto p = lower.find("content-length:"); p != std::string::npos) length = std::stoul(lower.substr(p + 15));
      if (buf.size() < end + 4 + length) return;
      SeenRequest req{head, buf.substr(end + 4, length)};
      buf.erase(0, end + 4 + length);
      ScriptedResponse r{500, {}, "<Error><Code>InternalError</Code><Message>script exhausted</Message></Error>"};
      {
        std::lock_guard lock(mu_);
        seen_.push_back(req);
        if (!script_.empty()) {
          r = script_.front();
          script_.pop_front();
        }
      }
      std::string out =
          "HTTP/1.1 " + std::to_string(r.status) + " X\r\nContent-Length: " + std::to_string(r.body.size()) + "\r\n";
      for (const auto& [k, v] : r.headers) out += k + ": " + v + "\r\n";
      out += "\r\n" + r.body;
      std::size_t off = 0;
      while (off < out.size()) {
        ssize_t w = ::write(conn, out.data() + off, out.size() - off);
        if (w <= 0) return;
        off += static_cast<std::size_t>(w);
      }
    }
  }

  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::deque<ScriptedResponse> script_;
  std::vector<SeenRequest> seen_;
  std::thread thread_;
};

}  // namespace aws_test
