// Calibration: the numbers the simulated cloud is built from (configs/calibration/<name>.yaml).
//
// Every field is a physical quantity with its unit in its name: network latencies and bandwidths,
// per-request service times, rate limits, Lambda start-up times and CPU share, and the speed of
// the worker code being modelled (ours, or the published Python workers). Defaults here are only
// placeholders for tests; a calibration file must give every key (a missing key is an error, so a
// file cannot silently fall back to a guess). load_calibration() is strict: unknown keys, wrong
// types and non-positive values throw engine::InputError "path:line: key: what".
// Plain value type: thread-safe as any value.
#pragma once

#include <cstdint>
#include <string>

namespace sim {

// One request/response service endpoint (SNS, SQS, S3, Lambda's Invoke API).
// A request costs: network latency both ways (function link + service link), the bytes over the
// slower of the two links, and service_time_s of processing at the service.
struct ServiceCalibration {
  double latency_s = 0.005;           // one-way latency of the service's link (endpoint side)
  double service_time_s = 0.010;      // processing time per request, independent of size
  // Plus an exponential delay of this mean per request (seeded per endpoint): services answer with
  // a tail, so parallel workers drift apart instead of moving in lockstep.
  double service_jitter_s = 0;
  double bytes_per_s = 100e6;         // per-connection throughput of the endpoint (links are fat pipes)
  double requests_per_s = 1e9;        // throttling threshold (token bucket refilled at this rate)
  double burst_requests = 1e9;        // token bucket depth
  bool operator==(const ServiceCalibration&) const = default;
};

struct LambdaCalibration {
  double mb_per_vcpu = 1769;          // memory that buys one vCPU
  int max_vcpus = 6;                  // at max_memory_mb
  int max_memory_mb = 10240;
  int min_memory_mb = 128;
  double link_latency_s = 0.0005;     // one-way latency of an instance's network interface
  double link_bytes_per_s = 75e6;     // instance network bandwidth, each direction
  double cold_start_s = 0.25;         // new instance: sandbox + runtime init before the handler runs
  double warm_start_s = 0.005;        // reused instance: dispatch before the handler runs
  int concurrency_limit = 1000;       // account-wide concurrent executions
  ServiceCalibration invoke;          // the Invoke API endpoint
  bool operator==(const LambdaCalibration&) const = default;
};

struct PubSubCalibration {
  ServiceCalibration publish;         // PublishBatch
  double delivery_latency_s = 0.05;   // publish accepted → message visible in a subscribed queue
  double delivery_jitter_s = 0;       // plus an exponential delay of this mean, per delivery (seeded)
  double duplicate_probability = 0;   // at-least-once: chance a delivery is made twice
  bool operator==(const PubSubCalibration&) const = default;
};

// Which of the channel's requests the modelled worker really makes.
//   kChannel    all of them (our worker).
//   kPublished  the published FSD-Inference Python workers (sds_inf_object_worker.py, Oakley &
//               Ferhatosmanoglu, ICDE 2024, github.com/Joe-Oakley/FSD-Inference-ICDE-2024) never
//               delete their objects, so the object channel's end-of-layer DeleteObjects takes no
//               simulated time (it is still served and counted). Queue deletes stay timed: those
//               workers delete after every non-empty receive, which our batched deletes stand for.
enum class WorkerProtocol { kChannel, kPublished };

// Speed of the code running inside a function: how many flops (multiply-adds of the sparse
// kernel) and how many bytes of compression one vCPU gets through per second.
struct WorkerCalibration {
  double flops_per_s_per_vcpu = 1e9;
  double compress_bytes_per_s_per_vcpu = 100e6;    // input bytes per second
  double decompress_bytes_per_s_per_vcpu = 300e6;  // output bytes per second
  double compression_ratio = 3;                    // uncompressed / compressed activation payloads
  double request_overhead_s = 0.001;  // client-side time per cloud request (SDK signing, HTTP, parsing)
  // CPU time, in seconds of one vCPU, the worker spends per activation message it sends or receives
  // beyond (de)compression: building or parsing the SDK's entry, its attributes, and cutting or
  // rebuilding the sparse block. Charged as compute, so it shrinks with a larger vCPU share.
  double message_vcpu_s = 0;
  // Time, per MB of SNS/SQS message bodies, the worker's client spends encoding a PublishBatch or
  // decoding a ReceiveMessage answer, beyond the transfer. A fixed time, not CPU (it did not shrink
  // with memory in the published runs). The published queue worker sends `str(zlib bytes)` through
  // boto3's Query protocol, which URL-encodes every character in Python; S3 bodies travel raw and
  // pay nothing. 0 for ours.
  double message_body_s_per_mb = 0;
  // CPU, in seconds of one vCPU, per non-empty object the worker writes or reads (instead of
  // message_vcpu_s) and per MB of it (on top of compress/decompress): building the object from a
  // block and back. The published object worker writes float64 triplets, zlib-compresses them and
  // sends their `str()`, and reads them back with `eval`, one SciPy CSR per object and one
  // accumulation into the layer's result per object read.
  double object_vcpu_s = 0;
  double object_vcpu_s_per_mb = 0;
  // PublishBatch calls the worker keeps in flight. 1: each call returns when SNS has answered (our
  // channel). N > 1: a call is handed to one of N background threads of the instance and returns
  // at once (waiting only while N are busy); the instance's next ReceiveMessage first waits for
  // them all. The published queue worker publishes from a pool of SNS_PUBLISH_THREADS = 4 and
  // joins it before polling; a throttled background publish is retried after 0.1 × 2^r s
  // (r = 0..3) as it does, and fails the run after that.
  int publish_threads = 1;
  // S3 buckets the worker spreads its objects over (SimObjectStore: S3's request rate limit is per
  // bucket). 1: ours, one run-scoped prefix in one bucket. The published object worker writes each
  // object to bucket "<name>-<target mod S3_BUCKET_MODULO>", S3_BUCKET_MODULO = 10.
  int object_buckets = 1;
  WorkerProtocol protocol = WorkerProtocol::kChannel;
  bool operator==(const WorkerCalibration&) const = default;
};

struct Calibration {
  std::string path;  // where it was loaded from
  LambdaCalibration lambda;
  PubSubCalibration sns;
  ServiceCalibration sqs;
  ServiceCalibration s3_put;
  ServiceCalibration s3_get;
  ServiceCalibration s3_list;
  std::uint64_t seed = 1;       // duplicates and any other randomness of the services
  WorkerCalibration fsd;        // this project's C++ worker
  WorkerCalibration python;     // the published FSD-Inference Python workers (zlib level 3)
  bool operator==(const Calibration&) const = default;
};

Calibration load_calibration(const std::string& path);
Calibration parse_calibration(const std::string& text, const std::string& path);

// CPU share a function of memory_mb gets, in vCPUs: memory_mb / mb_per_vcpu, at most max_vcpus
// (AWS: 1 vCPU at 1769 MB; 10,240 MB gives 5.79, which AWS exposes as 6 vCPUs).
// Throws std::invalid_argument outside [min_memory_mb, max_memory_mb].
double vcpus_for_memory(const LambdaCalibration& lambda, int memory_mb);
// Cores the instance exposes (os.cpu_count()): ceil(vcpus), at most max_vcpus. The simulated CPU
// is the quota, not the cores: one thread runs at min(vcpus, 1) vCPU (0.565 at 1000 MB, 1 at
// 2000 MB) and six threads at 10,240 MB share 5.79.
int cores_for_memory(const LambdaCalibration& lambda, int memory_mb);

}  // namespace sim
