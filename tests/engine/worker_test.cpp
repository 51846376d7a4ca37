// The distributed engine end to end on the memory backend: for P ∈ {1, 2, 8, 20}, both channels,
// with and without injected faults, Y_L and the categories must equal the serial engine's
// (engine::infer, an independent implementation) — and on the shared n1024 data, the official
// categories too.
#include <doctest/doctest.h>

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
  auto run = fixture::run_memory(net, images, 20, engine::ChannelKind::kQueue, false, 3,
                                 engine::PartitionMethod::kContiguous);
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
  cloud.functions().register_handler(spec.function_name, [](const std::string&) -> engine::Result<std::string> {
    return std::string("{}");
  });
  auto r = dep.run();
  REQUIRE(!r);
  CHECK(r.error().code == engine::ErrorCode::kDeadline);
  CHECK(r.error().what.find("0 of 2 workers") != std::string::npos);
  CHECK(dep.handle("{}").error().code == engine::ErrorCode::kInvalidInput);
  CHECK(dep.handle(R"({"run":"other","parent":-1,"index":0,"subtree":1,"level":1})").error().code ==
        engine::ErrorCode::kInvalidInput);
  CHECK(dep.handle(R"({"run":"run","parent":-1,"index":5,"subtree":1,"level":1})").error().code ==
        engine::ErrorCode::kInvalidInput);
  CHECK_THROWS_AS(engine::Deployment(
                      [&] {
                        auto s = spec;
                        s.launch_fanouts = {3};
                        return s;
                      }(),
                      cloud.services()),
                  std::invalid_argument);
}
