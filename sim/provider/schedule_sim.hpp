// simulate_schedule: a small deterministic discrete-event replay of container requests on a
// Cluster under one PlacementPolicy. No SimGrid: placement is instantaneous and containers only
// start and end, so a priority queue of (time, sequence) events is all the model needs.
//
// Model (per invocation, in time order):
//  - the function's image is v1, or v2 with probability rising linearly from 0 at rollout.start_s
//    to 1 at rollout.start_s + rollout.window_s (a seeded draw per invocation);
//  - an idle warm container of that image serves it at once (most recently idled first);
//  - otherwise the policy places a new container (memory from the function, CPU = memory/1769 MB);
//    its cold start = container_start_s + (blocks of the image not cached on the server) ×
//    block_bytes / server bandwidth; the blocks then enter the server's LRU cache;
//  - a container runs start latency + duration, then idles keep_alive_s and ends, freeing capacity;
//  - an invocation no server can take is dropped and counted as an SLA violation.
// Start latency above sla_s is an SLA violation. Open servers and utilisation are sampled every
// sample_interval_s. Everything but decision_us (wall-clock time of policy.choose) is a
// deterministic function of the inputs and the seed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/provider/cluster.hpp"
#include "sim/provider/placement_policy.hpp"

namespace provider {

struct Invocation {
  double time_s = 0;
  int function = 0;
  double duration_s = 0;
};

struct FunctionImages {
  int image_v1 = 0;
  int image_v2 = 0;  // equal to image_v1 for a function that does not roll out
  std::int64_t memory_mb = 128;
};

struct Rollout {
  double start_s = 0;
  double window_s = 0;
};

struct ScheduleParams {
  double container_start_s = 0.25;
  double keep_alive_s = 600;
  double sla_s = 1.0;
  double sample_interval_s = 60;
  Rollout rollout;
  std::uint64_t seed = 1;
};

struct ScheduleReport {
  std::string policy;
  long invocations = 0, warm_starts = 0, cold_starts = 0, dropped = 0, sla_violations = 0;
  long servers_opened = 0;        // times a closed server received a container
  std::vector<int> servers_used;  // open servers at each sample
  double mean_servers_used = 0, max_servers_used = 0;
  double memory_utilization = 0;  // mean over samples of used / capacity of open servers
  double cpu_utilization = 0;
  double cold_start_p50_s = 0, cold_start_p99_s = 0, mean_cold_start_s = 0, mean_download_s = 0;
  double downloaded_bytes = 0;
  std::optional<double> learned_choice_share;
  double decision_p50_us = 0, decision_p99_us = 0;
};

// `invocations` must be sorted by time (throws std::invalid_argument otherwise).
ScheduleReport simulate_schedule(Cluster& cluster, PlacementPolicy& policy,
                                 const std::vector<FunctionImages>& functions,
                                 const std::vector<Invocation>& invocations, const ScheduleParams& params);

// Nearest-rank percentile (q in [0, 100]) of `values`; 0 when empty. Sorts `values`.
double percentile(std::vector<double>& values, double q);

}  // namespace provider
