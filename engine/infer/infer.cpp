#include "engine/infer/infer.hpp"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "engine/infer/detail/row_kernel.hpp"
#include "engine/infer/layer_kernel.hpp"

namespace engine {
namespace {

// Images per block: small enough that 2 threads balance on 1200 images, large enough that taking
// a block (one atomic increment) is noise. Measured in bench/infer_bench.cpp.
constexpr int kBlockImages = 16;

// The live images of one block and their activations (CSR over the live images only).
struct Block {
  std::vector<std::int32_t> image, row_begin, cols;
  std::vector<float> vals;
  void clear() {
    image.clear();
    row_begin.assign(1, 0);
    cols.clear();
    vals.clear();
  }
};

struct Scratch {
  std::vector<float> acc;
  std::vector<std::uint64_t> touched;
  std::vector<std::int32_t> row_cols;
  std::vector<float> row_vals;
  explicit Scratch(int n) : acc(n, 0.0f), touched((n + 63) / 64, 0), row_cols(n), row_vals(n) {}
};

// Y_k for one block: in → out, dead images dropped.
void run_block(const LayerSlice::View& w, const Block& in, Block& out, Scratch& s) {
  out.clear();
  for (std::size_t r = 0; r < in.image.size(); ++r) {
    const std::int32_t begin = in.row_begin[r], end = in.row_begin[r + 1];
    const int n = detail::layer_row(w, in.cols.data() + begin, in.vals.data() + begin, end - begin, s.acc.data(),
                                    s.touched.data(), s.row_cols.data(), s.row_vals.data());
    if (n == 0) continue;
    out.image.push_back(in.image[r]);
    out.cols.insert(out.cols.end(), s.row_cols.begin(), s.row_cols.begin() + n);
    out.vals.insert(out.vals.end(), s.row_vals.begin(), s.row_vals.begin() + n);
    out.row_begin.push_back(static_cast<std::int32_t>(out.cols.size()));
  }
}

}  // namespace

Activations infer(const Network& net, const Activations& images, const InferOptions& options) {
  if (net.layers.empty()) throw std::invalid_argument("infer: the network has no layers");
  if (images.cols() != net.neurons)
    throw std::invalid_argument("infer: images have " + std::to_string(images.cols()) + " columns, the network " +
                                std::to_string(net.neurons) + " neurons");
  const int n_images = static_cast<int>(images.rows());
  const int n_blocks = (n_images + kBlockImages - 1) / kBlockImages;
  const int layers = net.num_layers();
  const int threads = std::clamp(options.threads, 1, std::max(1, n_blocks));

  std::vector<LayerSlice> slices;
  slices.reserve(layers);
  for (const Layer& layer : net.layers) slices.emplace_back(layer, net.ymax);

  // cur[b] holds block b's activations before the layer, next[b] after; swapped per layer.
  std::vector<Block> cur(n_blocks), next(n_blocks);
  for (int b = 0; b < n_blocks; ++b) {
    Block& blk = cur[b];
    blk.clear();
    for (int r = b * kBlockImages; r < std::min(n_images, (b + 1) * kBlockImages); ++r) {
      std::int32_t nnz = 0;
      for (Activations::InnerIterator it(images, r); it; ++it) {
        blk.cols.push_back(static_cast<std::int32_t>(it.col()));
        blk.vals.push_back(it.value());
        ++nnz;
      }
      if (nnz == 0) continue;
      blk.image.push_back(r);
      blk.row_begin.push_back(static_cast<std::int32_t>(blk.cols.size()));
    }
  }

  std::vector<std::atomic<int>> taken(layers);
  for (auto& t : taken) t.store(0);
  std::barrier sync(threads, [&]() noexcept { std::swap(cur, next); });
  auto work = [&](int) {
    Scratch scratch(net.neurons);
    for (int k = 0; k < layers; ++k) {
      const LayerSlice::View w = slices[k].view();
      for (int b; (b = taken[k].fetch_add(1, std::memory_order_relaxed)) < n_blocks;)
        run_block(w, cur[b], next[b], scratch);
      sync.arrive_and_wait();
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  }

  std::int64_t nnz = 0;
  for (const Block& blk : cur) nnz += static_cast<std::int64_t>(blk.cols.size());
  Activations y(n_images, net.neurons);
  y.resizeNonZeros(static_cast<Eigen::Index>(nnz));
  std::int32_t* outer = y.outerIndexPtr();
  std::fill(outer, outer + n_images + 1, 0);
  std::int64_t at = 0;
  for (const Block& blk : cur) {  // blocks and their live images are in ascending image order
    for (std::size_t r = 0; r < blk.image.size(); ++r) outer[blk.image[r] + 1] = blk.row_begin[r + 1] - blk.row_begin[r];
    std::copy(blk.cols.begin(), blk.cols.end(), y.innerIndexPtr() + at);
    std::copy(blk.vals.begin(), blk.vals.end(), y.valuePtr() + at);
    at += static_cast<std::int64_t>(blk.cols.size());
  }
  for (int r = 0; r < n_images; ++r) outer[r + 1] += outer[r];
  return y;
}

double edges_per_second(const Network& net, std::int64_t images, double seconds) {
  return seconds > 0 ? static_cast<double>(images) * static_cast<double>(net.total_nnz()) / seconds : 0.0;
}

}  // namespace engine
