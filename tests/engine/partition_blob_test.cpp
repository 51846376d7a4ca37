// Partition blobs: the coordinator's partition as the bytes workers GET instead of partitioning.
// Round trips exactly; its size is the hand-derived 20 + ⌈(L+1)·N·b/8⌉, b = max(1, ⌈log2 P⌉),
// which the cost model predicts too; fetch_partition checks the event's digest; every damaged or
// mismatched blob is a one-line kInvalidInput, never a crash or an out-of-bounds read.
#include "engine/worker/partition_blob.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <random>

#include "costmodel/analytic_profile.hpp"
#include "costmodel/predict.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"

namespace {

engine::Partition random_partition(int parts, int rows, int neurons, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> owner(0, parts - 1);
  engine::Partition p;
  p.parts = parts;
  p.owner.assign(rows, std::vector<std::int32_t>(neurons));
  for (auto& row : p.owner)
    for (auto& o : row) o = owner(rng);
  return p;
}

std::int64_t hand_size(int parts, int rows, int neurons) {
  int bits = 1;
  while ((1 << bits) < parts) ++bits;  // ⌈log2 P⌉, at least 1
  return 20 + (std::int64_t{rows} * neurons * bits + 7) / 8;
}

}  // namespace

TEST_CASE("partition blob: round trip and the hand-derived size for P from 1 to 62") {
  const std::uint64_t seed = 20261123;
  std::printf("partition blob seed %llu\n", static_cast<unsigned long long>(seed));
  for (int parts : {1, 2, 3, 4, 5, 8, 9, 33, 62}) {
    for (auto [rows, neurons] : {std::pair{2, 1}, std::pair{4, 7}, std::pair{121, 64}}) {
      CAPTURE(parts);
      CAPTURE(rows);
      CAPTURE(neurons);
      const engine::Partition p = random_partition(parts, rows, neurons, seed + parts);
      const std::string blob = engine::encode_partition(p);
      CHECK(static_cast<std::int64_t>(blob.size()) == hand_size(parts, rows, neurons));
      auto back = engine::decode_partition(blob, {parts, rows, neurons});
      REQUIRE_MESSAGE(back, (back ? "" : back.error().message()));
      CHECK(*back == p);
    }
  }
  // The largest owner in every position survives (no bit lost at byte boundaries).
  engine::Partition top;
  top.parts = 62;
  top.owner.assign(3, std::vector<std::int32_t>(11, 61));
  CHECK(*engine::decode_partition(engine::encode_partition(top), {62, 3, 11}) == top);
}

TEST_CASE("partition blob: the cost model predicts the coordinator's PUT and the workers' GETs") {
  const int parts = 8, layers = 120, neurons = 4096;
  const std::string blob = engine::encode_partition(random_partition(parts, layers + 1, neurons, 5));
  cost::Deployment d;
  d.neurons = neurons;
  d.layers = layers;
  d.workers = parts;
  d.launch_bfr = parts;
  d.launch_levels = 1;
  cost::AnalyticModel m;
  m.neurons = neurons;
  m.layers = layers;
  m.parts = parts;
  const cost::CommProfile profile = cost::analytic_profile(m);
  const cost::Workload w;
  const cost::Prices prices;
  for (auto variant : {cost::Variant::kQueue, cost::Variant::kObject}) {
    const cost::Prediction without = cost::predict(variant, d, profile, w, prices);
    d.partition_object = true;
    const cost::Prediction with = cost::predict(variant, d, profile, w, prices);
    d.partition_object = false;
    CHECK(with.usage.s3_puts - without.usage.s3_puts == 1);
    CHECK(with.usage.s3_gets - without.usage.s3_gets == parts);
    CHECK(with.usage.s3_put_bytes - without.usage.s3_put_bytes == static_cast<std::int64_t>(blob.size()));
    CHECK(with.usage.s3_get_bytes - without.usage.s3_get_bytes == parts * static_cast<std::int64_t>(blob.size()));
  }
}

TEST_CASE("partition blob: fetch_partition checks the digest and tells a cancelled run") {
  engine::cloud::memory::MemoryCloud data, control;
  auto& objects = *data.services().objects;
  auto& ctl = *control.services().objects;
  REQUIRE(objects.create_bucket("fsd-blob"));
  REQUIRE(ctl.create_bucket("fsd-blob"));
  const engine::Partition p = random_partition(4, 3, 10, 7);
  const std::string blob = engine::encode_partition(p);
  REQUIRE(objects.put("fsd-blob", engine::partition_key("r1"), blob));
  REQUIRE(ctl.put("fsd-blob", engine::alive_key("r1"), ""));
  const engine::PartitionShape shape{4, 3, 10};

  auto got = engine::fetch_partition(objects, ctl, "fsd-blob", "r1", engine::blob_digest(blob), shape);
  REQUIRE_MESSAGE(got, (got ? "" : got.error().message()));
  CHECK(*got == p);

  got = engine::fetch_partition(objects, ctl, "fsd-blob", "r1", "0123456789abcdef", shape);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == engine::ErrorCode::kInvalidInput);
  CHECK(got.error().what.find("the launch event names 0123456789abcdef") != std::string::npos);

  // Missing while the run is alive: a broken contract, not a cancellation.
  REQUIRE(ctl.put("fsd-blob", engine::alive_key("r2"), ""));
  got = engine::fetch_partition(objects, ctl, "fsd-blob", "r2", engine::blob_digest(blob), shape);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == engine::ErrorCode::kInternal);
  CHECK(got.error().what.find("missing while its run is alive") != std::string::npos);
  // Partition and marker gone: the coordinator removed the run before this worker started.
  const std::string keys[] = {engine::partition_key("r1")};
  REQUIRE(objects.delete_objects("fsd-blob", keys));
  const std::string marker[] = {engine::alive_key("r1")};
  REQUIRE(ctl.delete_objects("fsd-blob", marker));
  got = engine::fetch_partition(objects, ctl, "fsd-blob", "r1", engine::blob_digest(blob), shape);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == engine::ErrorCode::kNotFound);
  CHECK(got.error().what.find("run r1 cancelled") != std::string::npos);
}

// --- Errors last ---
TEST_CASE("partition blob: damaged or mismatched blobs are rejected with what is wrong") {
  const engine::Partition p = random_partition(3, 4, 9, 11);  // b = 2: owner 3 is representable and invalid
  const std::string good = engine::encode_partition(p);
  const engine::PartitionShape shape{3, 4, 9};
  auto with_byte = [&](std::size_t at, unsigned char v) {
    std::string s = good;
    s[at] = static_cast<char>(v);
    return s;
  };
  std::string owner_three = good;
  owner_three[20] = static_cast<char>(static_cast<unsigned char>(owner_three[20]) | 0x03);  // first owner = 3
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "shorter than its header"},     {good.substr(0, 19), "shorter than its header"},
      {with_byte(0, 'X'), "magic"},        {with_byte(4, 2), "version 2"},
      {with_byte(5, 3), "bits per owner"}, {with_byte(6, 1), "reserved"},
      {with_byte(8, 4), "shape 4 parts"},  {with_byte(12, 5), "rows"},
      {with_byte(16, 0xff), "neurons"},    {good.substr(0, good.size() - 1), "bytes, expected"},
      {good + "x", "bytes, expected"},     {owner_three, "owner 3 of neuron 0 in row 0 is not a worker of 3"},
  };
  for (const auto& [bad, why] : cases) {
    CAPTURE(why);
    auto r = engine::decode_partition(bad, shape);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
    CHECK_MESSAGE(r.error().what.find(why) != std::string::npos, r.error().what);
  }
  // 1 row × 7 neurons × 2 bits = 14 bits leaves 2 padding bits, which must be zero.
  const engine::Partition q = random_partition(3, 1, 7, 3);
  std::string pad = engine::encode_partition(q);
  pad.back() = static_cast<char>(static_cast<unsigned char>(pad.back()) | 0x80);
  auto r = engine::decode_partition(pad, {3, 1, 7});
  REQUIRE_FALSE(r);
  CHECK(r.error().what.find("padding") != std::string::npos);
  // A bug of the caller, not input: thrown.
  engine::Partition ragged = q;
  ragged.owner.push_back({0});
  CHECK_THROWS_AS(engine::encode_partition(ragged), std::invalid_argument);
}
