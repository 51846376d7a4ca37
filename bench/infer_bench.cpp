// Serial engine vs the SuiteSparse:GraphBLAS peer, in one run, on the same inputs and threads:
//   (a) the shared Graph Challenge data: 1024 neurons, 30 layers, all 1200 images;
//   (b) a generated 4096-neuron, 120-layer network (seed 1) with 2000 Fashion-MNIST inputs.
// Benchmarks are registered ours, peer, ours, peer… so both see the same machine state; each
// records its fastest iteration (the machine is shared) and the program ends with the ratio
// ours/GraphBLAS per (data, threads) — the target is ≤ 1.0. Both must give the same
// categories (checked before timing). It also reports the peak memory of inference on (b) against
// the CSR bytes of weights plus input activations (target ≤ 1.5×), measured with Linux's peak-RSS
// reset (/proc/self/clear_refs = 5, then VmHWM) before any GraphBLAS matrix exists.
// Run: build/<dir>/bench/infer_bench [--benchmark_filter=...] [--no_memory (skip the memory report,
// which loads (b) even when the filter selects only (a))]
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/network_io.hpp"
#include "infer_bench/graphblas_peer.hpp"

namespace {

struct Dataset {
  std::string name;
  engine::Network net;
  engine::Activations images;
  std::vector<std::int32_t> categories;  // from our engine, checked against the peer
  std::unique_ptr<peer::GraphBlasInference> graphblas;
};

Dataset& dataset(int which) {
  static std::map<int, std::unique_ptr<Dataset>> loaded;
  auto& d = loaded[which];
  if (!d) {
    d = std::make_unique<Dataset>();
    if (which == 0) {
      const std::string dir = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";
      d->name = "shared n1024 l30 x1200";
      d->net = engine::read_network(dir, 1024, 30);
      d->images = engine::read_images(dir + "/sparse-images-1024_subset.mtx", 1024);
    } else {
      d->name = "generated n4096 l120 x2000 fashion-mnist";
      d->net = engine::generate_network(4096, 120, 1);
      d->images = engine::read_idx_images(engine::kFashionMnistTrainImages, 4096, 2000);
    }
    d->categories = engine::categories(engine::infer(d->net, d->images));
  }
  return *d;
}

const peer::GraphBlasInference& graphblas(Dataset& d) {
  if (!d.graphblas) {
    d.graphblas = std::make_unique<peer::GraphBlasInference>(d.net, d.images);
    peer::set_graphblas_threads(1);
    std::vector<std::int32_t> theirs = d.graphblas->run();
    std::sort(theirs.begin(), theirs.end());
    if (theirs != d.categories) {
      std::fprintf(stderr, "infer_bench: GraphBLAS and fsd disagree on %s (%zu vs %zu categories)\n", d.name.c_str(),
                   theirs.size(), d.categories.size());
      std::exit(1);
    }
  }
  return *d.graphblas;
}

std::map<std::pair<int, int>, double> best_ours, best_peer;  // (data, threads) → fastest seconds

template <class Fn>
void timed_loop(benchmark::State& state, double& best, Fn&& fn) {
  best = best > 0 ? best : 1e300;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

void BM_fsd(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  Dataset& d = dataset(which);
  timed_loop(state, best_ours[{which, threads}], [&] {
    benchmark::DoNotOptimize(engine::categories(engine::infer(d.net, d.images, {.threads = threads})));
  });
  state.SetItemsProcessed(state.iterations() * d.images.rows() * d.net.total_nnz());  // edges
  state.SetLabel(d.name);
}

void BM_graphblas(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0)), threads = static_cast<int>(state.range(1));
  Dataset& d = dataset(which);
  const auto& g = graphblas(d);
  peer::set_graphblas_threads(threads);
  timed_loop(state, best_peer[{which, threads}], [&] { benchmark::DoNotOptimize(g.run()); });
  state.SetItemsProcessed(state.iterations() * d.images.rows() * d.net.total_nnz());
  state.SetLabel(d.name);
}

long status_bytes(const std::string& field) {  // "VmRSS" or "VmHWM" from /proc/self/status
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1)) * 1024;
  return -1;
}

void report_memory() {
  Dataset& d = dataset(1);
  const auto csr_bytes = [](const engine::SparseMatrix& m) {
    return static_cast<double>(m.nonZeros()) * (sizeof(float) + sizeof(std::int32_t)) +
           static_cast<double>(m.outerSize() + 1) * sizeof(std::int32_t);
  };
  double weights = 0;
  for (const auto& l : d.net.layers) weights += csr_bytes(l.weights);
  const double inputs = csr_bytes(d.images);
  malloc_trim(0);  // hand freed heap pages (from loading) back, so RSS is the live data
  const double before = static_cast<double>(status_bytes("VmRSS"));
  { std::ofstream("/proc/self/clear_refs") << "5"; }  // reset the peak RSS to the current RSS
  std::vector<std::int64_t> layer_nnz;
  const engine::Activations y = engine::infer(d.net, d.images, {.threads = 2, .layer_nonzeros = &layer_nnz});
  const double peak = static_cast<double>(status_bytes("VmHWM"));
  const double outputs = csr_bytes(y);
  const auto largest = *std::max_element(layer_nnz.begin(), layer_nnz.end());
  const double largest_bytes = static_cast<double>(largest) * 8 + (d.images.rows() + 1) * 4.0;
  std::printf("memory (b): RSS before inference %.1f MB, peak during %.1f MB (+%.1f MB working memory); "
              "weights CSR %.1f MB + input CSR %.1f MB = %.1f MB, output CSR %.1f MB; "
              "peak / (weights + input) = %.3f, (weights + input + working) / (weights + input) = %.3f (target ≤ 1.5)\n",
              before / 1e6, peak / 1e6, (peak - before) / 1e6, weights / 1e6, inputs / 1e6, (weights + inputs) / 1e6,
              outputs / 1e6, peak / (weights + inputs), (weights + inputs + peak - before) / (weights + inputs));
  std::printf("memory (b): largest Y_k in CSR %.1f MB (nnz %lld); peak / (weights + largest Y_k) = %.3f\n",
              largest_bytes / 1e6, static_cast<long long>(largest), peak / (weights + largest_bytes));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  bool memory = true;
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--no_memory") memory = false;
  if (memory) report_memory();  // before any GraphBLAS matrix exists
  for (int which : {0, 1})
    for (int threads : {1, 2}) {
      auto* a = benchmark::RegisterBenchmark("fsd", BM_fsd)->Args({which, threads});
      auto* b = benchmark::RegisterBenchmark("graphblas", BM_graphblas)->Args({which, threads});
      for (auto* bm : {a, b}) {
        bm->ArgNames({"data", "threads"})->Unit(benchmark::kMillisecond)->UseRealTime();
        if (which == 1) bm->Iterations(1);  // GraphBLAS takes tens of seconds here
      }
    }
  benchmark::RunSpecifiedBenchmarks();
  std::printf("\nratio ours/GraphBLAS (fastest iteration each; target ≤ 1.0):\n");
  for (const auto& [key, ours] : best_ours) {
    const auto it = best_peer.find(key);
    if (it == best_peer.end()) continue;
    std::printf("  %-45s threads %d: fsd %9.4f s  GraphBLAS %9.4f s  ratio %.3f\n", dataset(key.first).name.c_str(),
                key.second, ours, it->second, ours / it->second);
  }
  benchmark::Shutdown();
  return 0;
}
