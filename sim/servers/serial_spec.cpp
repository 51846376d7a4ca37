// SerialSpec: the serial function's footprint and limits from the config, the work and cost::Performance.
#include "sim/servers/serial_spec.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace sim {

SerialSpec make_serial_spec(int memory_mb, double weight_nnz, const QueryWork& work, const cost::Performance& perf) {
  if (memory_mb < 1) throw std::invalid_argument("sim::make_serial_spec(): memory_mb must be >= 1");
  SerialSpec s;
  s.memory_mb = memory_mb;
  s.weight_bytes = weight_nnz * perf.bytes_per_weight;
  // The largest input of a layer, as cost::predict's max_k ρ_k over the layers' inputs (k = 1..L).
  std::int64_t max_nnz = 0;
  for (std::size_t k = 0; k + 1 < work.input_nnz.size(); ++k) max_nnz = std::max(max_nnz, work.input_nnz[k]);
  s.activation_bytes = 2.0 * static_cast<double>(max_nnz) * perf.bytes_per_nonzero;
  s.runtime_mb = perf.lambda_runtime_mb;
  s.max_duration_s = perf.lambda_max_duration_s;
  return s;
}

double serial_needed_mb(const SerialSpec& spec) {
  return (spec.weight_bytes + spec.activation_bytes) / 1e6 + spec.runtime_mb;
}

std::string serial_memory_problem(const SerialSpec& spec) {
  const double need_mb = serial_needed_mb(spec);
  if (need_mb <= spec.memory_mb) return "";
  char buf[96];
  std::snprintf(buf, sizeof buf, "needs %.0f MB > %.0f MB of memory", need_mb, static_cast<double>(spec.memory_mb));
  return buf;
}

}  // namespace sim
