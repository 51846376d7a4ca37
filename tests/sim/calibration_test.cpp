// Calibration loading: the shipped file parses with the documented values; bad files fail with
// "path:line: key: what" and nothing is half-loaded.
#include <doctest/doctest.h>

#include <string>

#include "engine/common/input_error.hpp"
#include "sim/calibration.hpp"

TEST_CASE("the shipped aws-lambda-2024 calibration loads with its published values") {
  const auto c = sim::load_calibration(std::string(FSD_SOURCE_DIR) + "/configs/calibration/aws-lambda-2024.yaml");
  CHECK(c.lambda.mb_per_vcpu == 1769);            // AWS Lambda docs
  CHECK(c.lambda.max_vcpus == 6);
  CHECK(c.lambda.max_memory_mb == 10240);
  CHECK(c.lambda.concurrency_limit == 1000);      // AWS default quota
  CHECK(c.s3_put.requests_per_s == 3500);         // S3 performance guidelines
  CHECK(c.s3_get.requests_per_s == 5500);
  CHECK(c.sns.publish.requests_per_s == 30000);   // SNS quota, us-east-1
  CHECK(c.python.compression_ratio == doctest::Approx(240694300.0 / 104131260.0).epsilon(0.01));
}

namespace {

std::string shipped_text_with(const std::string& from, const std::string& to) {
  std::string text = R"(lambda:
  mb_per_vcpu: 1769
  max_vcpus: 6
  max_memory_mb: 10240
  min_memory_mb: 128
  link_latency_s: 0.0005
  link_bytes_per_s: 67.0e6
  cold_start_s: 1.0
  warm_start_s: 0.005
  concurrency_limit: 1000
  invoke: {latency_s: 0.005, service_time_s: 0.02, service_jitter_s: 0, bytes_per_s: 1e8, requests_per_s: 1e4, burst_requests: 1e3}
sns:
  publish: {latency_s: 0.005, service_time_s: 0.02, service_jitter_s: 0, bytes_per_s: 1e8, requests_per_s: 3e4, burst_requests: 3e4}
  delivery_latency_s: 0.06
  delivery_jitter_s: 0.01
  duplicate_probability: 0
sqs: {latency_s: 0.005, service_time_s: 0.01, service_jitter_s: 0, bytes_per_s: 1e8, requests_per_s: 1e6, burst_requests: 1e6}
s3:
  put: {latency_s: 0.005, service_time_s: 0.06, service_jitter_s: 0, bytes_per_s: 85e6, requests_per_s: 3500, burst_requests: 3500}
  get: {latency_s: 0.005, service_time_s: 0.04, service_jitter_s: 0, bytes_per_s: 85e6, requests_per_s: 5500, burst_requests: 5500}
  list: {latency_s: 0.005, service_time_s: 0.04, service_jitter_s: 0, bytes_per_s: 85e6, requests_per_s: 5500, burst_requests: 5500}
seed: 1
workers:
  fsd: {flops_per_s_per_vcpu: 1e9, compress_bytes_per_s_per_vcpu: 3.5e8, decompress_bytes_per_s_per_vcpu: 1.2e9, compression_ratio: 2.3, request_overhead_s: 0.001, message_vcpu_s: 0.00002, message_body_s_per_mb: 0, object_vcpu_s: 0.00002, object_vcpu_s_per_mb: 0, publish_threads: 1, object_buckets: 1, protocol: channel}
  python: {flops_per_s_per_vcpu: 7e8, compress_bytes_per_s_per_vcpu: 8e7, decompress_bytes_per_s_per_vcpu: 4e8, compression_ratio: 2.31, request_overhead_s: 0.08, message_vcpu_s: 0.002, message_body_s_per_mb: 0.5, object_vcpu_s: 0.001, object_vcpu_s_per_mb: 0.1, publish_threads: 4, object_buckets: 10, protocol: published}
)";
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a well-formed calibration text parses") {
  const auto c = sim::parse_calibration(shipped_text_with("seed: 1", "seed: 7"), "cal.yaml");
  CHECK(c.seed == 7);
  CHECK(c.sqs.service_time_s == doctest::Approx(0.01));
}

TEST_CASE("bad calibration files name the file, the line and the key") {
  CHECK_THROWS_WITH_AS(sim::parse_calibration(shipped_text_with("  cold_start_s: 1.0", "  cold_start_z: 1.0"), "c.yaml"),
                       doctest::Contains("c.yaml:8: calibration.lambda.cold_start_z: unknown key"),
                       engine::InputError);
  CHECK_THROWS_WITH_AS(sim::parse_calibration(shipped_text_with("  link_bytes_per_s: 67.0e6", "  link_bytes_per_s: -1"),
                                              "c.yaml"),
                       doctest::Contains("c.yaml:7: calibration.lambda.link_bytes_per_s: must be > "),
                       engine::InputError);
  CHECK_THROWS_WITH_AS(sim::parse_calibration(shipped_text_with("  max_vcpus: 6", "  max_vcpus: six"), "c.yaml"),
                       doctest::Contains("c.yaml:3: calibration.lambda.max_vcpus: expected a number"),
                       engine::InputError);
  CHECK_THROWS_WITH_AS(sim::parse_calibration(shipped_text_with("  duplicate_probability: 0", "  duplicate_probability: 2"),
                                              "c.yaml"),
                       doctest::Contains("duplicate_probability: must be <= 1"), engine::InputError);
  CHECK_THROWS_WITH_AS(sim::parse_calibration(shipped_text_with("seed: 1\n", ""), "c.yaml"),
                       doctest::Contains("calibration.seed: missing"), engine::InputError);
  CHECK_THROWS_WITH_AS(sim::parse_calibration("lambda: [1, 2", "c.yaml"), doctest::Contains("c.yaml:"),
                       engine::InputError);
  CHECK_THROWS_AS(sim::load_calibration("/nonexistent/cal.yaml"), engine::InputError);
}
