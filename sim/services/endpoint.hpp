// Endpoint: what one request to a simulated service costs, and whether it is throttled.
//
// A request from the calling actor's host: the request bytes travel to the endpoint host
// (function link + endpoint link: latencies add, the slower bandwidth bounds), the service works
// service_time_s, then the response bytes travel back. Throttling is a token bucket of
// burst_requests refilled at requests_per_s (RateLimit), checked when the request arrives: the
// endpoint's own, or one the service keeps per resource; a throttled request still pays its round
// trip. Called outside any actor (setup before run()), nothing takes time.
// With FSD_SIM_TRACE set, every request prints "time actor endpoint request_bytes" to stderr.
// Not thread-safe: SimGrid runs all actors on one OS thread.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>

#include "sim/calibration.hpp"

namespace simgrid::s4u {
class Host;
}

namespace sim {

// One request reaching an endpoint (what FSD_SIM_TRACE prints and golden-trace tests compare).
struct RequestTrace {
  double time_s = 0;
  std::string actor, endpoint;
  std::uint64_t request_bytes = 0;
  bool operator==(const RequestTrace&) const = default;
};

// A token bucket of burst_requests, refilled at requests_per_s: the request rate limit of one
// throttling scope (an endpoint, or one S3 bucket's PUT or GET class). Starts full.
class RateLimit {
 public:
  explicit RateLimit(const ServiceCalibration& calibration);
  // Refills for the time since the last call, then takes a token; false when there is none.
  bool take(double now_s);

 private:
  double requests_per_s_, burst_requests_, tokens_;
  double last_refill_s_ = 0;
};

class Endpoint {
 public:
  // Receives every request's arrival; empty (the default) prints to stderr if FSD_SIM_TRACE is set.
  static void set_trace_sink(std::function<void(const RequestTrace&)> sink);

  // client_overhead_s: time the calling code spends per request before it leaves the host.
  Endpoint(simgrid::s4u::Host* host, const ServiceCalibration& calibration, double client_overhead_s);

  // Request leg; returns false when the request is throttled, after paying the empty reply leg
  // (a throttled request costs its round trip; the caller then fails without replying again).
  [[nodiscard]] bool arrive(std::uint64_t request_bytes);
  // The same, checked against `limit` instead of the endpoint's own token bucket (a service whose
  // rate limit is per resource, as S3's per bucket).
  [[nodiscard]] bool arrive(std::uint64_t request_bytes, RateLimit& limit);
  void work();                                 // service_time_s (+ the jitter) at the service
  void reply(std::uint64_t response_bytes);    // response leg back to the caller
  void control();                              // a control-plane call (create, subscribe): never throttled
  static bool in_actor();                      // false while the platform is being set up

  const ServiceCalibration& calibration() const { return calibration_; }

 private:
  void trace(std::uint64_t request_bytes) const;

  simgrid::s4u::Host* host_;
  ServiceCalibration calibration_;
  double client_overhead_s_;
  RateLimit limit_;
  std::mt19937_64 rng_;  // the service-time jitter; seeded from the endpoint host's name
};

}  // namespace sim
