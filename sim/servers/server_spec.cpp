// ServerSpec: gathers the baseline's parameters from the price book, the calibration and cost::Performance.
#include "sim/servers/server_spec.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sim {

double ServerSpec::compute_s(double flops) const {
  return flops / (vcpus * flops_per_s_per_vcpu * parallel_efficiency);
}

ServerSpec make_server_spec(ServerKind kind, const cost::InstancePrice& instance, const Calibration& calibration,
                            WorkerKind worker, const cost::Performance& perf, double window_s, double weight_nnz,
                            int max_instances) {
  if (instance.vcpus < 1)
    throw std::invalid_argument("sim::make_server_spec(): instance " + instance.type + " has no vCPUs");
  if (!(window_s > 0)) throw std::invalid_argument("sim::make_server_spec(): window_s must be > 0");
  if (max_instances < 1) throw std::invalid_argument("sim::make_server_spec(): max_instances must be >= 1");
  ServerSpec s;
  s.kind = kind;
  s.instance_type = instance.type;
  s.vcpus = instance.vcpus;
  s.flops_per_s_per_vcpu = (worker == WorkerKind::kPython ? calibration.python : calibration.fsd).flops_per_s_per_vcpu;
  s.parallel_efficiency = perf.server_parallel_efficiency;
  s.max_instances = max_instances;
  s.window_s = window_s;
  s.boot_s = perf.server_boot_s;
  s.min_billed_s = perf.server_min_billed_s;
  s.weight_bytes = weight_nnz * perf.bytes_per_weight;
  s.load_bytes_per_s = perf.server_bandwidth_bytes_per_s;
  s.s3_latency_s = calibration.s3_get.latency_s;
  s.s3_first_byte_s = calibration.s3_get.service_time_s + calibration.s3_get.service_jitter_s;  // the mean
  return s;
}

int always_on_instances(std::size_t queries, double service_s, double window_s) {
  const double busy = static_cast<double>(queries) * service_s / window_s;
  return std::max(1, static_cast<int>(std::ceil(busy)));
}

}  // namespace sim
