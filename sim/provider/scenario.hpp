// Scenario: everything one replay needs, built from a ScheduleConfig: the image catalog (v1 and v2
// of each traced function's model, blocks salted per function so functions never share blocks),
// the server specs, each function's images and memory, the invocations of a trace window, and the
// replay parameters. The invocations come from the shared workload library (sim/workload): the
// Azure trace reader, and its `trace` arrival process spreads each minute's count uniformly
// (seeded) over the minute; an invocation runs for its function's average duration.
// Deterministic for the config's seeds; pure functions, thread-safe.
#pragma once

#include <memory>
#include <vector>

#include "sim/provider/cluster.hpp"
#include "sim/provider/image_catalog.hpp"
#include "sim/provider/schedule_config.hpp"
#include "sim/provider/schedule_sim.hpp"

namespace provider {

struct Scenario {
  std::unique_ptr<ImageCatalog> catalog;  // stable address: caches point at it
  std::vector<ServerSpec> servers;
  std::vector<FunctionImages> functions;
  std::vector<Invocation> invocations;
  ScheduleParams params;
  double v2_shared_block_share = 0;  // measured share of v2's blocks found in v1 (first function)
};

// The window of `minutes` from `start_minute` of the trace, with arrival seed `trace_seed`.
Scenario build_scenario(const ScheduleConfig& config, int start_minute, int minutes, std::uint64_t trace_seed);

// Only the invocations of another window or seed, for the same config (training episodes reuse the
// rest of a Scenario: reading and hashing the images is the slow part).
std::vector<Invocation> trace_invocations(const ScheduleConfig& config, int start_minute, int minutes,
                                          std::uint64_t trace_seed);

}  // namespace provider
