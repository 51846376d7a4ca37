#include "engine/infer/infer.hpp"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <malloc.h>
#include <limits>
#include <mutex>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "engine/infer/detail/row_kernel.hpp"
#include "engine/infer/layer_kernel.hpp"

namespace engine {
namespace {

// Images per block: small enough that 2 threads balance on 1200 images (75 blocks), large enough
// that taking a block (one atomic increment) is noise. Chosen by that argument, not tuned.
constexpr int kBlockImages = 16;

// The live images of one block and their activations (CSR over the live images only). A row
// with full[r] set is the saturated row — every neuron at ymax — and stores no entries. Column
// ids are Col: uint16 when N ≤ 65536 (6 bytes per activation instead of 8), else int32.
template <class Col>
struct Block {
  std::vector<std::int32_t> image, row_begin;
  std::vector<Col> cols;
  std::vector<float> vals;
  std::vector<char> full;
  void clear() {
    image.clear();
    row_begin.assign(1, 0);
    cols.clear();
    vals.clear();
    full.clear();
  }
  void push(std::int32_t img, const std::int32_t* c, const float* v, int n, bool saturated) {
    image.push_back(img);
    full.push_back(saturated);
    if (!saturated) {
      cols.insert(cols.end(), c, c + n);
      vals.insert(vals.end(), v, v + n);
    }
    row_begin.push_back(static_cast<std::int32_t>(cols.size()));
  }
};

// What layer k makes of the saturated row, computed once (lazily, by whichever thread needs it
// first) with the same row routine, so using it gives the very floats row-by-row work would.
struct SaturatedImage {
  std::once_flag once;
  bool saturated = false;  // the output is the saturated row again
  std::vector<std::int32_t> cols;
  std::vector<float> vals;
};

template <class Col>
struct Scratch {
  std::vector<float> acc;
  std::vector<std::uint64_t> touched;
  std::vector<std::int32_t> row_cols;
  std::vector<float> row_vals;
  Block<Col> staged;
  explicit Scratch(int n) : acc(n, 0.0f), touched((n + 63) / 64, 0), row_cols(n), row_vals(n) {}
};

bool is_saturated(const float* vals, int n, int width, float ymax) {
  return n == width && std::all_of(vals, vals + n, [ymax](float v) { return v == ymax; });
}

template <class Col>
void compute_saturated_image(const LayerSlice::View& w, SaturatedImage& img, Scratch<Col>& s) {
  std::vector<std::int32_t> all(w.width);
  for (int j = 0; j < w.width; ++j) all[j] = j;
  const std::vector<float> top(w.width, w.ymax);
  const int n = detail::layer_row(w, all.data(), top.data(), w.width, s.acc.data(), s.touched.data(),
                                  s.row_cols.data(), s.row_vals.data());
  img.saturated = is_saturated(s.row_vals.data(), n, w.width, w.ymax);
  img.cols.assign(s.row_cols.begin(), s.row_cols.begin() + n);
  img.vals.assign(s.row_vals.begin(), s.row_vals.begin() + n);
}

// Y_k for one block: in → out, dead images dropped, saturated rows mapped without work. The rows
// are staged in per-thread scratch, then out gets exactly-sized buffers and in is released, so at
// any moment the blocks hold about one layer's activations, not two (peak memory).
template <class Col>
void run_block(const LayerSlice::View& w, SaturatedImage& sat, Block<Col>& in, Block<Col>& out, Scratch<Col>& s) {
  Block<Col>& staged = s.staged;
  staged.clear();
  for (std::size_t r = 0; r < in.image.size(); ++r) {
    if (in.full[r]) {
      std::call_once(sat.once, [&] { compute_saturated_image(w, sat, s); });
      if (!sat.cols.empty())
        staged.push(in.image[r], sat.cols.data(), sat.vals.data(), static_cast<int>(sat.cols.size()), sat.saturated);
      continue;
    }
    const std::int32_t begin = in.row_begin[r], end = in.row_begin[r + 1];
    const int n = detail::layer_row(w, in.cols.data() + begin, in.vals.data() + begin, end - begin, s.acc.data(),
                                    s.touched.data(), s.row_cols.data(), s.row_vals.data());
    if (n == 0) continue;
    staged.push(in.image[r], s.row_cols.data(), s.row_vals.data(), n,
                is_saturated(s.row_vals.data(), n, w.width, w.ymax));
  }
  in = Block<Col>{};
  out = Block<Col>{};
  out = staged;  // copy-assignment into empty vectors allocates exactly the staged sizes
}

template <class Col>
Activations infer_blocks(const Network& net, const Activations& images, const InferOptions& options) {
  const int n_images = static_cast<int>(images.rows());
  const int n_blocks = (n_images + kBlockImages - 1) / kBlockImages;
  const int layers = net.num_layers();
  const int threads = std::clamp(options.threads, 1, std::max(1, n_blocks));

  std::vector<LayerSlice> slices;
  slices.reserve(layers);
  for (const Layer& layer : net.layers) slices.emplace_back(layer, net.ymax);

  // cur[b] holds block b's activations before the layer, next[b] after; swapped per layer.
  std::vector<Block<Col>> cur(n_blocks), next(n_blocks);
  for (int b = 0; b < n_blocks; ++b) {
    Block<Col>& blk = cur[b];
    blk.clear();
    for (int r = b * kBlockImages; r < std::min(n_images, (b + 1) * kBlockImages); ++r) {
      const Activations::StorageIndex begin = images.outerIndexPtr()[r];
      const int nnz = images.isCompressed() ? images.outerIndexPtr()[r + 1] - begin : images.innerNonZeroPtr()[r];
      if (nnz == 0) continue;
      const float* vals = images.valuePtr() + begin;
      blk.push(r, images.innerIndexPtr() + begin, vals, nnz, is_saturated(vals, nnz, net.neurons, net.ymax));
    }
  }

  std::vector<SaturatedImage> saturated(layers);
  std::vector<std::atomic<int>> taken(layers);
  for (auto& t : taken) t.store(0);
  if (options.layer_nonzeros) options.layer_nonzeros->clear();
  std::barrier sync(threads, [&]() noexcept {
    std::swap(cur, next);
    if (!options.layer_nonzeros) return;
    std::int64_t nnz = 0;
    for (const Block<Col>& blk : cur)
      for (std::size_t r = 0; r < blk.image.size(); ++r)
        nnz += blk.full[r] ? net.neurons : blk.row_begin[r + 1] - blk.row_begin[r];
    options.layer_nonzeros->push_back(nnz);
  });
  auto work = [&](int) {
    Scratch<Col> scratch(net.neurons);
    for (int k = 0; k < layers; ++k) {
      const LayerSlice::View w = slices[k].view();
      for (int b; (b = taken[k].fetch_add(1, std::memory_order_relaxed)) < n_blocks;)
        run_block(w, saturated[k], cur[b], next[b], scratch);
      sync.arrive_and_wait();
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (int t = 0; t < threads; ++t) pool.emplace_back(work, t);
  }

  next = {};  // release everything the loop needed before allocating Y_L
  std::vector<SaturatedImage>().swap(saturated);
  std::vector<LayerSlice>().swap(slices);
#ifdef __GLIBC__
  // The blocks' buffers were freed to malloc's arenas; hand those pages back to the system before
  // Y_L is allocated, so peak memory is one copy of the activations, not two (bench: -40 MB on (b)).
  malloc_trim(0);
#endif

  // Assemble Y_L (saturated rows written out in full); blocks and their live images are in
  // ascending image order, so entries are appended row by row.
  const int n = net.neurons;
  std::int64_t nnz = 0;
  for (const Block<Col>& blk : cur)
    for (std::size_t r = 0; r < blk.image.size(); ++r)
      nnz += blk.full[r] ? n : blk.row_begin[r + 1] - blk.row_begin[r];
  if (nnz > std::numeric_limits<std::int32_t>::max()) throw std::length_error("infer: Y_L exceeds 2^31 nonzeros");
  Activations y(n_images, n);
  y.resizeNonZeros(static_cast<Eigen::Index>(nnz));
  std::int32_t* outer = y.outerIndexPtr();
  std::fill(outer, outer + n_images + 1, 0);
  std::int32_t* cols = y.innerIndexPtr();
  float* vals = y.valuePtr();
  for (const Block<Col>& blk : cur) {
    for (std::size_t r = 0; r < blk.image.size(); ++r) {
      if (blk.full[r]) {
        for (int j = 0; j < n; ++j) *cols++ = j;
        vals = std::fill_n(vals, n, net.ymax);
        outer[blk.image[r] + 1] = n;
      } else {
        const std::int32_t begin = blk.row_begin[r], end = blk.row_begin[r + 1];
        cols = std::copy(blk.cols.begin() + begin, blk.cols.begin() + end, cols);
        vals = std::copy(blk.vals.begin() + begin, blk.vals.begin() + end, vals);
        outer[blk.image[r] + 1] = end - begin;
      }
    }
  }
  for (int r = 0; r < n_images; ++r) outer[r + 1] += outer[r];
  return y;
}

}  // namespace

Activations infer(const Network& net, const Activations& images, const InferOptions& options) {
  if (net.layers.empty()) throw std::invalid_argument("infer: the network has no layers");
  if (images.cols() != net.neurons)
    throw std::invalid_argument("infer: images have " + std::to_string(images.cols()) + " columns, the network " +
                                std::to_string(net.neurons) + " neurons");
  return net.neurons <= 65536 ? infer_blocks<std::uint16_t>(net, images, options)
                              : infer_blocks<std::int32_t>(net, images, options);
}

double edges_per_second(const Network& net, std::int64_t images, double seconds) {
  return seconds > 0 ? static_cast<double>(images) * static_cast<double>(net.total_nnz()) / seconds : 0.0;
}

}  // namespace engine
