#include "sim/workload/arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <stdexcept>

namespace workload {
namespace {

constexpr double kSecondsPerDay = 86400.0;

// Uniform in [0, 1) from the top 53 bits: the same on every platform, unlike
// std::uniform_real_distribution, whose algorithm the standard leaves open.
double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// Exponential with the given mean, by inversion: −mean·ln(1 − U).
double exponential(std::mt19937_64& rng, double mean) { return -mean * std::log1p(-uniform01(rng)); }

std::vector<double> poisson(double rate_per_s, double duration_s, std::mt19937_64& rng) {
  std::vector<double> t;
  if (rate_per_s == 0) return t;
  t.reserve(static_cast<std::size_t>(rate_per_s * duration_s * 1.05) + 16);
  for (double now = exponential(rng, 1 / rate_per_s); now < duration_s; now += exponential(rng, 1 / rate_per_s))
    t.push_back(now);
  return t;
}

std::vector<double> bursts(const ArrivalSpec& s, double duration_s, std::mt19937_64& rng) {
  std::vector<double> t;
  for (double now = exponential(rng, s.burst_gap_s); now < duration_s; now += exponential(rng, s.burst_gap_s))
    t.insert(t.end(), static_cast<std::size_t>(s.burst_size), now);
  return t;
}

std::vector<double> trace(const ArrivalSpec& s, double duration_s, std::mt19937_64& rng) {
  std::vector<double> t;
  const std::size_t minutes = s.trace_per_minute.size();
  for (std::size_t m = 0; 60.0 * static_cast<double>(m) < duration_s; ++m) {
    const double expected = s.trace_per_minute[m % minutes] * s.trace_scale;
    double whole = std::floor(expected);
    if (uniform01(rng) < expected - whole) whole += 1;  // stochastic rounding keeps the mean
    const std::size_t first = t.size();
    for (std::size_t k = 0; k < static_cast<std::size_t>(whole); ++k) {
      const double at = 60.0 * (static_cast<double>(m) + uniform01(rng));
      if (at < duration_s) t.push_back(at);
    }
    std::sort(t.begin() + static_cast<std::ptrdiff_t>(first), t.end());
  }
  return t;
}

void check(const ArrivalSpec& s, double duration_s) {
  if (!(duration_s >= 0) || !std::isfinite(duration_s))
    throw std::invalid_argument("duration_s must be finite and ≥ 0");
  switch (s.kind) {
    case ArrivalKind::kPoisson:
      if (!(s.queries_per_day >= 0) || !std::isfinite(s.queries_per_day))
        throw std::invalid_argument("queries_per_day must be finite and ≥ 0");
      break;
    case ArrivalKind::kBursts:
      if (s.burst_size < 1) throw std::invalid_argument("burst_size must be ≥ 1");
      if (!(s.burst_gap_s > 0) || !std::isfinite(s.burst_gap_s))
        throw std::invalid_argument("burst_gap_s must be finite and > 0");
      break;
    case ArrivalKind::kTrace:
      if (s.trace_per_minute.empty()) throw std::invalid_argument("trace has no minutes");
      if (!(s.trace_scale >= 0) || !std::isfinite(s.trace_scale))
        throw std::invalid_argument("trace_scale must be finite and ≥ 0");
      break;
  }
}

}  // namespace

ArrivalKind parse_arrival_kind(const std::string& name) {
  if (name == "poisson") return ArrivalKind::kPoisson;
  if (name == "bursts") return ArrivalKind::kBursts;
  if (name == "trace") return ArrivalKind::kTrace;
  throw std::invalid_argument("arrival kind '" + name + "': expected poisson, bursts or trace");
}

const char* to_string(ArrivalKind kind) {
  switch (kind) {
    case ArrivalKind::kPoisson:
      return "poisson";
    case ArrivalKind::kBursts:
      return "bursts";
    case ArrivalKind::kTrace:
      return "trace";
  }
  return "?";
}

std::vector<double> arrivals(const ArrivalSpec& spec, double duration_s) {
  check(spec, duration_s);
  std::mt19937_64 rng(spec.seed);
  switch (spec.kind) {
    case ArrivalKind::kPoisson:
      return poisson(spec.queries_per_day / kSecondsPerDay, duration_s, rng);
    case ArrivalKind::kBursts:
      return bursts(spec, duration_s, rng);
    case ArrivalKind::kTrace:
      return trace(spec, duration_s, rng);
  }
  return {};
}

double mean_queries_per_day(const ArrivalSpec& spec) {
  check(spec, 0);
  switch (spec.kind) {
    case ArrivalKind::kPoisson:
      return spec.queries_per_day;
    case ArrivalKind::kBursts:
      return spec.burst_size * kSecondsPerDay / spec.burst_gap_s;
    case ArrivalKind::kTrace: {
      const double total = std::accumulate(spec.trace_per_minute.begin(), spec.trace_per_minute.end(), 0.0);
      return total * spec.trace_scale * 1440.0 / static_cast<double>(spec.trace_per_minute.size());
    }
  }
  return 0;
}

double trace_scale_for(const std::vector<std::uint32_t>& per_minute, double queries_per_day) {
  const double total = std::accumulate(per_minute.begin(), per_minute.end(), 0.0);
  if (total <= 0) throw std::invalid_argument("traced function has no invocations");
  return queries_per_day * static_cast<double>(per_minute.size()) / (1440.0 * total);
}

}  // namespace workload
