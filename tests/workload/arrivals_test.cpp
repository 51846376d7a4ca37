// Arrival processes: counts against the configured rate within bounds derived in the test
// (a Poisson count over T has mean and variance λT), exact placement of trace minutes, and
// determinism across calls. Seeds are printed with each case.
#include "sim/workload/arrivals.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

using workload::ArrivalKind;
using workload::ArrivalSpec;

namespace {
bool sorted_within(const std::vector<double>& t, double duration_s) {
  return std::is_sorted(t.begin(), t.end()) && (t.empty() || (t.front() >= 0 && t.back() < duration_s));
}
}  // namespace

TEST_CASE("arrivals: poisson count and gaps match the rate") {
  ArrivalSpec s;
  s.kind = ArrivalKind::kPoisson;
  s.queries_per_day = 2000;
  s.seed = 42;
  MESSAGE("seed " << s.seed);
  const double duration_s = 10 * 86400.0;
  const auto t = workload::arrivals(s, duration_s);
  CHECK(sorted_within(t, duration_s));
  // Count ~ Poisson(λT) with λT = 20,000: accept ±5σ (σ = √20,000 ≈ 141).
  const double mean = 20000, sigma = std::sqrt(mean);
  CHECK(std::abs(static_cast<double>(t.size()) - mean) < 5 * sigma);
  // Exponential gaps: P(gap > 1/λ) = e⁻¹. Binomial over n gaps: ±5·√(n·p·(1−p)).
  const double mean_gap = 86400.0 / 2000;
  std::size_t longer = 0;
  for (std::size_t i = 1; i < t.size(); ++i) longer += (t[i] - t[i - 1]) > mean_gap;
  const double n = static_cast<double>(t.size() - 1), p = std::exp(-1.0);
  CHECK(std::abs(static_cast<double>(longer) - n * p) < 5 * std::sqrt(n * p * (1 - p)));
  // Deterministic per seed; another seed gives another stream.
  CHECK(workload::arrivals(s, duration_s) == t);
  s.seed = 43;
  CHECK(workload::arrivals(s, duration_s) != t);
  s.queries_per_day = 0;
  CHECK(workload::arrivals(s, duration_s).empty());
}

TEST_CASE("arrivals: bursts come in groups of burst_size at the gap rate") {
  ArrivalSpec s;
  s.kind = ArrivalKind::kBursts;
  s.burst_size = 5;
  s.burst_gap_s = 100;
  s.seed = 7;
  MESSAGE("seed " << s.seed);
  const double duration_s = 100000;
  const auto t = workload::arrivals(s, duration_s);
  CHECK(sorted_within(t, duration_s));
  REQUIRE(t.size() % 5 == 0);
  for (std::size_t b = 0; b < t.size(); b += 5) CHECK(t[b] == t[b + 4]);
  // Burst starts are Poisson(T/gap = 1000): ±5σ.
  const double bursts = static_cast<double>(t.size() / 5);
  CHECK(std::abs(bursts - 1000) < 5 * std::sqrt(1000.0));
  CHECK(workload::mean_queries_per_day(s) == doctest::Approx(5 * 86400.0 / 100));
}

TEST_CASE("arrivals: trace minutes land in their minute, scaled, repeating") {
  ArrivalSpec s;
  s.kind = ArrivalKind::kTrace;
  s.trace_per_minute = {2, 0, 3};
  s.trace_scale = 1.0;
  s.seed = 3;
  MESSAGE("seed " << s.seed);
  auto t = workload::arrivals(s, 180);
  REQUIRE(t.size() == 5);
  CHECK(std::count_if(t.begin(), t.end(), [](double x) { return x < 60; }) == 2);
  CHECK(std::count_if(t.begin(), t.end(), [](double x) { return x >= 120 && x < 180; }) == 3);
  // A study twice as long as the trace replays it twice; one cut mid-minute keeps only earlier times.
  CHECK(workload::arrivals(s, 360).size() == 10);
  t = workload::arrivals(s, 150);
  CHECK(sorted_within(t, 150));
  CHECK(t.size() <= 5);
  // Scale 0.25 on 1000 per minute over 100 minutes: 250 per minute, exactly (no fraction to round).
  s.trace_per_minute.assign(100, 1000);
  s.trace_scale = 0.25;
  CHECK(workload::arrivals(s, 6000).size() == 25000);
  // Scale 0.3 on 1 per minute: each minute has one query with probability 0.3 → Binomial(1000, 0.3).
  s.trace_per_minute.assign(1000, 1);
  s.trace_scale = 0.3;
  const double n = static_cast<double>(workload::arrivals(s, 60000).size());
  CHECK(std::abs(n - 300) < 5 * std::sqrt(1000 * 0.3 * 0.7));
  // trace_scale_for: 30 invocations in 2 minutes → 21,600 per day; 1440 per day needs 1/15.
  CHECK(workload::trace_scale_for({10, 20}, 1440) == doctest::Approx(1.0 / 15));
  s.trace_per_minute = {10, 20};
  s.trace_scale = 1.0 / 15;
  CHECK(workload::mean_queries_per_day(s) == doctest::Approx(1440));
}

TEST_CASE("arrivals: bad specs are rejected") {
  ArrivalSpec s;
  s.queries_per_day = -1;
  CHECK_THROWS_AS(workload::arrivals(s, 10), std::invalid_argument);
  s = {};
  s.kind = ArrivalKind::kBursts;
  s.burst_size = 0;
  CHECK_THROWS_AS(workload::arrivals(s, 10), std::invalid_argument);
  s.burst_size = 1;
  s.burst_gap_s = 0;
  CHECK_THROWS_AS(workload::arrivals(s, 10), std::invalid_argument);
  s = {};
  s.kind = ArrivalKind::kTrace;
  CHECK_THROWS_AS(workload::arrivals(s, 10), std::invalid_argument);
  CHECK_THROWS_AS(workload::trace_scale_for({0, 0}, 10), std::invalid_argument);
  CHECK(workload::parse_arrival_kind("bursts") == ArrivalKind::kBursts);
  CHECK_THROWS_AS(workload::parse_arrival_kind("burst"), std::invalid_argument);
}
