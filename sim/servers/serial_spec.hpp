// SerialSpec: the serial variant — the whole network in ONE Lambda function per query — as the
// simulator models it, and where each number comes from. Nothing here is a new constant: the
// function's memory is the config's, its CPU share, start-up times, network and concurrency limit
// are the calibration's (calibration.lambda), the code speed is the calibration's worker, the
// footprint and the 900 s limit are the cost model's cost::Performance, so sim and cost::predict
// decide feasibility from the same numbers.
//
//   memory      weight_bytes + activation_bytes + runtime_mb must fit in memory_mb (cost::predict's
//               rule: "needs X MB > M MB of memory"); a deployment that does not fit is rejected
//               before simulating (the function could not load its weights)
//   duration    a handler that would run past max_duration_s is killed there (Lambda's timeout);
//               the query fails and the run reports it as cost::predict's "runs X s > the 900 s
//               function limit"
//   weights     fetched from S3 once per instance, on its first (cold) query, and kept in the
//               instance's memory for the queries it serves warm
// Plain value type.
#pragma once

#include <cstdint>
#include <string>

#include "costmodel/predict.hpp"
#include "engine/channel/retry.hpp"
#include "sim/servers/query_work.hpp"

namespace sim {

struct SerialSpec {
  std::string function_name = "fsd-serial";
  int memory_mb = 1000;           // deployment.memory_mb
  double weight_bytes = 0;        // Σ_k nnz(W_k) · cost::Performance::bytes_per_weight
  double activation_bytes = 0;    // 2 · max_k nnz(Y_{k−1}) · bytes_per_nonzero (Y_{k−1} and Y_k)
  double runtime_mb = 150;        // cost::Performance::lambda_runtime_mb
  double max_duration_s = 900;    // cost::Performance::lambda_max_duration_s
  // A throttled Invoke is retried as the engine retries every cloud call (engine/channel/retry.hpp);
  // a query whose attempts all fail is counted as failed.
  engine::RetryPolicy invoke_retry;
  bool operator==(const SerialSpec&) const = default;
};

// weight_nnz: Σ_k nnz(W_k); work: one query's (its input_nnz sets the activation footprint).
SerialSpec make_serial_spec(int memory_mb, double weight_nnz, const QueryWork& work, const cost::Performance& perf);

// MB the function needs: (weight_bytes + activation_bytes) / 1e6 + runtime_mb (cost::predict's).
double serial_needed_mb(const SerialSpec& spec);
// "" if the weights and activations fit; else "needs X MB > M MB of memory" (cost::predict's words).
std::string serial_memory_problem(const SerialSpec& spec);

}  // namespace sim
