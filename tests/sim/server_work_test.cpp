// What a server query computes (sim/servers/query_work.hpp), where the spec's numbers come from
// (server_spec.hpp), and the run record it becomes (server_record.hpp, through the JSON reader and
// cli::usage_of). Flops and nonzeros of a 3-neuron network are counted by hand below.
#include <doctest/doctest.h>

#include <vector>

#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "costmodel/cost.hpp"
#include "engine/common/input_error.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/kernel.hpp"
#include "sim/servers/query_work.hpp"
#include "sim/servers/server_record.hpp"
#include "sim/servers/server_spec.hpp"

namespace {

engine::SparseMatrix matrix(int rows, int cols, const std::vector<Eigen::Triplet<float, std::int32_t>>& t) {
  engine::SparseMatrix m(rows, cols);
  m.setFromTriplets(t.begin(), t.end());
  m.makeCompressed();
  return m;
}

// N = 3, L = 2.  W1: (0,0) (0,1) (1,2) (2,2), bias 0.  W2: (0,0) (2,1) (2,2), bias −2.
// Images: image 0 = {0: 1}; image 1 = {1: 2, 2: 3}.
// Layer 1: image 0's neuron 0 meets 2 weights, image 1's neurons 1 and 2 one each: 4 multiply-adds.
//   Y1: image 0 = {0: 1, 1: 1}; image 1 = {2: 2 + 3 = 5}.
// Layer 2: image 0's neuron 0 meets 1 weight, neuron 1 none; image 1's neuron 2 meets 2: 3.
//   Z: image 0 = {0: 1 − 2 < 0: dropped}; image 1 = {1: 3, 2: 3}. Categories: {1}.
engine::Network tiny() {
  engine::Network net;
  net.neurons = 3;
  net.layers.push_back({matrix(3, 3, {{0, 0, 1}, {0, 1, 1}, {1, 2, 1}, {2, 2, 1}}), 0.0f});
  net.layers.push_back({matrix(3, 3, {{0, 0, 1}, {2, 1, 1}, {2, 2, 1}}), -2.0f});
  return net;
}

}  // namespace

TEST_CASE("servers: an exact query's work is the real kernel's, counted by hand") {
  const engine::Network net = tiny();
  const engine::Activations images = matrix(2, 3, {{0, 0, 1}, {1, 1, 2}, {1, 2, 3}});
  const engine::Partition whole = sim::single_part(net);
  CHECK(whole.parts == 1);
  const engine::CommPlan plan = engine::make_comm_plan(net, whole);
  engine::SparseKernel kernel(net, whole, plan, images, 0);
  const sim::QueryWork w = sim::query_work(kernel, 2, 2);
  CHECK(w.images == 2);
  CHECK(w.layer_flops == std::vector<double>{8, 6});  // 2 flops per multiply-add
  CHECK(w.total_flops() == 14);
  CHECK(w.input_nnz == std::vector<std::int64_t>{3, 3, 2});
  CHECK(w.categories == std::vector<std::int32_t>{1});
}

TEST_CASE("servers: a profile query's work is 2·nnz(W_k)·B·density per layer") {
  sim::DensityProfile profile{{0.5, 0.25, 0.1}};
  const sim::QueryWork w = sim::profile_query_work({100, 200}, profile, 10, 8);
  // 2·100·10·0.5 = 1000; 2·200·10·0.25 = 1000. nnz: 8·round(5) = 40, 8·round(2.5) = 24, 8·round(1) = 8.
  CHECK(w.layer_flops == std::vector<double>{1000, 1000});
  CHECK(w.input_nnz == std::vector<std::int64_t>{40, 24, 8});
  CHECK(w.categories.empty());
}

TEST_CASE(
    "servers: the spec takes the instance from the price book, speed from the calibration, the rest from the cost "
    "model") {
  const cost::InstancePrice c5{"c5.2xlarge", 0.34, 8, 16};
  sim::Calibration cal;
  cal.fsd.flops_per_s_per_vcpu = 1.5e9;
  cal.python.flops_per_s_per_vcpu = 8e7;
  cal.s3_get.latency_s = 0.007;
  cal.s3_get.service_time_s = 0.03;
  cost::Performance perf;
  perf.server_parallel_efficiency = 0.7;
  perf.server_boot_s = 40;
  perf.server_min_billed_s = 60;
  perf.server_bandwidth_bytes_per_s = 1e9;
  perf.bytes_per_weight = 8;
  const sim::ServerSpec s =
      sim::make_server_spec(sim::ServerKind::kJobScoped, c5, cal, sim::WorkerKind::kFsd, perf, 3600, 1e6, 50);
  CHECK(s.instance_type == "c5.2xlarge");
  CHECK(s.vcpus == 8);
  CHECK(s.flops_per_s_per_vcpu == 1.5e9);
  CHECK(s.parallel_efficiency == 0.7);
  CHECK(s.boot_s == 40);
  CHECK(s.min_billed_s == 60);
  CHECK(s.weight_bytes == 8e6);
  CHECK(s.load_bytes_per_s == 1e9);
  CHECK(s.s3_latency_s == 0.007);
  CHECK(s.s3_first_byte_s == 0.03);
  CHECK(s.max_instances == 50);
  CHECK(s.window_s == 3600);
  // 8.4e9 flops / (8 · 1.5e9 · 0.7) = 1 s.
  CHECK(s.compute_s(8.4e9) == doctest::Approx(1.0));
  const sim::ServerSpec py =
      sim::make_server_spec(sim::ServerKind::kAlwaysOn, c5, cal, sim::WorkerKind::kPython, perf, 3600, 1e6, 50);
  CHECK(py.flops_per_s_per_vcpu == 8e7);
  CHECK_THROWS_AS(
      sim::make_server_spec(sim::ServerKind::kAlwaysOn, {"x", 1, 0, 1}, cal, sim::WorkerKind::kFsd, perf, 3600, 1, 1),
      std::invalid_argument);
}

TEST_CASE("servers: always-on instances keep up with the offered load (the cost model's rule)") {
  CHECK(sim::always_on_instances(0, 5, 86400) == 1);
  CHECK(sim::always_on_instances(2000, 1, 86400) == 1);   // 2000 s of work a day
  CHECK(sim::always_on_instances(2000, 50, 86400) == 2);  // 100,000 s of work: ⌈1.157⌉
  CHECK(sim::always_on_instances(100, 10, 1000) == 1);    // exactly busy: ⌈1⌉
}

TEST_CASE("servers: the run record holds the window's bill and per-query latency and reads back") {
  sim::ServerSpec spec;
  spec.kind = sim::ServerKind::kAlwaysOn;
  spec.instance_type = "c5.2xlarge";
  spec.vcpus = 2;
  spec.flops_per_s_per_vcpu = 1e9;
  spec.parallel_efficiency = 1;
  spec.window_s = 7200;
  sim::QueryWork work;
  work.images = 2;
  work.layer_flops = {4e9, 2e9};  // 2 s and 1 s at 2e9 flops/s
  work.input_nnz = {3, 3, 2};
  work.categories = {1};
  sim::ServerRun run;
  run.queries = {{0, 0, 3, 0}, {1, 3, 6, 0}};
  run.instance_seconds = 7200;
  run.instances = 1;
  run.latency_mean_s = 4;
  run.latency_p95_s = 5;
  run.queue_delay_mean_s = 1;
  run.queue_delay_max_s = 2;
  run.service_mean_s = 3;
  const engine::RunRecord r = sim::make_server_record(spec, work, run, 3, "t");
  CHECK(r.backend == "sim");
  CHECK(r.channel == "server_always_on");
  CHECK(r.workers == 1);
  CHECK(r.layers == 2);
  CHECK(r.wall_s == 4);
  REQUIRE(r.layer_records.size() == 3);
  CHECK(r.layer_records[0].end_s == doctest::Approx(2.0));
  CHECK(r.layer_records[1].start_s == doctest::Approx(2.0));
  CHECK(r.layer_records[1].end_s == doctest::Approx(3.0));
  CHECK(r.layer_records[2].input_nnz == 2);
  REQUIRE(r.worker_records.size() == 1);
  CHECK(r.worker_records[0].flops == 6e9);
  CHECK(r.usage.ec2_instance_seconds == 7200);
  CHECK(r.servers.queries == 2);
  CHECK(r.servers.latency_p95_s == 5);

  // Through the JSON writer and the strict reader, unchanged.
  const cli::RecordFile file{"c.yaml", "model: {}\n", r};
  const cli::RecordFile back = cli::record_from_json(cli::record_to_json(file), "r.json");
  CHECK(back == file);
  // The bill: 7200 instance-seconds of c5.2xlarge at $0.34/h = $0.68, and no function.
  const cost::Usage u = cli::usage_of(back.run);
  CHECK(u.ec2_seconds == 7200);
  CHECK(u.ec2_instance_type == "c5.2xlarge");
  CHECK(u.invocations == 0);
  CHECK(u.function_seconds == 0);
  cost::Prices prices;
  prices.name = "test";
  prices.ec2 = {{"c5.2xlarge", 0.34, 8, 16}};
  CHECK(cost::cost_of(u, prices).total_usd() == doctest::Approx(0.68));

  // A function record carries no servers block and reads back as before.
  engine::RunRecord f = r;
  f.servers = {};
  f.usage.ec2_instance_seconds = 0;
  const auto j = cli::record_to_json({"c.yaml", "", f});
  CHECK_FALSE(j["run"].contains("servers"));
  CHECK_FALSE(j["run"]["usage"].contains("ec2_instance_seconds"));
}

TEST_CASE("servers: a record with a negative or mistyped servers entry is rejected") {
  engine::RunRecord r;
  r.run_id = "t";
  r.backend = "sim";
  r.channel = "server_job_scoped";
  r.workers = 1;
  r.layers = 0;
  r.layer_records = {{1, 0, 0, 0, 0, 0, {0}}};
  r.worker_records = {{0, 0, 1, 0}};
  r.servers = {"c5.xlarge", 1, 60, 1, 50, 50, 0, 0};
  auto j = cli::record_to_json({"c.yaml", "", r});
  j["run"]["servers"]["latency_p95_s"] = -1;
  CHECK_THROWS_WITH_AS(cli::record_from_json(j, "r.json"), doctest::Contains("run.servers.latency_p95_s"),
                       engine::InputError);
  j["run"]["servers"]["latency_p95_s"] = 1;
  j["run"]["servers"]["bogus"] = 1;
  CHECK_THROWS_WITH_AS(cli::record_from_json(j, "r.json"), doctest::Contains("run.servers.bogus: unknown key"),
                       engine::InputError);
}
