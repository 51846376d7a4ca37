// Arrival processes: when queries (one inference batch each) reach the deployment.
//
//   poisson  — exponential inter-arrival times at queries_per_day / 86400 per second;
//   bursts   — sporadic on/off traffic: bursts of burst_size queries arriving together, burst
//              starts separated by exponential gaps of mean burst_gap_s (mean rate
//              burst_size / burst_gap_s per second; queries_per_day is not used);
//   trace    — replay of one Azure Functions 2019 function (azure_trace.hpp): minute m of the day
//              brings invocations_per_minute[m] × trace_scale queries (the fraction rounded up with
//              that probability), placed uniformly at random within the minute; a study longer
//              than the trace repeats it.
//
// Times are seconds from 0, sorted ascending, all < duration_s. Deterministic: the same spec and
// seed give the same times on every platform (std::mt19937_64 and our own uniform/exponential
// transforms; the standard distributions are implementation-defined). Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace workload {

enum class ArrivalKind { kPoisson, kBursts, kTrace };

struct ArrivalSpec {
  ArrivalKind kind = ArrivalKind::kPoisson;
  double queries_per_day = 2000;                // poisson
  int burst_size = 10;                          // bursts: queries per burst
  double burst_gap_s = 3600;                    // bursts: mean time between burst starts
  std::vector<std::uint32_t> trace_per_minute;  // trace: invocations per minute (TraceFunction)
  double trace_scale = 1.0;                     // trace: queries per traced invocation
  std::uint64_t seed = 1;
};

// "poisson" | "bursts" | "trace" → kind; throws std::invalid_argument otherwise.
ArrivalKind parse_arrival_kind(const std::string& name);
const char* to_string(ArrivalKind kind);

// Arrival times in [0, duration_s). Throws std::invalid_argument on a negative or non-finite rate,
// burst_size < 1, burst_gap_s ≤ 0, or an empty trace.
std::vector<double> arrivals(const ArrivalSpec& spec, double duration_s);

// The long-run mean rate of the spec, in queries per day (what the cost model's per-day figures use).
double mean_queries_per_day(const ArrivalSpec& spec);

// Scale that turns a traced function into `queries_per_day` queries per day on average:
// queries_per_day × minutes / (1440 × total invocations). Throws if the function has none.
double trace_scale_for(const std::vector<std::uint32_t>& per_minute, double queries_per_day);

}  // namespace workload
