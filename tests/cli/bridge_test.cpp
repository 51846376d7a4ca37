// Config → cost model bridge: the traffic the cost model prices is the traffic the config describes.
#include <doctest/doctest.h>

#include "cli/bridge/deployment_from_config.hpp"
#include "cli/config/config.hpp"

TEST_CASE("bridge: bursts are priced at burst_size per burst_gap_s, not at queries_per_day") {
  cli::Config c = cli::default_config();
  c.workload.arrival.kind = "bursts";
  c.workload.arrival.queries_per_day = 5;  // ignored by bursts
  c.workload.arrival.burst_size = 20;
  c.workload.arrival.burst_gap_s = 3600;
  CHECK(cli::to_workload(c).queries_per_day == doctest::Approx(20.0 * 24));  // 20 per hour, by hand

  c.workload.arrival.kind = "poisson";
  CHECK(cli::to_workload(c).queries_per_day == doctest::Approx(5));
}
