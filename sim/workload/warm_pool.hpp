// Warm/cold model of a pool of function instances (or servers) serving a stream of queries.
//
// Each query needs `instances_per_query` instances at once (P workers + 1 coordinator for the
// distributed variants, 1 for serial or a server) for `service_s` seconds. Queries are served
// first come, first served. When the head of the queue can start (busy + instances_per_query ≤
// max_instances; idle warm instances do not count against the limit, as with Lambda's
// concurrency), it takes the most recently released idle instances that are still warm and
// starts the rest cold; if any instance is cold the query takes cold_start_s longer (the launch
// tree and the layer exchange wait for the slowest worker). When it ends, its instances become
// idle and stay warm for keep_alive_s (an instance idle for exactly keep_alive_s is gone).
// A completion and an arrival at the same instant: the completion is processed first.
//
// Modelling each variant (the caller picks the numbers):
//   Lambda:            keep_alive_s ≈ 300–900, max_instances = account concurrency (1000)
//   always-on server:  instances_per_query 1, max_instances = servers, cold_start_s 0, keep_alive ∞
//   job-scoped server: cold_start_s = boot time, keep_alive_s = how long it lingers (0: one per job)
//
// simulate_pool is a pure function: O(n log n) in the number of queries, no allocation per query
// beyond the optional outcomes vector; deterministic and thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace workload {

struct PoolSpec {
  int instances_per_query = 1;
  double service_s = 1.0;     // busy time of a query on warm instances
  double cold_start_s = 0.0;  // added to a query that starts any instance cold
  double keep_alive_s = 600;  // idle time before an instance is reclaimed (∞ allowed)
  int max_instances = 1000;   // concurrently busy instances allowed
};

struct QueryOutcome {
  double arrival_s = 0;
  double start_s = 0;  // when its instances were granted (arrival + queueing delay)
  double end_s = 0;    // start + service (+ cold start)
  int cold_instances = 0;
  bool operator==(const QueryOutcome&) const = default;
};

struct PoolStats {
  std::uint64_t queries = 0;
  std::uint64_t warm_queries = 0;  // every instance warm
  std::uint64_t cold_queries = 0;  // at least one instance cold
  std::uint64_t cold_starts = 0;   // instances started cold
  double queue_delay_mean_s = 0;
  double queue_delay_max_s = 0;
  double latency_mean_s = 0;  // arrival → end
  double latency_p50_s = 0;
  double latency_p95_s = 0;
  double latency_p99_s = 0;
  double busy_instance_s = 0;  // Σ instances × (end − start): what per-duration billing counts
  int peak_busy_instances = 0;
  double makespan_s = 0;  // end of the last query (0 when none)
  double cold_fraction() const { return queries ? static_cast<double>(cold_queries) / queries : 0.0; }
};

// arrivals_s must be sorted ascending (as arrivals() returns them). Throws std::invalid_argument
// on unsorted or non-finite arrivals, instances_per_query < 1, instances_per_query > max_instances,
// or negative times. If `outcomes` is given it receives one entry per query, in arrival order.
PoolStats simulate_pool(const PoolSpec& spec, std::span<const double> arrivals_s,
                        std::vector<QueryOutcome>* outcomes = nullptr);

}  // namespace workload
