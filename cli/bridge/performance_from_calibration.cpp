#include "cli/bridge/performance_from_calibration.hpp"

#include <algorithm>

#include "costmodel/prices.hpp"

namespace cli {
double request_time_s(const sim::Calibration& c, const sim::WorkerCalibration& w, const sim::ServiceCalibration& s) {
  return w.request_overhead_s + 2 * (c.lambda.link_latency_s + s.latency_s) + s.service_time_s + s.service_jitter_s;
}

cost::Performance performance_from_calibration(const sim::Calibration& c, sim::WorkerKind kind) {
  const sim::WorkerCalibration& w = kind == sim::WorkerKind::kPython ? c.python : c.fsd;
  auto t = [&](const sim::ServiceCalibration& s) { return request_time_s(c, w, s); };
  cost::Performance p;
  p.ops_per_s_per_vcpu = w.flops_per_s_per_vcpu / 2;  // the simulator counts 2 flops per multiply-add
  p.lambda_mb_per_vcpu = c.lambda.mb_per_vcpu;
  p.lambda_max_vcpus = c.lambda.max_vcpus;
  p.lambda_cold_start_s = c.lambda.cold_start_s;
  p.lambda_warm_start_s = c.lambda.warm_start_s;
  p.invoke_latency_s = t(c.lambda.invoke);
  p.compress_bytes_per_s_per_vcpu = w.compress_bytes_per_s_per_vcpu;
  p.decompress_bytes_per_s_per_vcpu = w.decompress_bytes_per_s_per_vcpu;
  p.message_vcpu_s = w.message_vcpu_s;
  p.compression_ratio = w.compression_ratio;
  // A payload crosses the function's NIC and the service's link: the slower of the two.
  p.function_bandwidth_bytes_per_s = std::min({c.lambda.link_bytes_per_s, c.sns.publish.bytes_per_s,
                                               c.sqs.bytes_per_s, c.s3_put.bytes_per_s, c.s3_get.bytes_per_s});
  p.sns_publish_latency_s = t(c.sns.publish);
  p.publish_concurrency = std::max(1, w.publish_threads);
  p.sns_to_sqs_delay_s = c.sns.delivery_latency_s;
  p.sns_delivery_jitter_s = c.sns.delivery_jitter_s;
  p.sqs_receive_latency_s = t(c.sqs);
  p.sqs_delete_latency_s = t(c.sqs);
  p.s3_put_latency_s = t(c.s3_put);
  p.s3_get_latency_s = t(c.s3_get);
  p.s3_list_latency_s = t(c.s3_list);
  p.s3_delete_latency_s = w.protocol == sim::WorkerProtocol::kPublished ? 0.0 : t(c.s3_list);
  p.sns_control_latency_s = t(c.sns.publish);
  p.sqs_control_latency_s = t(c.sqs);
  p.s3_control_latency_s = t(c.s3_put);
  return p;
}

std::string calibration_path(const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".yaml") == 0);
  return is_path ? name_or_path : cost::configs_dir() + "/calibration/" + name_or_path + ".yaml";
}

cost::Performance load_performance(const std::string& name_or_path, sim::WorkerKind worker) {
  return performance_from_calibration(sim::load_calibration(calibration_path(name_or_path)), worker);
}

}  // namespace cli
