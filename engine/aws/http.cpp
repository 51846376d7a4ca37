// libcurl transport of the AWS clients.
#include "engine/aws/http.hpp"

#include <curl/curl.h>

#include <cctype>
#include <cstdlib>
#include <strings.h>

#include <algorithm>
#include <cstring>
#include <string_view>

namespace engine::aws {

namespace {

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * n);
  return size * n;
}

// Room past the body's end for parsers that read ahead (simdjson reads up to 64 bytes past it and
// copies a body that lacks them).
constexpr std::size_t kBodyPadding = 64;
// A Content-Length beyond this is not reserved up front (the body still arrives, by appends).
constexpr long long kMaxReserveBytes = 64ll << 20;

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  const std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();  // a new status line (after 100 Continue or a redirect) starts over
    return size * n;
  }
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  auto& [name, value] = response->headers.emplace_back();
  name.assign(line.substr(0, colon));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  value.assign(trim(line.substr(colon + 1)));
  if (name == "content-length") {  // the body arrives in one buffer, not by doubling
    long long length = std::strtoll(value.c_str(), nullptr, 10);
    if (length > 0 && length <= kMaxReserveBytes)
      response->body.reserve(static_cast<std::size_t>(length) + kBodyPadding);
  }
  return size * n;
}

}  // namespace

std::string HttpResponse::header(const std::string& lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return v;
  return "";
}

std::string url_authority(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of("/?", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

HttpClient::HttpClient(double connect_timeout_s) : connect_timeout_s_(connect_timeout_s) { static GlobalInit init; }

struct HttpClient::Handle {
  CURL* curl = nullptr;
  std::string header_lines;       // "Name: value\0" for each header of the current request
  std::vector<std::size_t> line_starts;
  std::vector<curl_slist> nodes;  // the list CURLOPT_HTTPHEADER walks, pointing into header_lines
  ~Handle() { curl_easy_cleanup(curl); }
};

HttpClient::~HttpClient() {
  for (Handle* h : idle_) delete h;
}

// libcurl reads no environment variable for its CA bundle, and Debian's libcurl looks for
// /etc/ssl/certs/ca-certificates.crt, which Amazon Linux 2023 does not have: AWS_CA_BUNDLE (the AWS
// SDKs' variable) or CURL_CA_BUNDLE (set by deploy/bootstrap) names the file. Read once.
static const std::string& ca_bundle() {
  static const std::string path = [] {
    for (const char* name : {"AWS_CA_BUNDLE", "CURL_CA_BUNDLE"})
      if (const char* v = std::getenv(name); v && *v) return std::string(v);
    return std::string();
  }();
  return path;
}

HttpClient::Handle* HttpClient::acquire() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      Handle* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  CURL* curl = curl_easy_init();
  if (!curl) return nullptr;
  // What every request of this client shares is set once per handle; send() sets all the rest
  // on every request, so nothing of one request's options carries over to the next.
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (const std::string& ca = ca_bundle(); !ca.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, ca.c_str());
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_s_ * 1000));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  auto* h = new Handle;
  h->curl = curl;
  return h;
}

void HttpClient::release(Handle* handle) {
  std::lock_guard lock(mu_);
  idle_.push_back(handle);
}

HttpResponse HttpClient::send(const HttpRequest& request) {
  HttpResponse response;
  Handle* handle = acquire();
  if (!handle) {
    response.transport_error = "curl_easy_init failed";
    response.request_sent = false;
    return response;
  }
  CURL* curl = handle->curl;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_s * 1000));
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  // The method: each branch sets every option the others set, so none is left from a previous
  // request on this handle.
  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, static_cast<char*>(nullptr));
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);  // also clears NOBODY and a previous POST
  } else if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, static_cast<char*>(nullptr));
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method == "POST" ? static_cast<const char*>(nullptr) : request.method.c_str());
  }
  // The header list, in the handle's buffers: "Name: value" lines, then no "Expect: 100-continue"
  // round trip before bodies, and no default Accept/Content-Type that the signature did not cover.
  // The nodes are laid out by hand (curl_slist is a public struct curl only reads) so that a
  // request allocates nothing for them once the buffers have grown.
  std::string& lines = handle->header_lines;
  std::vector<std::size_t>& starts = handle->line_starts;
  lines.clear();
  starts.clear();
  auto add_line = [&](std::string_view name, std::string_view sep, std::string_view value) {
    starts.push_back(lines.size());
    lines += name;
    lines += sep;
    lines += value;
    lines += '\0';
  };
  bool has_type = false;
  for (const auto& [k, v] : request.headers) {
    add_line(k, ": ", v);
    has_type = has_type || (k.size() == 12 && strncasecmp(k.c_str(), "content-type", 12) == 0);
  }
  add_line("Expect:", "", "");
  add_line("Accept:", "", "");
  if (!has_type) add_line("Content-Type:", "", "");
  handle->nodes.resize(starts.size());
  for (std::size_t i = 0; i < starts.size(); ++i)
    handle->nodes[i] = curl_slist{lines.data() + starts[i], i + 1 < starts.size() ? &handle->nodes[i + 1] : nullptr};
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, handle->nodes.data());

  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.status = 0;
    response.transport_error = curl_easy_strerror(rc);
    response.timed_out = rc == CURLE_OPERATION_TIMEDOUT;
    response.request_sent =
        !(rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY);
    response.body.clear();
    response.headers.clear();
  }
  release(handle);
  return response;
}

}  // namespace engine::aws
