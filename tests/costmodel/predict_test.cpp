// predict / recommend against hand-derived counts (the packing and batching rules of
// docs/COSTMODEL.md worked out on paper), closed-form compute times, and price-book arithmetic.
#include "costmodel/predict.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "costmodel/analytic_profile.hpp"

namespace {

const std::string kPrices = std::string(FSD_SOURCE_DIR) + "/configs/prices/";
cost::Prices aws() { return cost::load_prices(kPrices + "aws-us-east-1.yaml"); }

// One layer, P = 3, B = 30, N = 30; pair bytes chosen to exercise splitting and batching.
cost::CommProfile three_workers() {
  cost::CommProfile p;
  p.neurons = 30;
  p.parts = 3;
  p.batch_size = 30;
  cost::LayerProfile l;
  l.rows_sent = 12;  // 0→1: 5 rows, 1→0: 4 rows, 1→2: 3 rows
  l.nonempty_pairs = 3;
  l.max_rows_sent = 7;
  l.max_rows_received = 5;
  l.input_density = 0.5;
  l.weight_nnz = 300;
  //             to:  0       1       2
  l.pair_bytes = {0,     300000, 0,      // from 0: 2 messages (262144 + 37856) and a marker
                  70000, 0,      70000,  // from 1: two messages that share one call
                  0,     0,      0};     // from 2: two markers
  p.layers.push_back(l);
  return p;
}

cost::Deployment deployment_for(const cost::CommProfile& p, int bfr, int levels) {
  cost::Deployment d;
  d.neurons = p.neurons;
  d.layers = p.num_layers();
  d.batch_size = p.batch_size;
  d.workers = p.parts;
  d.launch_bfr = bfr;
  d.launch_levels = levels;
  return d;
}

cost::Performance no_overhead() {
  cost::Performance perf;
  perf.message_overhead_bytes = 0;  // the channel packs payload right up to max_message_bytes
  return perf;
}

}  // namespace

TEST_CASE("predict: queue and object requests follow the channels' packing rules exactly") {
  cost::CommProfile p = three_workers();
  p.gather_bytes = {0, 0, 4000};  // worker 1's rows of Y_L are all zero (marker); worker 2 sends 4000 B
  cost::Deployment d = deployment_for(p, 3, 1);
  d.topics = 8;
  const cost::CommSummary s = cost::summarize(p, d);
  // Worked by hand from engine/channel/queue_channel.cpp and wire.hpp: text = 5/4 of the frame;
  // attributes layer/source/target (20 B here) + chunk/chunks; capacity = 262144 − 20 − 11 −
  // 2·digits(text). Layer 1:
  //   0→1: 300,000 B → text 375,000, capacity 262,101 → messages 262,134 and 112,932 B; 0→2: marker 34 B.
  //        calls {262,134} (4 chunks), {112,932 + 34} (2 chunks).
  //   1→0, 1→2: 70,000 B → text 87,500 → 87,533 B each; one call of 175,066 B (3 chunks).
  //   2→0, 2→1: markers; one call (1 chunk).
  // Gather (layer 2): 1→0 marker 34 B, 2→0 text 5000 → 5033 B; one call each.
  CHECK(s.queue.sns_messages == 7 + 2);
  CHECK(s.queue.sns_publish_calls == 4 + 2);
  CHECK(s.queue.sns_billed_publishes == 6 + 3 + 1 + 2);
  CHECK(s.queue.sns_publish_bytes == 262134 + 112932 + 34 + 2 * 87533 + 2 * 34 + 34 + 5033);
  // One DeleteMessageBatch per target and layer (≤ 10 handles each): 3 + 1 (gather at worker 0).
  CHECK(s.queue.sqs_deletes == 4);
  // Control-plane requests are per run, not per query: left out (as a run record's usage does).
  CHECK(s.queue.sns_other_requests == 0);
  CHECK(s.queue.sqs_other_requests == 0);
  // Object: one PUT per ordered pair, markers included, and per gather block; GETs of the
  // non-empty ones; one DeleteObjects per target and layer; one CreateBucket.
  CHECK(s.object.s3_puts == 6 + 2);
  CHECK(s.object.s3_gets == 3 + 1);
  CHECK(s.object.s3_deletes == 3 + 1);
  CHECK(s.object.s3_put_bytes == 440000 + 4000);
  CHECK(s.object.s3_other_requests == 0);
}

TEST_CASE("predict: equal pair sizes give the same counts pair by pair and in the uniform model") {
  cost::CommProfile p;
  p.neurons = 64;
  p.parts = 4;
  p.batch_size = 40;  // gather: 10 images · 8 bytes per worker
  cost::LayerProfile l;
  l.repeat = 5;
  l.rows_sent = 120;
  l.nonempty_pairs = 12;
  l.max_rows_sent = 30;
  l.max_rows_received = 30;
  l.input_density = 0.1;
  l.weight_nnz = 2048;
  l.payload_bytes = 12 * 100000;
  cost::CommProfile exact = p;
  l.pair_bytes.assign(16, 100000);
  for (int i = 0; i < 4; ++i) l.pair_bytes[i * 4 + i] = 0;
  exact.layers.push_back(l);
  l.pair_bytes.clear();
  p.layers.push_back(l);
  const auto d = deployment_for(p, 4, 1);
  const cost::CommSummary a = cost::summarize(exact, d, no_overhead());
  const cost::CommSummary b = cost::summarize(p, d, no_overhead());
  // Per sender and layer: 3 blocks of 100,000 B → 3 messages of 125,033 B (base-85 + attributes) →
  // calls {2 messages: 4 chunks} and {1: 2 chunks}. Four senders, five layers, plus 3 gather messages.
  CHECK(a.queue.sns_messages == 5 * 12 + 3);
  CHECK(a.queue.sns_publish_calls == 5 * 8 + 3);
  CHECK(a.queue.sns_billed_publishes == 5 * 24 + 3);
  CHECK(b.queue.sns_messages == a.queue.sns_messages);
  CHECK(b.queue.sns_publish_calls == a.queue.sns_publish_calls);
  CHECK(b.queue.sns_billed_publishes == a.queue.sns_billed_publishes);
  // Bytes differ only by the attribute estimate of the uniform model (40 B per message).
  CHECK(double(b.queue.sns_publish_bytes) == doctest::Approx(double(a.queue.sns_publish_bytes)).epsilon(1e-3));
  CHECK(b.object.s3_puts == 5 * 12 + 3);
}

TEST_CASE("predict: one message per pair and layer when every block fits (P(P-1)L + gather)") {
  cost::AnalyticModel m;
  m.neurons = 1024;
  m.layers = 120;
  m.batch_size = 10000;
  m.parts = 8;
  m.input_density = 0.001;  // small blocks: every pair's rows fit one message
  m.output_density = 0.001;
  const cost::CommProfile p = cost::analytic_profile(m);
  const cost::CommSummary s = cost::summarize(p, deployment_for(p, 8, 1));
  CHECK(s.queue.sns_messages == 8 * 7 * 120 + 7);
  CHECK(s.object.s3_puts == 8 * 7 * 120 + 7);
  // Seven messages of one sender fit in one PublishBatch call (≤ 10, ≤ 256 KiB).
  CHECK(s.queue.sns_publish_calls == 8 * 120 + 7);
}

TEST_CASE("predict: serial compute time is ops / (rate · vCPUs) and servers pay what the book says") {
  cost::CommProfile p;
  p.neurons = 100;
  p.parts = 1;
  p.batch_size = 10;
  cost::LayerProfile l;
  l.input_density = 0.5;
  l.weight_nnz = 1000;  // ops = 0.5 · 10 · 1000 = 5000 multiply-adds
  p.layers.push_back(l);
  cost::Deployment d = deployment_for(p, 1, 1);
  d.memory_mb = 1769;  // exactly one vCPU
  cost::Performance perf;
  perf.ops_per_s_per_vcpu = 1e6;
  cost::Workload w;
  w.queries_per_day = 100;
  const cost::Prices prices = aws();
  const cost::Prediction serial = cost::predict(cost::Variant::kSerial, d, p, w, prices, perf);
  CHECK(serial.compute_s == doctest::Approx(5000 / 1e6));
  CHECK(serial.feasible);
  CHECK(serial.usage.invocations == 1);
  d.memory_mb = 3538;  // two vCPUs: half the time
  CHECK(cost::predict(cost::Variant::kSerial, d, p, w, prices, perf).compute_s == doctest::Approx(2500 / 1e6));

  // Always-on c5.2xlarge: one instance suffices; $0.34/h all day, shared by 100 queries.
  const cost::Prediction on = cost::predict(cost::Variant::kServerAlwaysOn, d, p, w, prices, perf);
  CHECK(on.usd_per_day == doctest::Approx(24 * 0.34));
  CHECK(on.usd_per_query == doctest::Approx(24 * 0.34 / 100));
  // Job-scoped: boot + compute < 60 s, so each query bills the 60 s minimum.
  const cost::Prediction job = cost::predict(cost::Variant::kServerJobScoped, d, p, w, prices, perf);
  CHECK(job.usage.ec2_seconds == doctest::Approx(60));
  CHECK(job.usd_per_query == doctest::Approx(60 * 0.34 / 3600));
  CHECK(job.latency_s == doctest::Approx(perf.server_boot_s + job.comm_s + job.compute_s));
  // A busy always-on server needs more instances: 100 queries × 2000 s = 2.3 days of work → 3.
  perf.ops_per_s_per_vcpu = 5000.0 / 2000 / (8 * perf.server_parallel_efficiency);  // 2000 s per query
  CHECK(cost::predict(cost::Variant::kServerAlwaysOn, d, p, w, prices, perf).usd_per_day ==
        doctest::Approx(3 * 24 * 0.34));
}

TEST_CASE("predict: Lambda limits make variants infeasible") {
  cost::AnalyticModel m;
  m.neurons = 65536;
  m.layers = 1920;
  m.batch_size = 10000;
  m.parts = 84;
  const cost::CommProfile p84 = cost::analytic_profile(m);
  cost::Deployment d = deployment_for(p84, 4, 3);
  d.memory_mb = 10240;
  const auto prices = aws();
  // 4.0 G weights · 8 B = 32 GB: no single function holds them.
  const cost::Prediction serial = cost::predict(cost::Variant::kSerial, d, p84, {}, prices);
  CHECK_FALSE(serial.feasible);
  CHECK(serial.infeasible_reason.find("MB of memory") != std::string::npos);
  // A tiny function: 128 MB cannot hold 1/84 of 32 GB.
  d.memory_mb = 128;
  const cost::Prediction q = cost::predict(cost::Variant::kQueue, d, p84, {}, prices);
  CHECK_FALSE(q.feasible);
}

TEST_CASE("predict: more memory never makes a distributed query slower, more workers send more") {
  const auto prices = aws();
  double last_latency = 1e300;
  cost::AnalyticModel m;
  m.batch_size = 10000;
  const cost::CommProfile p = cost::analytic_profile(m);
  for (int mb : {512, 1000, 1769, 3008, 10240}) {
    cost::Deployment d = deployment_for(p, 8, 1);
    d.memory_mb = mb;
    const double lat = cost::predict(cost::Variant::kQueue, d, p, {}, prices).latency_s;
    CHECK(lat <= last_latency);
    last_latency = lat;
  }
  m.parts = 20;
  const cost::CommProfile p20 = cost::analytic_profile(m);
  CHECK(cost::summarize(p20, deployment_for(p20, 4, 2)).object.s3_puts >
        cost::summarize(p, deployment_for(p, 8, 1)).object.s3_puts);
}

TEST_CASE("predict: the profile must match the deployment") {
  const cost::CommProfile p = three_workers();
  cost::Deployment d = deployment_for(p, 3, 1);
  d.workers = 4;
  CHECK_THROWS_AS(cost::summarize(p, d), std::invalid_argument);
  d = deployment_for(p, 3, 1);
  d.layers = 2;
  CHECK_THROWS_AS(cost::summarize(p, d), std::invalid_argument);
}

TEST_CASE("recommend: cheapest feasible per day within the latency objective, with a reason") {
  std::vector<cost::Prediction> ps(3);
  ps[0].variant = cost::Variant::kQueue;
  ps[0].usd_per_day = 2.0;
  ps[0].latency_s = 10;
  ps[1].variant = cost::Variant::kObject;
  ps[1].usd_per_day = 6.0;
  ps[1].latency_s = 5;
  ps[1].usage.s3_puts = 100;
  ps[2].variant = cost::Variant::kSerial;
  ps[2].usd_per_day = 1.0;
  ps[2].feasible = false;
  ps[2].infeasible_reason = "too big";
  cost::Workload w;
  cost::Recommendation r = cost::recommend(ps, w);
  CHECK(r.found);
  CHECK(r.variant == cost::Variant::kQueue);
  CHECK(r.reason.rfind("queue: $2/day, 3x cheaper than object ($6/day); S3 requests grow with P^2", 0) == 0);
  w.max_latency_s = 8;
  r = cost::recommend(ps, w);
  CHECK(r.variant == cost::Variant::kObject);
  w.max_latency_s = 1;
  r = cost::recommend(ps, w);
  CHECK_FALSE(r.found);
  CHECK(r.reason.find("serial: too big") != std::string::npos);
}

TEST_CASE("predict: variant names round-trip") {
  for (cost::Variant v : cost::kAllVariants) CHECK(cost::parse_variant(cost::to_string(v)) == v);
  CHECK_THROWS_AS(cost::parse_variant("lambda"), std::invalid_argument);
}

TEST_CASE("predict: object PUT rounds follow parallel_puts (0: as many as parallel_gets)") {
  // P = 20: 19 objects per worker and layer; 8 at a time → 3 PUT rounds, 4 at a time → 5 rounds.
  // Every layer's posting takes 2 PUT latencies longer, and nothing else changes.
  const auto prices = aws();
  cost::AnalyticModel m;
  m.parts = 20;
  m.layers = 12;
  const cost::CommProfile p = cost::analytic_profile(m);
  cost::Deployment d = deployment_for(p, 4, 2);
  d.parallel_gets = 8;
  const cost::Performance perf;
  const cost::Prediction as_gets = cost::predict(cost::Variant::kObject, d, p, {}, prices, perf);
  d.parallel_puts = 8;
  CHECK(cost::predict(cost::Variant::kObject, d, p, {}, prices, perf).latency_s == doctest::Approx(as_gets.latency_s));
  d.parallel_puts = 4;
  const cost::Prediction four = cost::predict(cost::Variant::kObject, d, p, {}, prices, perf);
  CHECK(four.latency_s - as_gets.latency_s == doctest::Approx(12 * 2 * perf.s3_put_latency_s));
  d.parallel_puts = -1;
  CHECK_THROWS_AS(cost::predict(cost::Variant::kObject, d, p, {}, prices, perf), std::invalid_argument);
}
