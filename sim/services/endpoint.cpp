// Endpoint timing through SimGrid: Comm::sendto for both legs, sleep_for for the service time.
#include "sim/services/endpoint.hpp"

#include <simgrid/s4u.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace sg4 = simgrid::s4u;

namespace sim {
namespace {
std::function<void(const RequestTrace&)>& trace_sink() {
  static std::function<void(const RequestTrace&)> sink;
  return sink;
}
}  // namespace

void Endpoint::set_trace_sink(std::function<void(const RequestTrace&)> sink) { trace_sink() = std::move(sink); }

void Endpoint::trace(std::uint64_t request_bytes) const {
  static const bool to_stderr = std::getenv("FSD_SIM_TRACE") != nullptr;
  if (!trace_sink() && !to_stderr) return;
  const RequestTrace t{sg4::Engine::get_clock(), sg4::this_actor::get_name(), host_->get_name(), request_bytes};
  if (trace_sink()) trace_sink()(t);
  else std::fprintf(stderr, "%.6f %s %s %llu\n", t.time_s, t.actor.c_str(), t.endpoint.c_str(),
                    static_cast<unsigned long long>(t.request_bytes));
}

RateLimit::RateLimit(const ServiceCalibration& calibration)
    : requests_per_s_(calibration.requests_per_s),
      burst_requests_(calibration.burst_requests),
      tokens_(calibration.burst_requests) {}

bool RateLimit::take(double now_s) {
  tokens_ = std::min(burst_requests_, tokens_ + (now_s - last_refill_s_) * requests_per_s_);
  last_refill_s_ = now_s;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

Endpoint::Endpoint(sg4::Host* host, const ServiceCalibration& calibration, double client_overhead_s)
    : host_(host), calibration_(calibration), client_overhead_s_(client_overhead_s), limit_(calibration),
      rng_(std::hash<std::string>{}(host ? host->get_name() : std::string())) {}

bool Endpoint::in_actor() { return !sg4::this_actor::is_maestro(); }

bool Endpoint::arrive(std::uint64_t request_bytes) { return arrive(request_bytes, limit_); }

bool Endpoint::arrive(std::uint64_t request_bytes, RateLimit& limit) {
  if (!in_actor()) return true;
  if (client_overhead_s_ > 0) sg4::this_actor::sleep_for(client_overhead_s_);
  sg4::Comm::sendto(sg4::this_actor::get_host(), host_, request_bytes);
  trace(request_bytes);
  if (!limit.take(sg4::Engine::get_clock())) {
    reply(0);
    return false;
  }
  return true;
}

void Endpoint::work() {
  if (!in_actor()) return;
  double s = calibration_.service_time_s;
  if (calibration_.service_jitter_s > 0)
    s += std::exponential_distribution<double>(1.0 / calibration_.service_jitter_s)(rng_);
  if (s > 0) sg4::this_actor::sleep_for(s);
}

void Endpoint::control() {
  if (!in_actor()) return;
  if (client_overhead_s_ > 0) sg4::this_actor::sleep_for(client_overhead_s_);
  sg4::Comm::sendto(sg4::this_actor::get_host(), host_, 0);
  trace(0);
  work();
  reply(0);
}

void Endpoint::reply(std::uint64_t response_bytes) {
  if (in_actor()) sg4::Comm::sendto(host_, sg4::this_actor::get_host(), response_bytes);
}

}  // namespace sim
