// cost::Performance from the simulator's calibration (cli/bridge/performance_from_calibration.hpp)
// against hand-derived values for a calibration of round numbers, and the time terms of predict()
// that the mapping feeds (provisioning, launch tree, delivery barrier) worked out on paper.
#include <doctest/doctest.h>

#include <string>

#include "cli/bridge/performance_from_calibration.hpp"
#include "costmodel/predict.hpp"

namespace {

sim::ServiceCalibration service(double latency_s, double service_time_s, double bytes_per_s) {
  sim::ServiceCalibration s;
  s.latency_s = latency_s;
  s.service_time_s = service_time_s;
  s.bytes_per_s = bytes_per_s;
  return s;
}

// Round numbers: every request time below is overhead + 2·(link + service latency) + service time.
sim::Calibration round_calibration() {
  sim::Calibration c;
  c.lambda.mb_per_vcpu = 2000;
  c.lambda.max_vcpus = 4;
  c.lambda.link_latency_s = 0.001;
  c.lambda.link_bytes_per_s = 50e6;
  c.lambda.cold_start_s = 2.0;
  c.lambda.warm_start_s = 0.01;
  c.lambda.invoke = service(0.004, 0.010, 1e9);
  c.sns.publish = service(0.002, 0.030, 1e9);
  c.sns.delivery_latency_s = 0.1;
  c.sns.delivery_jitter_s = 0.2;
  c.sqs = service(0.003, 0.020, 40e6);  // slower than the function's link: it bounds the bandwidth
  c.s3_put = service(0.005, 0.100, 1e9);
  c.s3_get = service(0.005, 0.050, 1e9);
  c.s3_list = service(0.005, 0.040, 1e9);
  c.fsd.flops_per_s_per_vcpu = 3e9;
  c.fsd.compress_bytes_per_s_per_vcpu = 100e6;
  c.fsd.decompress_bytes_per_s_per_vcpu = 400e6;
  c.fsd.compression_ratio = 4;
  c.fsd.request_overhead_s = 0.002;
  c.fsd.message_vcpu_s = 0.0001;
  c.fsd.publish_threads = 1;
  c.fsd.protocol = sim::WorkerProtocol::kChannel;
  c.python = c.fsd;
  c.python.flops_per_s_per_vcpu = 1e8;
  c.python.request_overhead_s = 0.05;
  c.python.publish_threads = 4;
  c.python.protocol = sim::WorkerProtocol::kPublished;
  return c;
}

}  // namespace

TEST_CASE("calibrated performance: every mapped field from a calibration of round numbers") {
  const cost::Performance p = cli::performance_from_calibration(round_calibration());
  CHECK(p.ops_per_s_per_vcpu == doctest::Approx(1.5e9));  // 3e9 flops/s, 2 flops per multiply-add
  CHECK(p.lambda_mb_per_vcpu == 2000);
  CHECK(p.lambda_max_vcpus == 4);
  CHECK(p.lambda_cold_start_s == 2.0);
  CHECK(p.lambda_warm_start_s == 0.01);
  CHECK(p.invoke_latency_s == doctest::Approx(0.002 + 2 * (0.001 + 0.004) + 0.010));  // 0.022
  CHECK(p.compress_bytes_per_s_per_vcpu == 100e6);
  CHECK(p.decompress_bytes_per_s_per_vcpu == 400e6);
  CHECK(p.compression_ratio == 4);
  CHECK(p.message_vcpu_s == 0.0001);
  CHECK(p.function_bandwidth_bytes_per_s == 40e6);                                   // SQS's link
  CHECK(p.sns_publish_latency_s == doctest::Approx(0.002 + 2 * 0.003 + 0.030));      // 0.038
  CHECK(p.publish_concurrency == 1);
  CHECK(p.sns_to_sqs_delay_s == 0.1);
  CHECK(p.sns_delivery_jitter_s == 0.2);
  CHECK(p.sqs_receive_latency_s == doctest::Approx(0.002 + 2 * 0.004 + 0.020));      // 0.030
  CHECK(p.sqs_delete_latency_s == doctest::Approx(0.030));
  CHECK(p.s3_put_latency_s == doctest::Approx(0.002 + 2 * 0.006 + 0.100));           // 0.114
  CHECK(p.s3_get_latency_s == doctest::Approx(0.064));
  CHECK(p.s3_list_latency_s == doctest::Approx(0.054));
  CHECK(p.s3_delete_latency_s == doctest::Approx(0.054));  // DeleteObjects is served as a LIST is
  CHECK(p.sns_control_latency_s == doctest::Approx(0.038));
  CHECK(p.sqs_control_latency_s == doctest::Approx(0.030));
  CHECK(p.s3_control_latency_s == doctest::Approx(0.114));
  // Cost-model-only parameters keep their values.
  const cost::Performance defaults;
  CHECK(p.receive_polls_per_sqrt_source == defaults.receive_polls_per_sqrt_source);
  CHECK(p.barrier_jitter_factor == defaults.barrier_jitter_factor);
  CHECK(p.imbalance == defaults.imbalance);
  CHECK(p.server_boot_s == defaults.server_boot_s);
  CHECK(p.worker_threads == 1);
}

TEST_CASE("calibrated performance: the python worker's speed, overhead, publish pool and protocol") {
  const cost::Performance p = cli::performance_from_calibration(round_calibration(), sim::WorkerKind::kPython);
  CHECK(p.ops_per_s_per_vcpu == doctest::Approx(5e7));
  CHECK(p.sqs_receive_latency_s == doctest::Approx(0.05 + 2 * 0.004 + 0.020));  // 0.078
  CHECK(p.publish_concurrency == 4);
  CHECK(p.s3_delete_latency_s == 0);  // the published workers never delete their objects
}

TEST_CASE("calibrated performance: the shipped calibration loads by name, as fsd simulate finds it") {
  const cost::Performance p = cli::load_performance("aws-lambda-2024");
  CHECK(p.ops_per_s_per_vcpu > 0);
  CHECK(p.sqs_receive_latency_s > 0);
  CHECK(cli::calibration_path("x/y.yaml") == "x/y.yaml");
  CHECK(cli::calibration_path("aws-lambda-2024").find("/calibration/aws-lambda-2024.yaml") != std::string::npos);
}

namespace {

// P = 6 workers (bfr 2, 2 levels), 3 topics, one layer with no work and no bytes: latency is
// provisioning + launch only when every other time is zero.
struct Tree {
  cost::CommProfile profile;
  cost::Deployment deployment;
  cost::Performance perf;
};
Tree launch_only() {
  Tree t;
  t.profile.neurons = 60;
  t.profile.parts = 6;
  t.profile.batch_size = 1;
  cost::LayerProfile l;
  l.input_density = 0;
  l.weight_nnz = 0;
  t.profile.layers.push_back(l);
  t.profile.gather_bytes = {0, 0, 0, 0, 0, 0};
  t.deployment.neurons = 60;
  t.deployment.layers = 1;
  t.deployment.batch_size = 1;
  t.deployment.workers = 6;
  t.deployment.launch_bfr = 2;
  t.deployment.launch_levels = 2;
  t.deployment.topics = 3;
  t.deployment.poll_interval_s = 0;
  cost::Performance& p = t.perf;
  p.sns_control_latency_s = 0.1;
  p.sqs_control_latency_s = 0.01;
  p.s3_control_latency_s = 0.5;
  p.invoke_latency_s = 1;
  p.lambda_cold_start_s = 10;
  p.function_bandwidth_bytes_per_s = 1e300;
  p.sns_publish_latency_s = p.sns_to_sqs_delay_s = p.sns_delivery_jitter_s = 0;
  p.sqs_receive_latency_s = p.sqs_delete_latency_s = 0;
  p.s3_put_latency_s = p.s3_get_latency_s = p.s3_list_latency_s = p.s3_delete_latency_s = 0;
  p.compress_bytes_per_s_per_vcpu = p.decompress_bytes_per_s_per_vcpu = 0;
  p.message_vcpu_s = 0;
  return t;
}

}  // namespace

TEST_CASE("predict: a query pays its provisioning and a cold start per launch level") {
  const Tree t = launch_only();
  const cost::Prices prices = cost::load_prices(std::string(FSD_SOURCE_DIR) + "/configs/prices/aws-us-east-1.yaml");
  const cost::Prediction q = cost::predict(cost::Variant::kQueue, t.deployment, t.profile, {}, prices, t.perf);
  // CreateTopic ×3, CreateQueue ×6, (SetQueueAttributes + Subscribe) ×18: 0.3 + 0.06 + 1.98 = 2.34 s.
  CHECK(q.provision_s == doctest::Approx(2.34));
  // The last leaf: its root is invoked 2nd (2 s) and starts cold (10 s), invokes 2 children (2 s),
  // which start cold (10 s): 2.34 + 24 = 26.34 s.
  CHECK(q.latency_s == doctest::Approx(26.34));
  // Billed seconds, init included: level 1 invoked on average 1.5 s after provisioning, runs from
  // then to the end: 26.34 − 2.34 − 1.5 = 22.5 s, ×2; level 2 on average 1.5 + 10 + 1.5 = 13 s
  // after: 11 s, ×4; the coordinator 26.34 s. Σ = 45 + 44 + 26.34.
  CHECK(q.usage.function_seconds == doctest::Approx(115.34));
  CHECK(q.usage.invocations == 7);
  const cost::Prediction o = cost::predict(cost::Variant::kObject, t.deployment, t.profile, {}, prices, t.perf);
  CHECK(o.provision_s == doctest::Approx(0.5));  // CreateBucket
  CHECK(o.latency_s == doctest::Approx(0.5 + 24));
}

TEST_CASE("predict: the delivery jitter adds the compounded wait for the latest of P−1 sources") {
  Tree t = launch_only();
  t.deployment.launch_levels = 1;
  t.deployment.launch_bfr = 3;
  t.deployment.workers = t.profile.parts = 3;
  t.profile.gather_bytes = {0, 0, 0};
  t.deployment.layers = 4;
  t.profile.layers[0].repeat = 4;
  const cost::Prices prices = cost::load_prices(std::string(FSD_SOURCE_DIR) + "/configs/prices/aws-us-east-1.yaml");
  const double base = cost::predict(cost::Variant::kQueue, t.deployment, t.profile, {}, prices, t.perf).latency_s;
  t.perf.sns_delivery_jitter_s = 0.5;
  t.perf.barrier_jitter_factor = 1.2;
  const double jittered = cost::predict(cost::Variant::kQueue, t.deployment, t.profile, {}, prices, t.perf).latency_s;
  // 4 layers × 1.2 · H(2) · 0.5 = 4 × 0.9, and the gather's latest of 2: H(2) · 0.5 = 0.75.
  CHECK(jittered - base == doctest::Approx(4 * 0.9 + 0.75));
}
