// A stream of queries and what it is summarised by: the piece the server baselines (server_sim.hpp)
// and the serial function (serial_sim.hpp) share. Each query arrives (arrival_s, from the
// workload's arrival process), is taken by an instance (start_s: an EC2 instance takes it or is
// launched for it; a Lambda instance starts up for it) and answered (end_s: categories ready).
//
//   latency        end − arrival: mean and nearest-rank p95 (the ⌈0.95 n⌉-th smallest, as
//                  workload/warm_pool does)
//   queueing delay start − arrival: mean and max
//   service        end − start: mean
// Pure functions; deterministic.
#pragma once

#include <span>
#include <string>

namespace sim {

struct ServedQuery {
  double arrival_s = 0;
  double start_s = 0;
  double end_s = 0;
  int instance = 0;
  bool operator==(const ServedQuery&) const = default;
};

struct StreamStats {
  double latency_mean_s = 0;
  double latency_p95_s = 0;
  double queue_delay_mean_s = 0;
  double queue_delay_max_s = 0;
  double service_mean_s = 0;
};

// Every field 0 for an empty stream.
StreamStats stream_stats(std::span<const ServedQuery> queries);

// Throws std::invalid_argument("<who>: arrivals must be finite, >= 0 and sorted") otherwise.
void check_arrivals(std::span<const double> arrivals_s, const std::string& who);

}  // namespace sim
