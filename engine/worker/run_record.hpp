// RunRecord: what one run of a deployment did — per-layer timings, per-worker durations, the
// traffic the channels moved, the metered usage and the categories. A plain value, written to
// JSON by cli/record (with the config that produced it) and read back by `fsd check`.
// It holds no credentials and nothing from the environment: only counts, times and ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/channel/channel.hpp"
#include "engine/cloud/meter.hpp"
#include "engine/worker/deployment.hpp"

namespace engine {

struct RunLayer {
  int layer = 0;               // 1..L; L+1 is the gather to worker 0
  double start_s = 0;          // earliest worker start (seconds since the run started)
  double end_s = 0;            // latest worker end
  double max_compute_s = 0;    // max over workers of compute_local + finish_layer time
  double max_wait_s = 0;       // max over workers of time spent receiving
  std::int64_t input_nnz = 0;  // nnz(Y_{k−1}) over all workers (the gather: nnz(Y_L))
  std::vector<std::int64_t> pair_bytes;  // [s·P + t]: encoded frame bytes sent s → t (0: marker)
  bool operator==(const RunLayer&) const = default;
};

struct RunWorker {
  int worker = 0;
  double start_s = 0, end_s = 0;  // the function invocation
  double flops = 0;
  bool operator==(const RunWorker&) const = default;
};

// A stream of queries served by EC2 instances (the simulated server baselines, sim/servers/), or by
// one Lambda function per query (the simulated serial variant, channel "serial": instance_type
// empty, instances = peak functions at once). A function deployment's record is one query and
// leaves this empty (queries = 0).
struct RunServers {
  std::string instance_type;       // a key of the price book's EC2 entries
  int instances = 0;               // always-on: instances up for the window; job-scoped: peak at once
  double window_s = 0;             // the simulated window the queries arrived in
  std::int64_t queries = 0;        // queries served
  double latency_mean_s = 0;       // arrival → categories
  double latency_p95_s = 0;        // nearest rank
  double queue_delay_mean_s = 0;   // arrival → an instance starts on it
  double queue_delay_max_s = 0;
  // serial only: cold starts, Invoke attempts throttled, queries not served (of `queries`)
  std::int64_t cold_starts = 0, throttles = 0, failed = 0;
  bool operator==(const RunServers&) const = default;
};

struct RunRecord {
  std::string run_id;
  std::string backend;  // "memory", "aws", "sim"
  std::string channel;  // "queue", "object", "direct"
  int workers = 0, layers = 0, neurons = 0, images = 0;
  int memory_mb = 0;
  double wall_s = 0;  // coordinator: first invoke → last report
  std::vector<RunLayer> layer_records;
  std::vector<RunWorker> worker_records;
  cloud::MeteredUsage usage;
  ChannelStats traffic;                 // summed over workers
  std::vector<std::int32_t> categories; // 0-based images with a nonzero in Y_L
  std::int64_t final_nnz = 0;
  RunServers servers;                   // server baselines only (usage.ec2_instance_seconds is their bill)
  bool operator==(const RunRecord&) const = default;
};

// Assembles the record of a finished deployment (usage as metered after the run).
RunRecord make_run_record(const DeploymentSpec& spec, const DeploymentResult& result,
                          const cloud::MeteredUsage& usage, const std::string& backend, int memory_mb);

}  // namespace engine
