#include "engine/worker/run_record.hpp"

#include <algorithm>
#include <limits>

#include "engine/infer/layer_kernel.hpp"

namespace engine {

RunRecord make_run_record(const DeploymentSpec& spec, const DeploymentResult& result,
                          const cloud::MeteredUsage& usage, const std::string& backend, int memory_mb) {
  RunRecord r;
  r.run_id = spec.run_id;
  r.backend = backend;
  r.channel = to_string(spec.channel);
  r.workers = spec.plan->parts;
  r.layers = spec.plan->layers;
  r.neurons = spec.network->neurons;
  r.images = static_cast<int>(spec.images->rows());
  r.memory_mb = memory_mb;
  r.wall_s = result.end_s - result.start_s;
  r.usage = usage;
  const int p = r.workers;
  r.layer_records.resize(r.layers + 1);
  for (int k = 0; k <= r.layers; ++k) {
    RunLayer& l = r.layer_records[k];
    l.layer = k + 1;
    l.start_s = std::numeric_limits<double>::max();
    l.pair_bytes.assign(static_cast<std::size_t>(p) * p, 0);
  }
  for (const WorkerOutcome& o : result.workers) {
    const WorkerReport& w = *o.report;
    r.worker_records.push_back(RunWorker{o.worker, o.function_start_s - result.start_s,
                                         o.function_end_s - result.start_s, w.flops});
    r.traffic += w.channel;
    for (std::size_t k = 0; k < w.layers.size() && k < r.layer_records.size(); ++k) {
      const WorkerLayerTiming& t = w.layers[k];
      RunLayer& l = r.layer_records[k];
      l.start_s = std::min(l.start_s, t.start_s - result.start_s);
      l.end_s = std::max(l.end_s, t.end_s - result.start_s);
      l.max_compute_s = std::max(l.max_compute_s, (t.local_s - t.posted_s) + (t.end_s - t.received_s));
      l.max_wait_s = std::max(l.max_wait_s, t.received_s - t.local_s);
      l.input_nnz += t.input_nnz;
      for (int q = 0; q < p && q < static_cast<int>(t.frame_bytes.size()); ++q)
        l.pair_bytes[static_cast<std::size_t>(o.worker) * p + q] = t.frame_bytes[q];
    }
  }
  r.categories = categories(result.result);
  r.final_nnz = result.result.nonZeros();
  return r;
}

}  // namespace engine
