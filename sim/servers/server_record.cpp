// make_server_record: ServerRun + QueryWork → engine::RunRecord (see the header for the mapping).
#include "sim/servers/server_record.hpp"

namespace sim {

engine::RunRecord make_server_record(const ServerSpec& spec, const QueryWork& work, const ServerRun& run, int neurons,
                                     const std::string& run_id) {
  engine::RunRecord r;
  r.run_id = run_id;
  r.backend = "sim";
  r.channel = spec.kind == ServerKind::kAlwaysOn ? "server_always_on" : "server_job_scoped";
  r.workers = 1;
  r.layers = static_cast<int>(work.layer_flops.size());
  r.neurons = neurons;
  r.images = work.images;
  r.memory_mb = 0;  // no function memory: the instance's is in the price book
  r.wall_s = run.latency_mean_s;
  double t = 0;
  for (int k = 0; k < r.layers; ++k) {
    const double layer_s = spec.compute_s(work.layer_flops[k]);
    r.layer_records.push_back({k + 1, t, t + layer_s, layer_s, 0.0, work.input_nnz[k], {0}});
    t += layer_s;
  }
  r.layer_records.push_back({r.layers + 1, t, t, 0.0, 0.0, work.input_nnz.back(), {0}});
  r.worker_records.push_back({0, 0.0, run.service_mean_s, work.total_flops()});
  r.usage.ec2_instance_seconds = run.instance_seconds;
  r.categories = work.categories;
  r.final_nnz = work.input_nnz.back();
  r.servers = {
      spec.instance_type, run.instances,     spec.window_s,          static_cast<std::int64_t>(run.queries.size()),
      run.latency_mean_s, run.latency_p95_s, run.queue_delay_mean_s, run.queue_delay_max_s};
  return r;
}

}  // namespace sim
