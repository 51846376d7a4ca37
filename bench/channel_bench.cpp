// Channel encoding benchmarks: encode (frame + zstd + base-85 text) and decode (text → frame →
// validated RowBlock) throughput in bytes of activation rows (RowBlock::row_bytes(): 8 per row +
// 8 per nonzero), and the fill of billed 64 KiB chunks when a large block goes through
// QueueChannel on the metered memory backend.
//
// Data: real activations — the shared Graph Challenge n1024 network's Y_2 for its 1200 images (before most images die out),
// computed by the serial engine — as one block of every live neuron row; and a worst case of
// random values ("noisy", nearly incompressible). Fixed seeds. Target (issue 4): ≥ 1 GB/s of rows
// for encode and decode; fill ≥ 90%.
#include <benchmark/benchmark.h>

#include <random>

#include "engine/channel/queue_channel.hpp"
#include "engine/channel/wire.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"
#include "engine/cloud/meter.hpp"
#include "engine/infer/infer.hpp"
#include "engine/model/network_io.hpp"

namespace {

engine::RowBlock to_rows(const engine::Activations& y) {
  const engine::SparseMatrix t = y.transpose();
  engine::RowBlock b;
  for (int i = 0; i < t.outerSize(); ++i) {
    if (t.outerIndexPtr()[i + 1] == t.outerIndexPtr()[i]) continue;
    b.add_row(i);
    for (engine::SparseMatrix::InnerIterator it(t, i); it; ++it) b.add_value(static_cast<std::int32_t>(it.col()), it.value());
  }
  return b;
}

const engine::RowBlock& real_block() {
  static const engine::RowBlock b = [] {
    const std::string dir = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
    const engine::Network net = engine::read_network(dir, 1024, 2);
    const engine::Activations images = engine::read_images(dir + "/sparse-images-1024_subset.mtx", 1024);
    return to_rows(engine::infer(net, images));
  }();
  return b;
}

const engine::RowBlock& noisy_block() {
  static const engine::RowBlock b = [] {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    engine::RowBlock r;
    for (int i = 0; i < 1024; ++i) {
      r.add_row(i);
      for (int img = 0; img < 1200; ++img)
        if (u(rng) < 0.2) r.add_value(img, static_cast<float>(0.01 + 31.99 * u(rng)));
    }
    return r;
  }();
  return b;
}

const engine::RowBlock& block_for(int which) { return which == 0 ? real_block() : noisy_block(); }
const engine::wire::BlockId kId{1, 1, 0};

void BM_Encode(benchmark::State& state) {
  const engine::RowBlock& b = block_for(static_cast<int>(state.range(0)));
  const int level = static_cast<int>(state.range(1));
  std::size_t text_bytes = 0;
  for (auto _ : state) {
    const std::string text = engine::wire::to_text(engine::wire::encode_block(kId, b, true, level));
    text_bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.SetBytesProcessed(state.iterations() * b.row_bytes());
  state.counters["row_bytes"] = static_cast<double>(b.row_bytes());
  state.counters["text_bytes"] = static_cast<double>(text_bytes);
  state.counters["text_per_row_byte"] = static_cast<double>(text_bytes) / static_cast<double>(b.row_bytes());
}

void BM_Decode(benchmark::State& state) {
  const engine::RowBlock& b = block_for(static_cast<int>(state.range(0)));
  const std::string text =
      engine::wire::to_text(engine::wire::encode_block(kId, b, true, static_cast<int>(state.range(1))));
  for (auto _ : state) {
    auto frame = engine::wire::from_text(text);
    auto back = engine::wire::decode_block(*frame, kId, {1024, 1200});
    if (!back || back->nnz() != b.nnz()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(back->values.data());
  }
  state.SetBytesProcessed(state.iterations() * b.row_bytes());
}

// One large block through QueueChannel: fill = Σ message bytes / (billed chunks · 64 KiB).
void BM_QueueChannelFill(benchmark::State& state) {
  const engine::RowBlock& b = block_for(static_cast<int>(state.range(0)));
  double fill = 0, messages = 0;
  for (auto _ : state) {
    engine::cloud::memory::MemoryCloud cloud;
    engine::cloud::Meter meter(cloud.services());
    auto layout = engine::provision_queues(meter.services(), "bench", 2, 1);
    engine::QueueChannel sender(meter.services(), *layout, 1, {1024, 1200});
    if (!sender.post(1, 0, b) || !sender.flush()) state.SkipWithError("post failed");
    const auto u = meter.usage();
    fill = static_cast<double>(u.sns_payload_bytes) / (static_cast<double>(u.sns_publish_billed) * 65536.0);
    messages = static_cast<double>(u.sns_messages);
  }
  state.SetBytesProcessed(state.iterations() * b.row_bytes());
  state.counters["billed_chunk_fill"] = fill;
  state.counters["messages"] = messages;
}

}  // namespace

// Args: block (0 = real n1024 Y_2, 1 = noisy), zstd level.
BENCHMARK(BM_Encode)->ArgNames({"block", "level"})->ArgsProduct({{0, 1}, {-5, 1, 3}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decode)->ArgNames({"block", "level"})->ArgsProduct({{0, 1}, {-5, 1, 3}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueueChannelFill)->ArgNames({"block"})->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
