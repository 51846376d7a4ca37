// predict / recommend: first-principles usage, latency and cost of every deployment variant.
//
//   Variant            what runs a query (one batch of B images through L layers of N neurons)
//   kSerial            one function of M MB runs every layer
//   kQueue             P functions (launch tree bfr^l), rows exchanged over SNS topics → SQS queues
//   kObject            P functions, rows exchanged as S3 objects (one per layer, source, target)
//   kServerAlwaysOn    EC2 instance(s) paid per hour whether used or not
//   kServerJobScoped   an EC2 instance booted per query: boot time + compute, per-second billing
//                      with a 60 s minimum
//
// Every formula is stated, with its symbols, in docs/COSTMODEL.md; request counts follow the
// channels' packing/batching rules stated there, so a run on the in-memory backend meters the
// deterministic counts (messages, publish calls, PUT/GET) exactly as predicted, and the
// timing-dependent ones (SQS receives, S3 LIST polls) within a tolerance.
//
// Speed: summarize() does the per-(layer, pair) work once per (profile, channel settings);
// predict() on a summary is O(layers) with a few flops per layer (≥ 1 M points/s for L = 120,
// bench/costmodel_bench.cpp). Pure functions, thread-safe, deterministic.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "costmodel/comm_profile.hpp"
#include "costmodel/cost.hpp"
#include "costmodel/prices.hpp"
#include "costmodel/usage.hpp"

namespace cost {

enum class Variant { kSerial, kQueue, kObject, kServerAlwaysOn, kServerJobScoped };
inline constexpr std::array<Variant, 5> kAllVariants = {Variant::kSerial, Variant::kQueue, Variant::kObject,
                                                        Variant::kServerAlwaysOn, Variant::kServerJobScoped};
const char* to_string(Variant variant);  // "serial" | "queue" | "object" | "server_always_on" | "server_job_scoped"
Variant parse_variant(const std::string& name);  // std::invalid_argument on an unknown name

// What is deployed (cli::Config → Deployment in cli/bridge/deployment_from_config.hpp).
struct Deployment {
  int neurons = 1024;     // N
  int layers = 120;       // L
  int batch_size = 1000;  // B: images per query
  int workers = 8;        // P = Σ_{l=1..levels} bfr^l (queue, object)
  int launch_bfr = 8;
  int launch_levels = 1;
  int memory_mb = 1000;  // M: every function's memory
  // queue channel
  int topics = 8;                  // SNS topics (control plane only: not in per-query counts)
  int max_message_bytes = 262144;  // SNS/SQS message limit the channel packs up to
  // object channel
  double poll_interval_s = 0.1;  // pause between LIST polls of a prefix
  int parallel_gets = 8;         // concurrent GETs per worker
  int parallel_puts = 0;         // concurrent PUTs per worker; 0: as many as parallel_gets (ObjectChannel's rule)
  // servers
  std::string instance_type = "c5.2xlarge";  // a key of Prices::ec2
  // queue, object: the coordinator PUTs the partition once and every worker GETs it (workers on
  // AWS: fsd run --backend aws; engine/worker/partition_blob.hpp): 1 PUT and P GETs of
  // 20 + ⌈(L+1)·N·b / 8⌉ bytes, b = max(1, ⌈log2 P⌉). The memory and sim backends share it in memory.
  bool partition_object = false;
  bool operator==(const Deployment&) const = default;
};

// The traffic a deployment serves.
struct Workload {
  double queries_per_day = 2000;  // mean arrival rate
  double max_latency_s = 0;       // latency objective per query for recommend(); 0 = none
  bool operator==(const Workload&) const = default;
};

// Model parameters that are not prices: speeds, latencies, encoding. `fsd plan`, `fsd check` and
// sweeps derive every field that has a physical counterpart in the simulator's calibration from it
// (cli/bridge/performance_from_calibration.hpp; the mapping is tabled in docs/COSTMODEL.md,
// "Parameters"), so the cost model and the simulator use the same numbers. The defaults below are
// that mapping applied to configs/calibration/aws-lambda-2024.yaml (fsd worker) on 2026-11-23,
// for callers that have no calibration; fields marked "cost model only" have no counterpart.
// A request's time is what its caller waits, all in: client overhead, both network legs and the
// service's processing; its bytes are added at function_bandwidth_bytes_per_s.
struct Performance {
  // compute
  double ops_per_s_per_vcpu = 5.0e8;   // sparse multiply-adds (Y(b,i)·W(i,j)) per second per vCPU (2 flops each)
  double worker_threads = 1;           // threads a distributed worker computes with (engine/worker: one), so
                                       // it gets min(vCPUs, this) vCPUs; serial and servers use every vCPU
  double lambda_mb_per_vcpu = 1769;    // Lambda: one vCPU per 1769 MB (AWS docs)
  double lambda_max_vcpus = 6;         // at 10,240 MB
  double lambda_max_duration_s = 900;  // a function is killed after 15 min
  double lambda_cold_start_s = 1.0;    // a new instance starts its handler this long after the Invoke
  double lambda_warm_start_s = 0.005;  // a warm instance
  double invoke_latency_s = 0.032;     // one asynchronous Invoke request (the invoker waits this long)
  double imbalance = 0.05;             // work of the busiest worker / mean − 1 (cost model only)
  // CPU the worker spends on the wire besides the kernel (0 = free): zstd (input / output bytes per
  // second of one vCPU) and a fixed cost per message or object sent or received
  double compress_bytes_per_s_per_vcpu = 350e6;
  double decompress_bytes_per_s_per_vcpu = 1200e6;
  double message_vcpu_s = 2e-5;
  // network and services
  double function_bandwidth_bytes_per_s = 67e6;  // a function's network throughput
  double sns_publish_latency_s = 0.032;          // one PublishBatch call
  double publish_concurrency = 1;                // PublishBatch calls a worker keeps in flight (ours: 1)
  double sns_to_sqs_delay_s = 0.06;              // publish accepted → visible in the subscribed queue (fixed part)
  double sns_delivery_jitter_s = 0.09;           // plus an exponential delay of this mean, per delivery
  double barrier_jitter_factor = 1.29;  // a layer waits for its latest source; over layers the wait grows by
                                        // this · H(P−1) · jitter per layer (cost model only: Monte Carlo fit
                                        // of the max-plus recursion, docs/COSTMODEL.md "Time")
  double sqs_receive_latency_s = 0.022;          // one ReceiveMessage that returns messages
  double sqs_delete_latency_s = 0.022;           // one DeleteMessageBatch
  double receive_polls_per_sqrt_source = 1.65;  // receives per (worker, layer) ≈ this·√(P−1), from
                                                // staggered arrivals (cost model only: fit to the
                                                // paper's 4318 polls at P = 8 and 16,676 at P = 20)
  double s3_put_latency_s = 0.072;
  double s3_get_latency_s = 0.052;
  double s3_list_latency_s = 0.052;
  double s3_delete_latency_s = 0.052;  // one DeleteObjects per (target, layer); 0 = the worker never deletes
  // control plane, paid once per query by the coordinator before the first Invoke (the engine
  // provisions a query's topics, queues and subscriptions, or its bucket, and tears them down after)
  double sns_control_latency_s = 0.032;  // CreateTopic, Subscribe
  double sqs_control_latency_s = 0.022;  // CreateQueue, SetQueueAttributes
  double s3_control_latency_s = 0.072;   // CreateBucket
  // encoding of a row of Y_{k−1} on the wire (before compression)
  double row_header_bytes = 8;         // row index + nonzero count
  double bytes_per_nonzero = 8;        // image index (4) + float value (4)
  double compression_ratio = 2.3;      // encoded / compressed payload bytes
  double message_overhead_bytes = 40;  // attribute names and values per message (uniform model)
  // memory footprint
  double bytes_per_weight = 8;     // CSR: float value + int32 column
  double lambda_runtime_mb = 150;  // runtime + code, not available to data
  // servers (cost model only)
  double server_boot_s = 45;                     // job-scoped: instance launch to ready
  double server_min_billed_s = 60;               // per-second billing with a 60 s minimum
  double server_parallel_efficiency = 0.8;       // multi-threaded speed-up / vCPUs on an instance
  double server_usable_memory_fraction = 0.9;    // the rest is the OS's
  double server_bandwidth_bytes_per_s = 1.25e9;  // job-scoped: weights loaded from S3 at boot (10 Gb/s)
};

// Per-query request counts and per-layer communication times of the queue and object channels
// for one (profile, deployment) pair; the expensive part of predict(), reusable across memory
// sizes, workloads, prices and variants.
struct LayerTimes {
  int repeat = 1;
  double ops_busiest_worker = 0;  // multiply-adds of the busiest worker (imbalance applied)
  double ops_total = 0;           // multiply-adds of the whole layer
  // Layer time (engine/worker/worker.cpp: post and flush, compute the local part, receive, finish):
  //   send + max(local_fraction · compute, wait) + (1 − local_fraction) · compute + cpu / vCPUs
  // send = the busiest sender's posting time, wait = from the end of posting until the busiest
  // receiver has its last block and has deleted what it received; cpu = vCPU-seconds of
  // (de)compression and per-message work on that path (divided by the vCPUs in predict()).
  double local_fraction = 1;  // share of a layer's work that needs no received row (1/P of the inputs)
  double queue_send_s = 0;
  double queue_wait_s = 0;
  double queue_cpu_vcpu_s = 0;
  double object_send_s = 0;
  double object_wait_s = 0;
  double object_cpu_vcpu_s = 0;
  double object_empty_lists = 0;  // LIST polls per (worker, layer) that find nothing new, beyond the first
};
struct CommSummary {
  int parts = 1;
  int layers = 0;
  double total_ops = 0;         // Σ_k ops_k (serial work)
  Usage queue;                  // SNS/SQS counts per query (functions not filled)
  Usage object;                 // S3 counts per query
  std::int64_t weight_nnz = 0;  // Σ_k nnz(W_k)
  double max_density = 0;       // max_k ρ_k (memory footprint of activations)
  double gather_s = 0;          // queue: Y_L rows to worker 0
  double gather_cpu_vcpu_s = 0;
  double object_gather_s = 0;  // object: same
  double object_gather_cpu_vcpu_s = 0;
  double queue_provision_s = 0;   // the coordinator creates topics, queues, policies, subscriptions
  double object_provision_s = 0;  // the coordinator creates the bucket
  std::vector<LayerTimes> per_layer;
};
// Throws std::invalid_argument if the profile is invalid or disagrees with the deployment
// (neurons, layers, or parts ≠ workers).
CommSummary summarize(const CommProfile& profile, const Deployment& deployment, const Performance& perf = {});

struct Prediction {
  Variant variant = Variant::kQueue;
  bool feasible = true;
  std::string infeasible_reason;  // e.g. "weights need 2.4 GB per worker > 1000 MB"
  Usage usage;                    // per query
  Cost cost;                      // cost_of(usage, prices, kExact): per query, variable part
  double latency_s = 0;           // per query (batch): request → categories, as `fsd run` runs it:
                                  // provisioning + launch (cold starts) + layers + gather
  double provision_s = 0;         // of which: the query's own topics/queues or bucket, before the
                                  // first Invoke (a long-lived deployment would not pay it per query)
  double compute_s = 0;           // compute on the critical path
  double comm_s = 0;              // communication not hidden behind compute
  double worker_duration_s = 0;   // the longest function invocation (serial: the one; queue and
                                  // object: a worker), start-up included, as its timeout counts it
  double usd_per_query = 0;       // at the workload's rate (always-on: the day's bill / queries)
  double usd_per_day = 0;         // at the workload's rate
};

Prediction predict(Variant variant, const Deployment& deployment, const CommSummary& summary, const Workload& workload,
                   const Prices& prices, const Performance& perf = {});
// Convenience: summarize + predict.
Prediction predict(Variant variant, const Deployment& deployment, const CommProfile& profile, const Workload& workload,
                   const Prices& prices, const Performance& perf = {});
// Every variant, in kAllVariants order.
std::vector<Prediction> predict_all(const Deployment& deployment, const CommSummary& summary, const Workload& workload,
                                    const Prices& prices, const Performance& perf = {});

struct Recommendation {
  Variant variant = Variant::kQueue;
  std::string reason;  // one line, e.g. "queue: $0.41/day, 3.1× cheaper than object (S3 PUTs grow with P²)"
  bool found = true;   // false: nothing feasible (reason says why)
};
// The cheapest feasible variant per day that meets workload.max_latency_s (ties: lower latency).
Recommendation recommend(const std::vector<Prediction>& predictions, const Workload& workload);

}  // namespace cost
