// How long a worker of `fsd run --backend aws` takes to get its partition: before, it partitioned
// the network itself (as the coordinator does: hypergraph, Zoltan PHG); now it GETs the
// coordinator's bit-packed blob from S3 and checks and decodes it (engine/worker/partition_blob.hpp).
// Network: generated 4096 neurons × 120 layers (seed 1), P = 8, hypergraph seed 1.
// Run: scripts/with-emulator.sh build/release/bench/partition_transfer_bench
// (AWS_TEST_ENDPOINT names the emulator: the GET goes over HTTP through the real S3 client;
// without it, through the in-memory store, which measures decoding only.)
// Prints the blob's size and the ratio of the two times after the benchmarks.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "engine/aws/aws_backend.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"
#include "engine/model/generate.hpp"
#include "engine/partition/partition.hpp"
#include "engine/worker/partition_blob.hpp"

using namespace engine;

namespace {

constexpr int kNeurons = 4096, kLayers = 120, kParts = 8;

struct Fixture {
  Network net;
  PartitionOptions options;
  Partition partition;
  std::string blob, digest, bucket = "fsd-bench-partition", run = "bench-partition";
  std::unique_ptr<aws::AwsBackend> aws;
  cloud::memory::MemoryCloud memory;
  cloud::ObjectStore* store = nullptr;
  double partition_s = 0, get_s = 0;
};

Fixture& fixture() {
  static std::unique_ptr<Fixture> f;
  if (f) return *f;
  f = std::make_unique<Fixture>();
  f->net = generate_network(kNeurons, kLayers, 1);
  f->options.method = PartitionMethod::kHypergraph;
  f->options.parts = kParts;
  f->options.seed = 1;
  f->partition = partition_network(f->net, f->options);
  f->blob = encode_partition(f->partition);
  f->digest = blob_digest(f->blob);
  f->store = f->memory.services().objects;
  if (const char* e = std::getenv("AWS_TEST_ENDPOINT"); e && *e) {
    auto b = aws::AwsBackend::from_environment({{"AWS_ENDPOINT_URL", e},
                                                {"AWS_REGION", "us-east-1"},
                                                {"AWS_ACCESS_KEY_ID", "AKIDBENCH"},
                                                {"AWS_SECRET_ACCESS_KEY", "bench"}});
    if (b) {
      f->aws = std::move(*b);
      f->store = &f->aws->s3();
    }
  }
  (void)f->store->create_bucket(f->bucket);
  f->store->put(f->bucket, partition_key(f->run), f->blob).value();
  return *f;
}

// Before: every worker partitions the whole network (what the coordinator does once).
void BM_WorkerPartitionsItself(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    const auto t = std::chrono::steady_clock::now();
    Partition p = partition_network(f.net, f.options);
    f.partition_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_WorkerPartitionsItself)->Unit(benchmark::kMillisecond)->Iterations(1);

// After: one GET of the blob, its digest and decoding (fetch_partition).
void BM_WorkerGetsPartition(benchmark::State& state) {
  Fixture& f = fixture();
  int n = 0;
  const auto t = std::chrono::steady_clock::now();
  for (auto _ : state) {
    auto p = fetch_partition(*f.store, *f.store, f.bucket, f.run, f.digest, {kParts, kLayers + 1, kNeurons});
    if (!p || *p != f.partition) state.SkipWithError("the partition did not come back");
    ++n;
  }
  f.get_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count() / std::max(n, 1);
  state.counters["blob_bytes"] = static_cast<double>(f.blob.size());
  state.SetLabel(f.aws ? "GET over HTTP (emulator)" : "in-memory store (no AWS_TEST_ENDPOINT)");
}
BENCHMARK(BM_WorkerGetsPartition)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  Fixture& f = fixture();
  if (f.partition_s > 0 && f.get_s > 0)
    std::printf("partition of %d x %d, P = %d: %zu-byte blob; partitioning %.3f s, getting %.4f s: %.0fx faster\n",
                kNeurons, kLayers, kParts, f.blob.size(), f.partition_s, f.get_s, f.partition_s / f.get_s);
  benchmark::Shutdown();
  return 0;
}
