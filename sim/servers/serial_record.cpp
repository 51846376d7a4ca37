// make_serial_record: SerialRun + QueryWork → engine::RunRecord (see the header for the mapping).
#include "sim/servers/serial_record.hpp"

namespace sim {

engine::RunRecord make_serial_record(const SerialSpec& spec, const QueryWork& work, const SerialRun& run,
                                     double flops_per_s, double window_s, int neurons, const std::string& run_id) {
  engine::RunRecord r;
  r.run_id = run_id;
  r.backend = "sim";
  r.channel = "serial";
  r.workers = 1;
  r.layers = static_cast<int>(work.layer_flops.size());
  r.neurons = neurons;
  r.images = work.images;
  r.memory_mb = spec.memory_mb;
  r.wall_s = run.stats.latency_mean_s;
  double t = 0;
  for (int k = 0; k < r.layers; ++k) {
    const double layer_s = work.layer_flops[k] / flops_per_s;
    r.layer_records.push_back({k + 1, t, t + layer_s, layer_s, 0.0, work.input_nnz[k], {0}});
    t += layer_s;
  }
  r.layer_records.push_back({r.layers + 1, t, t, 0.0, 0.0, work.input_nnz.back(), {0}});
  r.worker_records.push_back({0, 0.0, run.stats.service_mean_s, work.total_flops()});
  r.usage.lambda_invocations = run.invocations;
  r.usage.lambda_gb_s = run.gb_s;
  r.usage.lambda_duration_s = run.duration_s;
  r.usage.lambda_errors = run.throttles;
  r.categories = work.categories;
  r.final_nnz = work.input_nnz.back();
  engine::RunServers& s = r.servers;
  s.instances = run.peak_instances;
  s.window_s = window_s;
  s.queries = static_cast<std::int64_t>(run.queries.size());
  s.latency_mean_s = run.stats.latency_mean_s;
  s.latency_p95_s = run.stats.latency_p95_s;
  s.queue_delay_mean_s = run.stats.queue_delay_mean_s;
  s.queue_delay_max_s = run.stats.queue_delay_max_s;
  s.cold_starts = run.cold_starts;
  s.throttles = run.throttles;
  s.failed = run.failed;
  return r;
}

}  // namespace sim
