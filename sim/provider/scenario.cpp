// build_scenario: trace window → invocations; image versions → catalog; cluster config → specs.
#include "sim/provider/scenario.hpp"

#include <algorithm>
#include <cmath>

#include "engine/common/input_error.hpp"
#include "sim/provider/block_similarity.hpp"
#include "sim/provider/model_versions.hpp"
#include "sim/workload/arrivals.hpp"
#include "sim/workload/azure_trace.hpp"

namespace provider {

namespace {
workload::AzureTrace read_window(const ScheduleConfig& config, int start_minute, int minutes) {
  workload::AzureTrace trace = workload::read_trace_dir(config.trace.dir);
  if (start_minute + minutes > trace.invocations.minutes)
    throw engine::InputError(config.path, 0,
                             "window minutes " + std::to_string(start_minute) + "+" + std::to_string(minutes) +
                                 " beyond the trace's " + std::to_string(trace.invocations.minutes) + " minutes");
  for (const auto& tf : trace.invocations.functions)
    if (!trace.memory_of(tf.id) || !trace.durations_of(tf.id))
      throw engine::InputError(config.trace.dir, 0, "function " + tf.id.function + " lacks a memory or duration row");
  return trace;
}

std::vector<Invocation> invocations_of(const ScheduleConfig& config, const workload::AzureTrace& trace,
                                       int start_minute, int minutes, std::uint64_t trace_seed) {
  std::vector<Invocation> out;
  for (std::size_t f = 0; f < trace.invocations.functions.size(); ++f) {
    const workload::TraceFunction& tf = trace.invocations.functions[f];
    workload::ArrivalSpec spec;
    spec.kind = workload::ArrivalKind::kTrace;
    spec.trace_per_minute.assign(tf.invocations_per_minute.begin() + start_minute,
                                 tf.invocations_per_minute.begin() + start_minute + minutes);
    spec.trace_scale = config.trace.scale;
    spec.seed = trace_seed * 1000003 + f;
    if (std::none_of(spec.trace_per_minute.begin(), spec.trace_per_minute.end(), [](std::uint32_t n) { return n > 0; }))
      continue;
    const double duration_s = trace.durations_of(tf.id)->average_ms / 1000.0;
    for (double t : workload::arrivals(spec, minutes * 60.0)) out.push_back({t, static_cast<int>(f), duration_s});
  }
  std::sort(out.begin(), out.end(), [](const Invocation& a, const Invocation& b) {
    return a.time_s != b.time_s ? a.time_s < b.time_s : a.function < b.function;
  });
  return out;
}
}  // namespace

std::vector<Invocation> trace_invocations(const ScheduleConfig& config, int start_minute, int minutes,
                                          std::uint64_t trace_seed) {
  return invocations_of(config, read_window(config, start_minute, minutes), start_minute, minutes, trace_seed);
}

Scenario build_scenario(const ScheduleConfig& config, int start_minute, int minutes, std::uint64_t trace_seed) {
  const workload::AzureTrace trace = read_window(config, start_minute, minutes);
  Scenario s;
  const std::int64_t block_bytes = config.images.block_kb * 1024;
  s.catalog = std::make_unique<ImageCatalog>(block_bytes);

  const ImagesConfig& ic = config.images;
  const ImageVersions versions =
      ic.source == "graphchallenge"
          ? graphchallenge_versions(ic.graphchallenge_dir, ic.layers, ic.retrained_layers, ic.seed)
          : synthetic_versions(static_cast<std::size_t>(ic.synthetic_size_mb * 1e6), ic.synthetic_shared_fraction,
                               static_cast<std::size_t>(block_bytes), ic.seed);
  s.v2_shared_block_share = block_similarity(versions.v1, versions.v2, static_cast<std::size_t>(block_bytes)).share();

  for (std::size_t f = 0; f < trace.invocations.functions.size(); ++f) {
    const workload::TraceFunction& tf = trace.invocations.functions[f];
    const auto family = static_cast<std::uint64_t>(f) + 1;
    FunctionImages fi;
    fi.image_v1 = s.catalog->add({tf.id.function.substr(0, 8) + "-v1", block_ids(versions.v1, block_bytes, family)});
    fi.image_v2 = s.catalog->add({tf.id.function.substr(0, 8) + "-v2", block_ids(versions.v2, block_bytes, family)});
    fi.memory_mb = std::max<std::int64_t>(1, std::llround(trace.memory_of(tf.id)->average_mb));
    s.functions.push_back(fi);
  }
  s.invocations = invocations_of(config, trace, start_minute, minutes, trace_seed);

  const ClusterConfig& cc = config.cluster;
  const ServerSpec spec{std::llround(cc.vcpus * 1000), cc.memory_mb, cc.bandwidth_mb_per_s * 1e6,
                        static_cast<std::int64_t>(cc.cache_mb * 1e6 / double(block_bytes))};
  s.servers.assign(static_cast<std::size_t>(cc.servers), spec);

  s.params.container_start_s = config.container_start_s;
  s.params.keep_alive_s = config.keep_alive_s;
  s.params.sla_s = config.sla_s;
  s.params.sample_interval_s = config.sample_interval_s;
  s.params.rollout = {config.rollout_start_minute * 60.0, config.rollout_window_minutes * 60.0};
  s.params.seed = config.seed;
  return s;
}

}  // namespace provider
