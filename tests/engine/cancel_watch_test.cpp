// CancelWatch: a worker elsewhere stops when its run's alive marker is gone, probing only when a
// call already failed with kNotFound or a poll came back idle (at most once per interval), and
// sends nothing once it knows; an object-channel deployment whose run is cancelled mid-layer ends
// every worker promptly, reports nothing and leaves none of its objects.
#include "engine/worker/cancel_watch.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "distributed_fixture.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"
#include "engine/worker/deployment.hpp"
#include "engine/worker/partition_blob.hpp"

namespace {

// Counts GETs of the marker: the probes.
class CountingStore final : public engine::cloud::ObjectStore {
 public:
  explicit CountingStore(engine::cloud::ObjectStore& inner) : inner_(inner) {}
  std::atomic<int> gets{0};
  engine::Result<void> create_bucket(const std::string& b) override { return inner_.create_bucket(b); }
  engine::Result<void> put(const std::string& b, const std::string& k, std::string_view v) override {
    return inner_.put(b, k, v);
  }
  engine::Result<std::string> get(const std::string& b, const std::string& k) override {
    ++gets;
    return inner_.get(b, k);
  }
  engine::Result<engine::cloud::ListPage> list(const std::string& b, const std::string& p, const std::string& t,
                                               int m) override {
    return inner_.list(b, p, t, m);
  }
  engine::Result<void> delete_objects(const std::string& b, std::span<const std::string> k) override {
    return inner_.delete_objects(b, k);
  }

 private:
  engine::cloud::ObjectStore& inner_;
};

}  // namespace

TEST_CASE("cancel watch: probes only on kNotFound or idle polls, then stops without sending") {
  engine::cloud::memory::MemoryCloud data, control;
  CountingStore ctl(*control.services().objects);
  REQUIRE(ctl.create_bucket("fsd-cancel"));
  REQUIRE(ctl.put("fsd-cancel", engine::alive_key("r"), ""));
  REQUIRE(data.services().objects->create_bucket("fsd-cancel"));
  auto q = data.services().queue->create_queue("q");
  REQUIRE(q);
  engine::CancelWatch watch(data.services(), ctl, "fsd-cancel", engine::alive_key("r"), {/*probe_interval_s=*/0.05});
  engine::cloud::Services s = watch.services();

  // Busy calls cost no probe; an idle one costs one per interval at most.
  REQUIRE(s.objects->put("fsd-cancel", "runs/r/L000001/T000000/S000001", "x"));
  REQUIRE(s.objects->list("fsd-cancel", "runs/r/", "", 1000));
  CHECK(ctl.gets == 0);
  for (int i = 0; i < 20; ++i) REQUIRE(s.objects->list("fsd-cancel", "runs/r/L000009/", "", 1000));  // idle, < interval
  CHECK(ctl.gets == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  REQUIRE(s.queue->receive(q->url, {10, 0, 30}));  // empty, interval passed: one probe, alive
  CHECK(ctl.gets == 1);
  CHECK_FALSE(watch.cancelled());

  // A real kNotFound while the run is alive passes through after one probe.
  auto missing = s.objects->get("fsd-cancel", "no-such-key");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().what.find("no key") != std::string::npos);
  CHECK(ctl.gets == 2);

  // The coordinator removes the run: marker first, then the queue.
  const std::string marker[] = {engine::alive_key("r")};
  REQUIRE(ctl.delete_objects("fsd-cancel", marker));
  REQUIRE(data.services().queue->delete_queue(q->url));
  auto r = s.queue->receive(q->url, {10, 0, 30});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == engine::ErrorCode::kNotFound);
  CHECK_FALSE(r.error().retryable());
  CHECK(r.error().what.find("run cancelled") != std::string::npos);
  CHECK(watch.cancelled());
  CHECK(watch.reason().find("no queue") != std::string::npos);
  CHECK(ctl.gets == 3);
  // From now on nothing is sent and nothing probed.
  auto put = s.objects->put("fsd-cancel", "runs/r/L000002/T000000/S000001", "y");
  REQUIRE_FALSE(put);
  CHECK(put.error().what.find("run cancelled") != std::string::npos);
  CHECK_FALSE(data.services().objects->get("fsd-cancel", "runs/r/L000002/T000000/S000001"));
  engine::cloud::OutgoingMessage m{"x", {}};
  CHECK_FALSE(s.pubsub->publish_batch("t", std::span<const engine::cloud::OutgoingMessage>(&m, 1)));
  CHECK(ctl.gets == 3);
  // What it put is removed.
  REQUIRE(watch.remove_own_objects());
  auto left = data.services().objects->list("fsd-cancel", "runs/r/");
  REQUIRE(left);
  CHECK(left->keys.empty());
}

TEST_CASE("cancel watch: an object-channel run cancelled mid-layer stops every worker, reports and leaves nothing") {
  // Worker 3 never starts, so workers 0..2 wait for its layer-1 blocks: the object channel sees
  // only empty listings (nothing fails). Removing the alive marker must end them within a few
  // probe intervals, not at their 900 s receive timeout.
  bool overlap_gets = false;  // both receive loops: GETs before the next LIST, or alongside it
  SUBCASE("GETs finish before the next LIST") {}
  SUBCASE("GETs overlap the next LIST") { overlap_gets = true; }
  const engine::Network net = engine::generate_network(64, 3, 2);
  const auto images = fixture::random_images(64, 6, 12, 9);
  engine::PartitionOptions po;
  po.method = engine::PartitionMethod::kRandom;
  po.parts = 4;
  po.seed = 4;
  std::printf("partition seed %llu\n", static_cast<unsigned long long>(po.seed));
  const engine::Partition partition = engine::partition_network(net, po);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);
  engine::cloud::memory::MemoryCloud cloud, control;
  engine::DeploymentSpec spec;
  spec.network = &net;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts = {4};
  spec.channel = engine::ChannelKind::kObject;
  spec.object.bucket = "fsd-cancel";
  spec.object.poll_interval_s = 0.002;
  spec.object.overlap_gets = overlap_gets;
  spec.reports_bucket = "fsd-cancel";
  spec.report_store = control.services().objects;
  spec.ship_partition = true;
  spec.cancel.probe_interval_s = 0.02;
  spec.run_id = "cancel-me";
  spec.run_timeout_s = 20;
  std::atomic<int> ended{0};
  std::vector<std::string> errors(4);
  std::atomic<bool> all_ended{false};
  spec.check_workers = [&]() -> engine::Result<void> {
    if (all_ended) return engine::Error{engine::ErrorCode::kInternal, "test", "workers ended"};
    return engine::Ok{};
  };
  engine::Deployment dep(spec, cloud.services());
  cloud.functions().register_handler(spec.function_name, [&](const std::string& p) -> engine::Result<std::string> {
    if (p.find("\"index\":3") != std::string::npos) return std::string("{}");  // worker 3 never runs
    auto r = dep.handle(p);
    const int w = static_cast<int>(p[p.find("\"index\":") + 8] - '0');
    errors[w] = r ? "" : r.error().message();
    if (++ended == 3) all_ended = true;
    return r;
  });
  std::thread coordinator([&] { (void)dep.run(); });
  struct Join {  // a failed REQUIRE must leave no thread running: cancel, then join
    std::function<void()> f;
    ~Join() { f(); }
  } join{[&] {
    const std::string key[] = {engine::alive_key("cancel-me")};
    (void)control.services().objects->delete_objects("fsd-cancel", key);
    all_ended = true;
    if (coordinator.joinable()) coordinator.join();
    cloud.functions().join_all();
  }};
  // Cancel once the workers have put their layer-1 blocks (they are then waiting for worker 3's).
  auto channel_objects = [&] {
    auto page = cloud.services().objects->list("fsd-cancel", "runs/cancel-me/L");
    return page ? page->keys.size() : 0;
  };
  std::size_t layer1_blocks = 0;  // one object per transfer from a running worker (plan, layer 1)
  for (const auto& t : plan.layer(1)) layer1_blocks += t.source != 3 ? 1 : 0;
  REQUIRE(layer1_blocks > 0);
  for (int i = 0; i < 5000 && channel_objects() < layer1_blocks; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(channel_objects() == layer1_blocks);
  // The shipped partition is there, in the data store (metered), and the marker in the control store.
  CHECK(cloud.services().objects->get("fsd-cancel", engine::partition_key("cancel-me")));
  const auto start = std::chrono::steady_clock::now();
  const std::string marker[] = {engine::alive_key("cancel-me")};
  REQUIRE(control.services().objects->delete_objects("fsd-cancel", marker));
  for (int i = 0; i < 5000 && ended < 3; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const double stop_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(ended == 3);
  CHECK(stop_s < 2.0);  // a few 20-ms probe intervals; the receive timeout is 900 s
  coordinator.join();
  for (int w = 0; w < 3; ++w) {
    CAPTURE(w);
    CHECK(errors[w].find("run cancel-me cancelled: worker " + std::to_string(w) + " stopped without reporting") !=
          std::string::npos);
  }
  auto reports = control.services().objects->list("fsd-cancel", "runs/cancel-me/reports/");
  REQUIRE(reports);
  CHECK(reports->keys.empty());
  CHECK(channel_objects() == 0);  // each worker removed the blocks it had put
}
