// RequestCounter: how many HTTP requests the AWS clients actually sent, per "service:Operation"
// (every attempt, retries included, as AWS bills them), so a run record's metered requests can be
// checked against the wire. Thread-safe; snapshot() is a consistent copy.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace engine::aws {

struct RequestTally {
  std::int64_t sent = 0;     // HTTP requests written to the network
  std::int64_t failed = 0;   // of which ended in a transport error or a non-2xx status
  std::int64_t retried = 0;  // of which were repeats of an earlier attempt
  bool operator==(const RequestTally&) const = default;
};

class RequestCounter {
 public:
  void record(const std::string& operation, bool ok, bool retry) {
    std::lock_guard lock(mu_);
    count(tallies_[operation], ok, retry);
  }
  // The same for "service:operation", without building that string per request (the clients'
  // hot path): the key is assembled in a per-thread buffer and looked up; only a new operation
  // allocates.
  void record(std::string_view service, std::string_view operation, bool ok, bool retry) {
    thread_local std::string key;
    key.assign(service);
    key += ':';
    key.append(operation);
    std::lock_guard lock(mu_);
    auto it = tallies_.find(key);
    if (it == tallies_.end()) it = tallies_.emplace(key, RequestTally{}).first;
    count(it->second, ok, retry);
  }
  std::map<std::string, RequestTally> snapshot() const {
    std::lock_guard lock(mu_);
    return tallies_;
  }
  std::int64_t sent(const std::string& operation) const {
    std::lock_guard lock(mu_);
    auto it = tallies_.find(operation);
    return it == tallies_.end() ? 0 : it->second.sent;
  }
  void reset() {
    std::lock_guard lock(mu_);
    tallies_.clear();
  }

 private:
  static void count(RequestTally& t, bool ok, bool retry) {
    ++t.sent;
    if (!ok) ++t.failed;
    if (retry) ++t.retried;
  }
  mutable std::mutex mu_;
  std::map<std::string, RequestTally> tallies_;
};

}  // namespace engine::aws
