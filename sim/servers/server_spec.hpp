// ServerSpec: the two server baselines as the simulator models them, and where each number comes
// from. Nothing here is a new constant: the instance (vCPUs, memory) is the price book's, the code
// speed is the simulator's calibration, the rest is the cost model's cost::Performance, so the
// simulation and cost::predict share one source for every parameter.
//
//   always-on    `instances` EC2 instances up for the whole window, weights loaded, serving queries
//                first come, first served; billed window_s each, used or not.
//   job-scoped   one instance launched per query (cost::predict's assumption: a query is a job):
//                boot_s, then the weights fetched from S3, then the query; billed per second with a
//                min_billed_s minimum. At most max_instances at once; a query beyond waits (FIFO).
//
// A query of F flops on an instance takes F / (vcpus · flops_per_s_per_vcpu · parallel_efficiency):
// the cost model's compute = Σ_k ops_k / (σ · V · η) with σ replaced by the calibration's rate
// (2 flops per multiply-add). Plain value type.
#pragma once

#include <string>

#include "costmodel/predict.hpp"
#include "costmodel/prices.hpp"
#include "sim/calibration.hpp"
#include "sim/simulation.hpp"

namespace sim {

enum class ServerKind { kAlwaysOn, kJobScoped };

struct ServerSpec {
  ServerKind kind = ServerKind::kAlwaysOn;
  std::string instance_type;          // price book key, e.g. "c5.2xlarge"
  int vcpus = 1;                      // price book: the instance's vCPUs (one core each)
  double flops_per_s_per_vcpu = 1e9;  // calibration: workers.fsd (or .python) flops_per_s_per_vcpu
  double parallel_efficiency = 1;     // cost::Performance::server_parallel_efficiency (η)
  int instances = 1;                  // always-on: instances up for the window
  int max_instances = 1;              // job-scoped: instances running at once
  double window_s = 86400;            // always-on: the billed window (the workload's duration_s)
  // job-scoped only
  double boot_s = 0;              // cost::Performance::server_boot_s
  double min_billed_s = 0;        // cost::Performance::server_min_billed_s
  double weight_bytes = 0;        // Σ_k nnz(W_k) · bytes_per_weight (cost::Performance)
  double load_bytes_per_s = 1e9;  // cost::Performance::server_bandwidth_bytes_per_s
  double s3_latency_s = 0;        // calibration s3.get.latency_s: one way, S3 endpoint
  double s3_first_byte_s = 0;     // calibration s3.get.service_time_s + its mean jitter

  // Seconds one query of `flops` computes on one instance.
  double compute_s(double flops) const;
  bool operator==(const ServerSpec&) const = default;
};

// The spec of `kind` on `instance`, every number from the three sources above.
// window_s: the workload's duration; weight_nnz: Σ_k nnz(W_k); max_instances: job-scoped limit.
// Throws std::invalid_argument on an instance with no vCPUs or a non-positive window.
ServerSpec make_server_spec(ServerKind kind, const cost::InstancePrice& instance, const Calibration& calibration,
                            WorkerKind worker, const cost::Performance& perf, double window_s, double weight_nnz,
                            int max_instances);

// Always-on instances needed to keep up with the offered load, the cost model's rule
// (max(1, ⌈Q · compute / 86400⌉) in costmodel/predict.cpp) over the simulated window:
// max(1, ⌈queries · service_s / window_s⌉).
int always_on_instances(std::size_t queries, double service_s, double window_s);

}  // namespace sim
