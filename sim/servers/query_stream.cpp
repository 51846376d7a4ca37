// stream_stats / check_arrivals: the summary of a served query stream.
#include "sim/servers/query_stream.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace sim {
namespace {

// Nearest rank: the ⌈q·n⌉-th smallest.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

StreamStats stream_stats(std::span<const ServedQuery> queries) {
  StreamStats s;
  if (queries.empty()) return s;
  const auto n = static_cast<double>(queries.size());
  std::vector<double> latency;
  latency.reserve(queries.size());
  for (const ServedQuery& q : queries) {
    latency.push_back(q.end_s - q.arrival_s);
    s.latency_mean_s += (q.end_s - q.arrival_s) / n;
    s.queue_delay_mean_s += (q.start_s - q.arrival_s) / n;
    s.queue_delay_max_s = std::max(s.queue_delay_max_s, q.start_s - q.arrival_s);
    s.service_mean_s += (q.end_s - q.start_s) / n;
  }
  s.latency_p95_s = quantile(std::move(latency), 0.95);
  return s;
}

void check_arrivals(std::span<const double> arrivals_s, const std::string& who) {
  for (std::size_t i = 0; i < arrivals_s.size(); ++i)
    if (!(arrivals_s[i] >= 0) || !std::isfinite(arrivals_s[i]) || (i > 0 && arrivals_s[i] < arrivals_s[i - 1]))
      throw std::invalid_argument(who + ": arrivals must be finite, >= 0 and sorted");
}

}  // namespace sim
