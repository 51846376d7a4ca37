// simulate_servers: the server baselines (server_spec.hpp) serving a stream of queries in SimGrid.
//
//   sim::ServerSpec spec = sim::make_server_spec(...);
//   sim::ServerRun r = sim::simulate_servers(spec, arrivals_s, work.total_flops());
//
// Platform (a star, CM02 with factors 1 and no TCP window bound, as sim/simulation.hpp's, so a lone
// transfer of b bytes takes Σ latency + b / bandwidth): `client`, where queries arrive; `s3`, the
// weights' bucket behind a fat-pipe link of s3_latency_s; instance-0..n−1, each `vcpus` cores at
// flops_per_s_per_vcpu · parallel_efficiency and a NIC of load_bytes_per_s.
// Actors: an arrival actor on the client sleeps until each arrival time and appends the query to
// one FIFO; one actor per instance takes the head of the FIFO (its start: arrival + queueing delay),
// then — job-scoped only — sleeps boot_s (the instance launches), waits s3_first_byte_s and
// receives weight_bytes from s3; then computes the query as `vcpus` parallel executions of
// flops / vcpus each, and records its end. So, by hand:
//   always-on   end = start + F / (V · rate · η)
//   job-scoped  end = start + boot_s + s3_first_byte_s + s3_latency_s + weight_bytes / load_bytes_per_s
//                     + F / (V · rate · η)
// Billing: always-on, instances × window_s (up for the window, used or not); job-scoped, Σ over
// queries of max(min_billed_s, end − start) (each query's instance lives from launch to end).
//
// Contract: one SimGrid world per process (as sim::Simulation; the two cannot share a process);
// a second call throws std::logic_error; a run that ends with queries unserved (a deadlock) throws
// std::runtime_error. Deterministic: no randomness beyond the given arrivals.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/servers/query_stream.hpp"
#include "sim/servers/server_spec.hpp"

namespace sim {

// ServedQuery (query_stream.hpp): start_s is when an instance takes the query (always-on) or is
// launched for it (job-scoped).
struct ServerRun {
  std::vector<ServedQuery> queries;  // in arrival order
  double instance_seconds = 0;       // billed (see above)
  int instances = 0;                 // always-on: spec.instances; job-scoped: peak running at once
  double latency_mean_s = 0;         // arrival → end
  double latency_p95_s = 0;          // nearest rank: the ⌈0.95 n⌉-th smallest
  double queue_delay_mean_s = 0;     // arrival → start
  double queue_delay_max_s = 0;
  double service_mean_s = 0;  // start → end
};

// arrivals_s sorted ascending, each ≥ 0 (workload::arrivals gives them so); flops: one query's work.
// Throws std::invalid_argument on unsorted or negative arrivals or negative flops.
ServerRun simulate_servers(const ServerSpec& spec, std::span<const double> arrivals_s, double flops);

}  // namespace sim
