// The distributed engine end to end on the memory backend: for P ∈ {1, 2, 8, 20}, both channels,
// with and without injected faults, Y_L and the categories must equal the serial engine's
// (engine::infer, an independent implementation) — and on the shared n1024 data, the official
// categories too.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>

#include "distributed_fixture.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/matrix_market.hpp"

namespace {

void check_against_serial(const engine::Network& net, const engine::Activations& images, int workers,
                          engine::ChannelKind channel, bool faults) {
  CAPTURE(workers);
  CAPTURE(engine::to_string(channel));
  CAPTURE(faults);
  const engine::Activations serial = engine::infer(net, images);
  REQUIRE(serial.nonZeros() > 0);  // activations survive: the comparison means something
  auto run = fixture::run_memory(net, images, workers, channel, faults);
  fixture::check_equal(run.deployment.result, serial);
  CHECK(engine::categories(run.deployment.result) == engine::categories(serial));
  if (faults && workers > 1) {
    // The faults really happened and were absorbed.
    const auto& u = run.usage;
    CHECK(u.sns_errors + u.sqs_errors + u.s3_errors > 0);
  }
}

const engine::Network& n1024_6() {
  static const engine::Network net = engine::read_network(fixture::n1024_dir(), 1024, 6);
  return net;
}

}  // namespace

TEST_CASE("worker: n1024, 6 layers, queue channel, P = 1, 2, 8, 20") {
  const auto images = fixture::n1024_images(120);
  for (int p : {1, 2, 8, 20}) check_against_serial(n1024_6(), images, p, engine::ChannelKind::kQueue, false);
}

TEST_CASE("worker: n1024, 6 layers, object channel, P = 1, 2, 8, 20") {
  const auto images = fixture::n1024_images(120);
  for (int p : {1, 2, 8, 20}) check_against_serial(n1024_6(), images, p, engine::ChannelKind::kObject, false);
}

TEST_CASE("worker: n1024, 6 layers, queue channel with faults, P = 2, 8, 20") {
  const auto images = fixture::n1024_images(120);
  for (int p : {2, 8, 20}) check_against_serial(n1024_6(), images, p, engine::ChannelKind::kQueue, true);
}

TEST_CASE("worker: n1024, 6 layers, object channel with faults, P = 2, 8, 20") {
  const auto images = fixture::n1024_images(120);
  for (int p : {2, 8, 20}) check_against_serial(n1024_6(), images, p, engine::ChannelKind::kObject, true);
}

TEST_CASE("worker: direct channel, P = 8") {
  check_against_serial(n1024_6(), fixture::n1024_images(60), 8, engine::ChannelKind::kDirect, false);
}

TEST_CASE("worker: generated 4096 neurons, 3 layers, both channels, P = 2, 8, 20, faults on and off") {
  const engine::Network net = engine::generate_network(4096, 3, 7);
  const auto images = fixture::random_images(4096, 24, 1500, 11);
  for (auto ch : {engine::ChannelKind::kQueue, engine::ChannelKind::kObject})
    for (int p : {2, 8, 20})
      for (bool faults : {false, true}) check_against_serial(net, images, p, ch, faults);
}

TEST_CASE("worker: all 30 shared n1024 layers, 1200 images, P = 20 over queues: the official categories") {
  const engine::Network net = engine::read_network(fixture::n1024_dir(), 1024, 30);
  const auto images = fixture::n1024_images(1200);
  auto run =
      fixture::run_memory(net, images, 20, engine::ChannelKind::kQueue, false, 3, engine::PartitionMethod::kContiguous);
  // Truth: the challenge's category file (1-based image ids), independent of every engine.
  const engine::SparseMatrix truth =
      engine::read_matrix_market(fixture::n1024_dir() + "/neuron1024-l120-categories_subset.mtx");
  std::vector<std::int32_t> want;
  for (int r = 0; r < truth.outerSize(); ++r)
    for (engine::SparseMatrix::InnerIterator it(truth, r); it; ++it) want.push_back(static_cast<std::int32_t>(r));
  std::vector<std::int32_t> got = engine::categories(run.deployment.result);
  CHECK(got.size() == 19);
  CHECK(got == want);
  fixture::check_equal(run.deployment.result, engine::infer(net, images));
}

// --- Errors last ---
TEST_CASE("worker: a deployment whose workers never start ends in kDeadline, and bad payloads are refused") {
  const engine::Network net = engine::generate_network(64, 1, 1);
  const auto images = fixture::random_images(64, 4, 20, 5);
  engine::PartitionOptions po;
  po.method = engine::PartitionMethod::kContiguous;
  po.parts = 2;
  const engine::Partition partition = engine::partition_network(net, po);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);
  engine::cloud::memory::MemoryCloud cloud;
  engine::DeploymentSpec spec;
  spec.network = &net;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts = {2};
  spec.run_timeout_s = 0.05;
  engine::Deployment dep(spec, cloud.services());
  // The registered function ignores its invocations: nobody ever reports.
  cloud.functions().register_handler(
      spec.function_name, [](const std::string&) -> engine::Result<std::string> { return std::string("{}"); });
  auto r = dep.run();
  REQUIRE(!r);
  CHECK(r.error().code == engine::ErrorCode::kDeadline);
  CHECK(r.error().what.find("0 of 2 workers") != std::string::npos);
  CHECK(dep.handle("{}").error().code == engine::ErrorCode::kInvalidInput);
  engine::LaunchEvent other{"other", engine::Invocation{-1, 0, 1, 1}};
  other.channel.kind = engine::ChannelKind::kQueue;
  other.channel.topic_ids = {"t"};
  other.channel.queues = {{"u0", "a0"}, {"u1", "a1"}};
  CHECK(dep.handle(engine::to_json(other)).error().code == engine::ErrorCode::kInvalidInput);
  engine::LaunchEvent outside = other;  // this run, but no such invocation in its tree
  outside.run_id = "run";
  outside.invocation.index = 5;
  CHECK(dep.handle(engine::to_json(outside)).error().code == engine::ErrorCode::kInvalidInput);
  // A host whose rebuilt inputs differ from the coordinator's refuses to compute (and reports it).
  const std::string digest = dep.inputs_digest();
  CHECK(digest.size() == 16);
  CHECK(engine::Deployment(spec, cloud.services()).inputs_digest() == digest);  // deterministic
  engine::Partition moved = partition;
  std::swap(moved.owner[1][0], moved.owner[1][63]);  // rows 0 and 63 are on different workers
  REQUIRE(moved.owner[1][0] != partition.owner[1][0]);
  auto other_spec = spec;
  other_spec.partition = &moved;
  const engine::CommPlan moved_plan = engine::make_comm_plan(net, moved);
  other_spec.plan = &moved_plan;
  CHECK(engine::Deployment(other_spec, cloud.services()).inputs_digest() != digest);
  engine::LaunchEvent mismatch = outside;
  mismatch.invocation.index = 0;
  mismatch.inputs_digest = "0123456789abcdef";
  auto refused = dep.handle(engine::to_json(mismatch));
  REQUIRE(!refused);
  CHECK(refused.error().what.find("rebuilt different inputs") != std::string::npos);
  // A valid invocation whose channel does not fit the run: reported as that worker's failure.
  engine::LaunchEvent wrong = outside;
  wrong.invocation.index = 0;
  wrong.channel.queues.pop_back();
  auto failed = dep.handle(engine::to_json(wrong));
  REQUIRE(!failed);
  CHECK(failed.error().what.find("names 1 queues for 2 workers") != std::string::npos);
  // A worker that ended without a report (check_workers says so) fails the run at once, with the
  // reason, not at run_timeout_s.
  auto quick = spec;
  quick.run_timeout_s = 3600;
  int checks = 0;
  quick.check_workers = [&]() -> engine::Result<void> {
    if (++checks < 3) return engine::Ok{};
    return engine::Error{engine::ErrorCode::kInternal, "test", "worker process 42 exited with status 2"};
  };
  engine::Deployment quick_dep(quick, cloud.services());
  auto ended = quick_dep.run();
  REQUIRE(!ended);
  CHECK(ended.error().code == engine::ErrorCode::kInternal);
  CHECK(ended.error().what.find("a worker ended without reporting") != std::string::npos);
  CHECK(ended.error().what.find("exited with status 2") != std::string::npos);
  CHECK(checks == 3);
  CHECK_THROWS_AS(engine::Deployment(
                      [&] {
                        auto s = spec;
                        s.launch_fanouts = {3};
                        return s;
                      }(),
                      cloud.services()),
                  std::invalid_argument);
}

// --- Reports through the cloud (the path of workers in other processes or Lambdas) ---

namespace {
engine::WorkerOutcome sample_outcome(int workers, int layers, int neurons, int images) {
  engine::WorkerOutcome o;
  o.worker = 0;
  o.function_start_s = 0.125;
  o.function_end_s = 2.0 / 3.0;
  engine::WorkerReport r;
  r.worker = 0;
  r.start_s = 0.2;
  r.end_s = 1.0 / 7.0;
  r.flops = 12345.5;
  for (int k = 1; k <= layers + 1; ++k) {
    engine::WorkerLayerTiming t;
    t.layer = k;
    t.start_s = k * 0.1;
    t.posted_s = k * 0.1 + 1e-9;
    t.local_s = k * 0.3;
    t.received_s = k * 0.7;
    t.end_s = k * 1.1;
    t.input_nnz = 1000 + k;
    t.frame_bytes.assign(static_cast<std::size_t>(workers), k);
    r.layers.push_back(t);
  }
  r.channel.blocks_posted = 7;
  r.channel.wire_bytes_posted = 1LL << 40;
  r.channel.retries = 2;
  // Values that only survive a shortest-exact float print: 1/3, 0.1, a denormal-adjacent small one.
  std::vector<Eigen::Triplet<float, std::int32_t>> t{{0, 1, 1.0f / 3.0f}, {0, 4, 32.0f}, {2, 0, 0.1f}, {2, 3, 1e-30f}};
  engine::Activations y(images, neurons);
  y.setFromTriplets(t.begin(), t.end());
  y.makeCompressed();
  r.result = y;
  o.report = r;
  o.usage.sns_publish_requests = 3;
  o.usage.s3_put_bytes = 99;
  o.usage.lambda_gb_s = 0.5;
  o.requests["sqs:ReceiveMessage"] = {10, 1, 1};
  return o;
}
}  // namespace

TEST_CASE("worker report: JSON round trip is exact, floats and CSR included") {
  const engine::ReportShape shape{4, 2, 5, 3};
  const engine::WorkerOutcome o = sample_outcome(4, 2, 5, 3);
  auto back = engine::parse_worker_outcome(engine::to_json(o), shape);
  REQUIRE_MESSAGE(back, (back ? "" : back.error().message()));
  CHECK(back->worker == 0);
  CHECK(back->function_start_s == o.function_start_s);
  CHECK(back->function_end_s == o.function_end_s);
  REQUIRE(back->report);
  CHECK(back->report->start_s == o.report->start_s);
  CHECK(back->report->end_s == o.report->end_s);
  CHECK(back->report->flops == o.report->flops);
  CHECK(back->report->layers == o.report->layers);
  CHECK(back->report->channel == o.report->channel);
  REQUIRE(back->report->result);
  const engine::Activations& y = *back->report->result;
  CHECK(y.rows() == 3);
  CHECK(y.cols() == 5);
  CHECK(y.nonZeros() == 4);
  CHECK(y.coeff(0, 1) == 1.0f / 3.0f);
  CHECK(y.coeff(2, 0) == 0.1f);
  CHECK(y.coeff(2, 3) == 1e-30f);
  CHECK(back->usage == o.usage);
  CHECK(back->requests == o.requests);

  engine::WorkerOutcome failed;
  failed.worker = 3;
  failed.error = "worker 3: kDeadline";
  back = engine::parse_worker_outcome(engine::to_json(failed), shape);
  REQUIRE(back);
  CHECK(!back->report);
  CHECK(back->error == failed.error);
}

TEST_CASE("worker: reports through object storage give the serial result and are removed") {
  const engine::Network net = engine::generate_network(64, 3, 2);
  const auto images = fixture::random_images(64, 6, 12, 9);
  engine::PartitionOptions po;
  po.method = engine::PartitionMethod::kRandom;
  po.parts = 4;
  po.seed = 4;
  std::printf("partition seed %llu\n", static_cast<unsigned long long>(po.seed));
  const engine::Partition partition = engine::partition_network(net, po);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);
  engine::cloud::memory::MemoryCloud cloud;
  engine::DeploymentSpec spec;
  spec.network = &net;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts = {2, 1};  // 2 roots, each with one child: children are invoked by workers
  spec.channel = engine::ChannelKind::kObject;
  spec.object.poll_interval_s = 0.001;
  spec.reports_bucket = "reports";
  spec.run_id = "cloud-reports";
  spec.before_report = [](engine::WorkerOutcome& o) { o.requests["test:Hook"] = {1, 0, 0}; };
  engine::cloud::memory::MemoryCloud control;  // the reports' own store (control plane)
  spec.report_store = control.services().objects;
  engine::Deployment dep(spec, cloud.services());
  cloud.functions().register_handler(spec.function_name, [&](const std::string& p) { return dep.handle(p); });
  auto r = dep.run();
  cloud.functions().join_all();
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message()));
  fixture::check_equal(r->result, engine::infer(net, images));
  for (const auto& w : r->workers) {
    CAPTURE(w.worker);
    // Every report went through S3 with what the host's hook added.
    CHECK(w.requests.at("test:Hook").sent == 1);
  }
  auto left = control.services().objects->list("reports", "runs/cloud-reports/reports/");
  REQUIRE(left);
  CHECK(left->keys.empty());
  // Nothing of the reports touched the channel's store.
  CHECK(!cloud.services().objects->list("reports", "runs/"));
}

// --- Errors last ---
TEST_CASE("worker report: malformed reports are rejected with the field named") {
  const engine::ReportShape shape{4, 2, 5, 3};
  const nlohmann::json good = nlohmann::json::parse(engine::to_json(sample_outcome(4, 2, 5, 3)));
  auto with = [&](const std::string& pointer, const nlohmann::json& v) {
    nlohmann::json j = good;
    j[nlohmann::json::json_pointer(pointer)] = v;
    return j.dump();
  };
  auto erase = [&](const std::string& parent, const std::string& key) {
    nlohmann::json j = good;
    auto& at = j[nlohmann::json::json_pointer(parent)];
    if (at.is_array())
      at.erase(std::stoul(key));
    else
      at.erase(key);
    return j.dump();
  };
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "not valid JSON"},
      {"{\"worker\":0,\"worker\":1}", "repeated key 'worker'"},
      {with("/worker", 4), "report.worker: 4 is outside [0, 3]"},
      {with("/worker", 1), "only worker 0 gathers"},
      {with("/report/result", nullptr), "worker 0 must carry"},
      {with("/report", nullptr), "neither a report nor an error"},
      {erase("/report/layers", "2"), "report.layers: expected 3"},
      {with("/report/layers/1/layer", 7), "report.layers[1].layer"},
      {with("/report/layers/0/frame_bytes", nlohmann::json::array({1, 2})), "frame_bytes: expected 4"},
      {with("/report/layers/0/frame_bytes/0", -1), "frame_bytes[]"},
      {with("/report/result/rows", 4), "report.result.rows"},
      {with("/report/result/col/0", 5), "report.result.col[]"},
      {with("/report/result/col/1", 1), "report.result.col[]"},  // not ascending within row 0
      {with("/report/result/row_ptr/1", 5), "row_ptr[]"},
      {with("/report/result/val/0", "NaN"), "report.result.val[]: expected a number"},
      {with("/report/result/val/0", 1e300), "report.result.val[]: out of range"},
      {with("/report/channel/extra", 1), "unknown key 'extra'"},
      {erase("/report/channel", "retries"), "missing key 'retries'"},
      {with("/usage/s3_put_requests", -1), "report.usage.s3_put_requests"},
      {with("/requests/sqs:ReceiveMessage", 3), "report.requests.sqs:ReceiveMessage: expected an object"},
      {with("/function_end_s", "late"), "report.function_end_s"},
  };
  for (const auto& [bad, why] : cases) {
    CAPTURE(bad.substr(0, 300));
    auto r = engine::parse_worker_outcome(bad, shape);
    REQUIRE(!r);
    CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
    CHECK_MESSAGE(r.error().what.find(why) != std::string::npos, r.error().what);
  }

  // The coordinator's side: a bad object under the reports prefix fails the collection, named.
  engine::cloud::memory::MemoryCloud cloud;
  engine::ObjectStoreReports reports(cloud.services(), {"bucket-r", "runs/r/reports"}, shape);
  REQUIRE(cloud.services().objects->create_bucket("bucket-r"));
  REQUIRE(reports.send(sample_outcome(4, 2, 5, 3)));
  auto first = reports.collect();
  REQUIRE(first);
  CHECK(first->size() == 1);
  REQUIRE(cloud.services().objects->put("bucket-r", "runs/r/reports/2.json", "{\"worker\":2"));
  auto bad = reports.collect();
  REQUIRE(!bad);
  CHECK(bad.error().code == engine::ErrorCode::kInvalidInput);
  CHECK(bad.error().what.find("runs/r/reports/2.json: not valid JSON") != std::string::npos);
  REQUIRE(
      cloud.services().objects->put("bucket-r", "runs/r/reports/3.json", engine::to_json(sample_outcome(4, 2, 5, 3))));
  REQUIRE(cloud.services().objects->delete_objects("bucket-r", std::vector<std::string>{"runs/r/reports/2.json"}));
  bad = reports.collect();
  REQUIRE(!bad);
  CHECK(bad.error().what.find("holds the report of worker 0") != std::string::npos);
}
