// Endpoint timing through SimGrid: Comm::sendto for both legs, sleep_for for the service time.
#include "sim/services/endpoint.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace sg4 = simgrid::s4u;

namespace sim {

Endpoint::Endpoint(sg4::Host* host, const ServiceCalibration& calibration, double client_overhead_s)
    : host_(host), calibration_(calibration), client_overhead_s_(client_overhead_s),
      tokens_(calibration.burst_requests) {}

bool Endpoint::in_actor() { return !sg4::this_actor::is_maestro(); }

bool Endpoint::arrive(std::uint64_t request_bytes) {
  if (!in_actor()) return true;
  if (client_overhead_s_ > 0) sg4::this_actor::sleep_for(client_overhead_s_);
  sg4::Comm::sendto(sg4::this_actor::get_host(), host_, request_bytes);
  static const bool trace = std::getenv("FSD_SIM_TRACE") != nullptr;  // one line per request, to stderr
  if (trace)
    std::fprintf(stderr, "%.6f %s %s %llu\n", sg4::Engine::get_clock(), sg4::this_actor::get_cname(),
                 host_->get_cname(), static_cast<unsigned long long>(request_bytes));
  const double now = sg4::Engine::get_clock();
  // Token bucket: refill for the time elapsed since the last arrival, then take one token.
  tokens_ = std::min(calibration_.burst_requests, tokens_ + (now - last_refill_s_) * calibration_.requests_per_s);
  last_refill_s_ = now;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

void Endpoint::work() {
  if (in_actor() && calibration_.service_time_s > 0) sg4::this_actor::sleep_for(calibration_.service_time_s);
}

void Endpoint::control() {
  if (!in_actor()) return;
  if (client_overhead_s_ > 0) sg4::this_actor::sleep_for(client_overhead_s_);
  sg4::Comm::sendto(sg4::this_actor::get_host(), host_, 0);
  work();
  reply(0);
}

void Endpoint::reply(std::uint64_t response_bytes) {
  if (in_actor()) sg4::Comm::sendto(host_, sg4::this_actor::get_host(), response_bytes);
}

}  // namespace sim
