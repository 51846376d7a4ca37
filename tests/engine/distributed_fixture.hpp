// Test helpers for the distributed engine: load the shared n1024 data or generate a network, run
// a deployment on the memory backend (optionally with faults, behind a Meter), and compare with
// the serial engine (engine/infer, written independently of the worker and channels).
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "engine/cloud/memory/memory_cloud.hpp"
#include "engine/cloud/meter.hpp"
#include "engine/infer/infer.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/network_io.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/worker/deployment.hpp"

namespace fixture {

inline std::string n1024_dir() { return std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024"; }

// The first `count` shared images (1200 available).
inline engine::Activations n1024_images(int count) {
  engine::Activations all = engine::read_images(n1024_dir() + "/sparse-images-1024_subset.mtx", 1024);
  engine::Activations some = all.topRows(count);
  some.makeCompressed();
  return some;
}

// Seeded random sparse images: `per_image` distinct active neurons of value 1.
inline engine::Activations random_images(int neurons, int count, int per_image, std::uint64_t seed) {
  std::printf("random_images seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  for (int b = 0; b < count; ++b) {
    std::vector<char> used(neurons, 0);
    for (int k = 0; k < per_image; ++k) {
      int j = static_cast<int>(rng() % neurons);
      if (used[j]) continue;
      used[j] = 1;
      t.emplace_back(b, j, 1.0f);
    }
  }
  engine::Activations y(count, neurons);
  y.setFromTriplets(t.begin(), t.end());
  y.makeCompressed();
  return y;
}

// A launch tree for P workers: one level for P ≤ 8, else bfr 4 (20 = 4 + 16).
inline std::vector<int> fanouts_for(int workers) {
  if (workers <= 8) return {workers};
  if (workers == 20) return {4, 4};
  return {workers};
}

struct RunResult {
  engine::DeploymentResult deployment;
  engine::cloud::MeteredUsage usage;
};

inline engine::cloud::memory::FaultOptions test_faults(std::uint64_t seed) {
  std::printf("fault seed %llu\n", static_cast<unsigned long long>(seed));
  engine::cloud::memory::FaultOptions f;
  f.seed = seed;
  f.throttle_probability = 0.1;
  f.duplicate_probability = 0.1;
  f.reorder_probability = 0.5;
  f.delay_probability = 0.1;
  f.delay_s = 0.003;
  return f;
}

// Runs the whole deployment on a fresh memory cloud, metered.
inline RunResult run_memory(const engine::Network& net, const engine::Activations& images, int workers,
                            engine::ChannelKind channel, bool faults, std::uint64_t seed = 42,
                            engine::PartitionMethod method = engine::PartitionMethod::kRandom) {
  engine::PartitionOptions po;
  po.method = method;
  po.parts = workers;
  po.seed = seed;
  const engine::Partition partition = engine::partition_network(net, po);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);
  std::optional<engine::cloud::memory::FaultOptions> f;
  if (faults) f = test_faults(seed);
  engine::cloud::memory::MemoryCloud cloud(f);
  engine::cloud::Meter meter(cloud.services());
  engine::DeploymentSpec spec;
  spec.network = &net;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts = fanouts_for(workers);
  spec.channel = channel;
  spec.topics = 3;
  spec.run_id = "test";
  spec.queue.wait_time_s = 0.05;
  spec.queue.retry.initial_backoff_s = 0.001;
  spec.queue.retry.max_attempts = 30;
  spec.queue.retry.receive_timeout_s = 20;
  spec.object.poll_interval_s = 0.001;
  spec.object.retry = spec.queue.retry;
  engine::Deployment dep(spec, meter.services());
  cloud.functions().register_handler(spec.function_name, [&](const std::string& p) { return dep.handle(p); });
  auto r = dep.run();
  if (!r) FAIL(r.error().message());
  cloud.functions().join_all();
  for (const auto& w : r->workers) meter.record_function_run(w.function_end_s - w.function_start_s, 1024);
  return RunResult{std::move(*r), meter.usage()};
}

// Exact equality of two sparse activation matrices (same pattern, same floats).
inline void check_equal(const engine::Activations& got, const engine::Activations& want) {
  REQUIRE(got.rows() == want.rows());
  REQUIRE(got.cols() == want.cols());
  CHECK(got.nonZeros() == want.nonZeros());
  int mismatches = 0;
  for (int r = 0; r < want.outerSize(); ++r) {
    engine::Activations::InnerIterator a(got, r), b(want, r);
    for (; a && b; ++a, ++b)
      if (a.col() != b.col() || a.value() != b.value()) ++mismatches;
    if (a || b) ++mismatches;
  }
  CHECK(mismatches == 0);
}

}  // namespace fixture
