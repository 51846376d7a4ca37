// A calibration of round numbers so each timing test can derive the expected simulated time by
// hand (a sum of latencies, transfer times and service times along the bottleneck path).
#pragma once

#include "sim/calibration.hpp"

namespace simtest {

inline sim::ServiceCalibration service(double latency_s, double service_time_s, double bytes_per_s) {
  sim::ServiceCalibration s;
  s.latency_s = latency_s;
  s.service_time_s = service_time_s;
  s.bytes_per_s = bytes_per_s;
  s.requests_per_s = 1e9;
  s.burst_requests = 1e9;
  return s;
}

inline sim::Calibration round_calibration() {
  sim::Calibration c;
  c.path = "<test>";
  c.lambda.mb_per_vcpu = 1769;
  c.lambda.max_vcpus = 6;
  c.lambda.max_memory_mb = 10240;
  c.lambda.min_memory_mb = 128;
  c.lambda.link_latency_s = 0.001;
  c.lambda.link_bytes_per_s = 100e6;
  c.lambda.cold_start_s = 0.5;
  c.lambda.warm_start_s = 0.05;
  c.lambda.concurrency_limit = 3;
  c.lambda.invoke = service(0.010, 0.020, 1e9);
  c.sns.publish = service(0.004, 0.010, 50e6);
  c.sns.delivery_latency_s = 0.1;
  c.sns.duplicate_probability = 0;
  c.sqs = service(0.003, 0.005, 40e6);
  c.s3_put = service(0.020, 0.030, 20e6);
  c.s3_get = service(0.015, 0.025, 30e6);
  c.s3_list = service(0.010, 0.020, 10e6);
  c.fsd.flops_per_s_per_vcpu = 1e9;
  c.fsd.request_overhead_s = 0;
  c.python.flops_per_s_per_vcpu = 1e8;
  c.python.request_overhead_s = 0;
  return c;
}

}  // namespace simtest
