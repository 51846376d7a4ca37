// HttpClient: blocking HTTP/1.1 requests over libcurl, reusing connections.
//
// Contract: send() performs one request and returns the response, whatever its status; a transport
// failure (refused, reset, timed out) is reported in HttpResponse::transport_error with status 0,
// and request_sent says whether any byte of the request may have reached the server (false only
// when the connection could not be made, so even a non-idempotent request may be repeated).
// Thread-safe: each call borrows a curl easy handle from a pool and returns it afterwards, so a
// thread that calls again usually gets a handle whose connection is still open (keep-alive), and
// whose header buffers and constant options (set once) are reused: no per-request allocation but
// the response's own strings.
// Secrets: request headers are never copied into errors.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/aws/sigv4.hpp"

namespace engine::aws {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // scheme://host[:port]/path?query, already percent-encoded
  HeaderList headers;
  std::string_view body;    // not owned: must outlive send() (saves copying large PUT bodies)
  double timeout_s = 30.0;  // whole request; long polls pass their wait time plus a margin
};

struct HttpResponse {
  long status = 0;     // 0: no HTTP response (see transport_error)
  HeaderList headers;  // names lower-cased
  std::string body;
  std::string transport_error;  // "" when an HTTP response arrived
  bool timed_out = false;
  bool request_sent = true;
  std::string header(const std::string& lower_name) const;  // "" when absent
};

class HttpClient {
 public:
  explicit HttpClient(double connect_timeout_s = 5.0);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse send(const HttpRequest& request);

 private:
  struct Handle;  // a curl easy handle with its connection and its reusable request buffers
  Handle* acquire();
  void release(Handle* handle);
  double connect_timeout_s_;
  std::mutex mu_;
  std::vector<Handle*> idle_;
};

// "host[:port]" of a URL, as the Host header carries it.
std::string url_authority(const std::string& url);

}  // namespace engine::aws
