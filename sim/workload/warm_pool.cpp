#include "sim/workload/warm_pool.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <functional>
#include <queue>
#include <stdexcept>
#include <utility>

namespace workload {
namespace {

// Instances released together: they share one expiry time.
struct IdleGroup {
  double expiry_s;
  int count;
};

void check(const PoolSpec& s, std::span<const double> arrivals_s) {
  if (s.instances_per_query < 1) throw std::invalid_argument("instances_per_query must be ≥ 1");
  if (s.instances_per_query > s.max_instances)
    throw std::invalid_argument("a query needs " + std::to_string(s.instances_per_query) +
                                " instances but max_instances is " + std::to_string(s.max_instances));
  if (!(s.service_s >= 0) || !std::isfinite(s.service_s)) throw std::invalid_argument("service_s must be finite, ≥ 0");
  if (!(s.cold_start_s >= 0) || !std::isfinite(s.cold_start_s))
    throw std::invalid_argument("cold_start_s must be finite, ≥ 0");
  if (!(s.keep_alive_s >= 0)) throw std::invalid_argument("keep_alive_s must be ≥ 0");
  for (std::size_t i = 0; i < arrivals_s.size(); ++i) {
    if (!std::isfinite(arrivals_s[i]) || arrivals_s[i] < 0)
      throw std::invalid_argument("arrival times must be finite, ≥ 0");
    if (i && arrivals_s[i] < arrivals_s[i - 1]) throw std::invalid_argument("arrival times must be sorted");
  }
}

double quantile(std::vector<double>& v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(v.size()))) - (q > 0 ? 1 : 0);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

PoolStats simulate_pool(const PoolSpec& spec, std::span<const double> arrivals_s, std::vector<QueryOutcome>* outcomes) {
  check(spec, arrivals_s);
  const int need = spec.instances_per_query;
  // Idle groups, oldest release at the front. Releases happen in time order and keep_alive_s is
  // one constant, so expiry times grow from front to back: expired groups are always a prefix.
  std::deque<IdleGroup> idle;
  int busy = 0;
  // Completions: (end time, instances), earliest first.
  using Completion = std::pair<double, int>;
  std::priority_queue<Completion, std::vector<Completion>, std::greater<>> running;

  PoolStats st;
  st.queries = arrivals_s.size();
  std::vector<double> latency;
  latency.reserve(arrivals_s.size());
  if (outcomes) outcomes->assign(arrivals_s.size(), {});
  std::size_t next_arrival = 0;  // arrivals [0, next_arrival) have arrived
  std::size_t head = 0;          // arrivals [head, next_arrival) are waiting, FIFO
  double queue_delay_sum = 0;

  auto start_waiting = [&](double now) {
    while (!idle.empty() && idle.front().expiry_s <= now) idle.pop_front();
    while (head < next_arrival && busy + need <= spec.max_instances) {
      int warm = 0;
      while (warm < need && !idle.empty()) {  // most recently released first
        IdleGroup& g = idle.back();
        const int take = std::min(g.count, need - warm);
        warm += take, g.count -= take;
        if (g.count == 0) idle.pop_back();
      }
      const int cold = need - warm;
      const double end = now + spec.service_s + (cold > 0 ? spec.cold_start_s : 0.0);
      busy += need;
      st.peak_busy_instances = std::max(st.peak_busy_instances, busy);
      running.emplace(end, need);
      const double arrival = arrivals_s[head];
      const double delay = now - arrival;
      queue_delay_sum += delay;
      st.queue_delay_max_s = std::max(st.queue_delay_max_s, delay);
      latency.push_back(end - arrival);
      st.busy_instance_s += need * (end - now);
      st.cold_starts += static_cast<std::uint64_t>(cold);
      (cold > 0 ? st.cold_queries : st.warm_queries) += 1;
      st.makespan_s = std::max(st.makespan_s, end);
      if (outcomes) (*outcomes)[head] = {arrival, now, end, cold};
      ++head;
    }
  };

  while (next_arrival < arrivals_s.size() || !running.empty()) {
    const bool completion_first =
        !running.empty() && (next_arrival == arrivals_s.size() || running.top().first <= arrivals_s[next_arrival]);
    if (completion_first) {
      const auto [end, count] = running.top();
      running.pop();
      busy -= count;
      idle.push_back({end + spec.keep_alive_s, count});
      start_waiting(end);
    } else {
      const double now = arrivals_s[next_arrival++];
      start_waiting(now);
    }
  }
  if (st.queries) {
    const double n = static_cast<double>(st.queries);
    st.queue_delay_mean_s = queue_delay_sum / n;
    double sum = 0;
    for (double l : latency) sum += l;
    st.latency_mean_s = sum / n;
    st.latency_p50_s = quantile(latency, 0.50);
    st.latency_p95_s = quantile(latency, 0.95);
    st.latency_p99_s = quantile(latency, 0.99);
  }
  return st;
}

}  // namespace workload
