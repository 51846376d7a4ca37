// performance_from_calibration: the cost model's speeds and latencies (cost::Performance) from the
// simulator's calibration (sim::Calibration, configs/calibration/<name>.yaml), so `fsd plan`,
// `fsd check`, sweeps and `fsd simulate` use one set of numbers for the same physical quantities.
//
// Mapping (t(X) = the time a caller waits for one request to service X, as the simulator times it:
// w.request_overhead_s + 2 · (lambda.link_latency_s + X.latency_s) + X.service_time_s; w = the
// modelled worker's calibration, fsd or python):
//   ops_per_s_per_vcpu              w.flops_per_s_per_vcpu / 2        (2 flops per multiply-add)
//   lambda_mb_per_vcpu, _max_vcpus  lambda.mb_per_vcpu, lambda.max_vcpus
//   lambda_cold/warm_start_s        lambda.cold_start_s, lambda.warm_start_s
//   invoke_latency_s                t(lambda.invoke)
//   compress/decompress speeds,     w.compress_bytes_per_s_per_vcpu, w.decompress_bytes_per_s_per_vcpu,
//   message_vcpu_s, compression_ratio  w.message_vcpu_s, w.compression_ratio
//   function_bandwidth_bytes_per_s  min(lambda.link_bytes_per_s, the data services' bytes_per_s)
//   sns_publish_latency_s           t(sns.publish);  publish_concurrency = w.publish_threads
//   sns_to_sqs_delay_s, _jitter_s   sns.delivery_latency_s, sns.delivery_jitter_s
//   sqs_receive/delete_latency_s    t(sqs)
//   s3_put/get/list_latency_s       t(s3_put), t(s3_get), t(s3_list)
//   s3_delete_latency_s             t(s3_list) (the simulator serves DeleteObjects there); 0 when
//                                   w.protocol is kPublished (those workers never delete)
//   sns/sqs/s3_control_latency_s    t(sns.publish), t(sqs), t(s3_put) (control requests)
// Every other field (imbalance, receive_polls_per_sqrt_source, barrier_jitter_factor, wire
// encoding, memory footprint, servers) has no counterpart in the calibration and keeps
// cost::Performance's value. Pure functions; load_performance reads a file (strict, see
// sim::load_calibration: a bad file throws engine::InputError "path:line: what").
#pragma once

#include <string>

#include "costmodel/predict.hpp"
#include "sim/calibration.hpp"
#include "sim/simulation.hpp"

namespace cli {

// Time a caller waits for one request to `service` from a function (no payload).
double request_time_s(const sim::Calibration& calibration, const sim::WorkerCalibration& worker,
                      const sim::ServiceCalibration& service);

cost::Performance performance_from_calibration(const sim::Calibration& calibration,
                                               sim::WorkerKind worker = sim::WorkerKind::kFsd);

// configs/calibration/<name>.yaml for a bare name, else the path itself (as `fsd simulate --calibration`).
std::string calibration_path(const std::string& name_or_path);

// load_calibration(calibration_path(name_or_path)) mapped for `worker`.
cost::Performance load_performance(const std::string& name_or_path, sim::WorkerKind worker = sim::WorkerKind::kFsd);

}  // namespace cli
