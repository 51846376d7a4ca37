// The real ObjectChannel in simulated time: its PUT pool gives ⌈(P − 1)/parallel_puts⌉ rounds per
// flush, and with overlap_gets its receive lists again while a slow GET runs (the published
// worker's loop), so a layer ends when its last GET does. Round calibration (sim_fixture.hpp): NIC 1 ms, 100 MB/s;
// PUT 20 ms one way, 30 ms service; LIST 10 ms, 20 ms, 10 MB/s; GET 15 ms, 30 MB/s and here 0.5 s
// of service. A 0-byte PUT (an empty-block marker) takes 2 × (0.001 + 0.020) + 0.030 = 0.072 s.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/channel/object_channel.hpp"
#include "sim/runtime.hpp"
#include "sim/services/sim_object_store.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;
using engine::ObjectChannel;
using engine::ObjectChannelOptions;
using engine::RowBlock;

namespace {
constexpr engine::wire::Limits kLimits{4096, 2000};

ObjectChannelOptions options(int parallel_puts) {
  ObjectChannelOptions o;
  o.bucket = "b";
  o.prefix = "runs/t";
  o.poll_interval_s = 0.1;
  o.parallel_gets = 6;
  o.parallel_puts = parallel_puts;
  o.overlap_gets = true;
  return o;
}

// Worker 0 of P = 14 flushes 13 markers; returns flush()'s simulated time.
double flush_13_markers(int parallel_puts, std::int64_t* puts) {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  REQUIRE(s.objects().create_bucket("b"));
  double flush_s = -1;
  s.run([&] {
    ObjectChannel ch(s.services(), 0, 14, kLimits, options(parallel_puts));
    for (int q = 1; q < 14; ++q) REQUIRE(ch.post(1, q, RowBlock{}));
    const double t0 = s.runtime().now_s();
    REQUIRE(ch.flush());
    flush_s = s.runtime().now_s() - t0;
  });
  *puts = s.stats().s3_puts;
  return flush_s;
}
}  // namespace

TEST_CASE("object channel (sim): parallel_puts = 6 flushes P - 1 = 13 objects in ceil(13/6) = 3 PUT rounds") {
  std::int64_t puts = 0;
  CHECK(flush_13_markers(6, &puts) == Approx(3 * 0.072).epsilon(1e-6));
  CHECK(puts == 13);
}

TEST_CASE("object channel (sim): parallel_puts = 4 flushes 13 objects in ceil(13/4) = 4 PUT rounds") {
  std::int64_t puts = 0;
  CHECK(flush_13_markers(4, &puts) == Approx(4 * 0.072).epsilon(1e-6));
  CHECK(puts == 13);
}

TEST_CASE("object channel (sim): receive keeps listing while a slow GET runs, the layer ends with the GET") {
  // Worker 0 expects sources 1 and 2. Source 1's object is there at t = 0; source 2's marker is
  // PUT from t = 0.3 s and applied at 0.3 + 0.021 + 0.030 = 0.351 s. A LIST of k keys takes
  // Tl(k) = 2 × (0.001 + 0.010) + 0.020 + k × (key + 150 bytes) / 10 MB/s and sees the store
  // 0.031 s after it starts. LIST 1 (0 → Tl(1)) finds source 1 and starts its GET, Tg = 2 × (0.001
  // + 0.015) + 0.5 + frame / 30 MB/s; LISTs 2 and 3 start at Tl(1) + 0.1 and 2 Tl(1) + 0.2 (they
  // see the store at ≈ 0.17 and 0.32 s: no marker yet); LIST 4 at 3 Tl(1) + 0.3 ≈ 0.43 finds it.
  // Then the channel waits for the GET, ending at Tl(1) + Tg, and deletes both keys: Td =
  // 2 × 0.011 + 0.020 + 2 key / 10 MB/s. A receive that waited for its GET before listing again
  // would end 0.1 s + Tl(2) later.
  auto cal = simtest::round_calibration();
  cal.s3_get.service_time_s = 0.5;
  sim::Simulation s(cal, {.function_hosts = 1});
  REQUIRE(s.objects().create_bucket("b"));
  RowBlock block;
  block.add_row(3);
  block.add_value(0, 1.5f);
  block.add_value(2, 2.5f);
  const std::string frame = engine::wire::encode_block({1, 1, 0}, block, true, 3);
  const std::string key1 = engine::object_key("runs/t", 1, 1, 0), key2 = engine::object_key("runs/t", 1, 2, 0);
  REQUIRE(s.objects().put("b", key1, frame));  // outside any actor: takes no simulated time
  double received_s = -1;
  std::vector<int> order;
  s.run([&] {
    auto& rt = s.runtime();
    auto writer = rt.spawn("writer", [&] {
      rt.sleep_s(0.3);
      REQUIRE(s.objects().put("b", key2, ""));
    });
    ObjectChannel ch(s.services(), 0, 3, kLimits, options(6));
    const std::vector<int> sources{1, 2};
    REQUIRE(ch.receive(1, sources, [&](int source, RowBlock&& b) {
      order.push_back(source);
      if (source == 1) CHECK(b == block);
      if (source == 2) CHECK(b.empty());
    }));
    received_s = rt.now_s();
    writer->join();
  });
  const double key = static_cast<double>(key1.size());
  const double tl1 = 0.042 + (key + 150) / 10e6;
  const double tg = 0.032 + 0.5 + static_cast<double>(frame.size()) / 30e6;
  const double td = 0.042 + 2 * key / 10e6;
  CHECK(received_s == Approx(tl1 + tg + td).epsilon(1e-4));
  CHECK(s.stats().s3_lists == 4);
  CHECK(s.stats().s3_gets == 1);
  CHECK(order == std::vector<int>{2, 1});  // the marker is handed over at once, the block when its GET ends
}

TEST_CASE("object channel (sim): sleep_after_every_list sleeps poll_interval_s after the LIST that completes the layer") {
  // Source 1's object is there at t = 0. Without overlap: LIST (Tl(1)), its GET (Tg, awaited), the
  // layer is complete; the published loop still sleeps 0.1 s; then DeleteObjects (Td).
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  REQUIRE(s.objects().create_bucket("b"));
  RowBlock block;
  block.add_row(3);
  block.add_value(0, 1.5f);
  const std::string frame = engine::wire::encode_block({1, 1, 0}, block, true, 3);
  const std::string key1 = engine::object_key("runs/t", 1, 1, 0);
  REQUIRE(s.objects().put("b", key1, frame));
  double received_s = -1;
  s.run([&] {
    auto o = options(6);
    o.overlap_gets = false;
    o.sleep_after_every_list = true;
    ObjectChannel ch(s.services(), 0, 2, kLimits, o);
    const std::vector<int> sources{1};
    REQUIRE(ch.receive(1, sources, [](int, RowBlock&&) {}));
    received_s = s.runtime().now_s();
  });
  const double key = static_cast<double>(key1.size());
  const double tl1 = 0.042 + (key + 150) / 10e6;
  const double tg = 0.032 + 0.025 + static_cast<double>(frame.size()) / 30e6;
  const double td = 0.042 + key / 10e6;
  CHECK(received_s == Approx(tl1 + tg + 0.1 + td).epsilon(1e-4));
  CHECK(s.stats().s3_lists == 1);
}
