// Layer kernel: slices of the output neurons, fed only the inputs they need, add up to the serial
// engine's activations bit for bit; categories; argument checks.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/network_io.hpp"

namespace {

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024/";

bool same_bits(const engine::SparseMatrix& a, const engine::SparseMatrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols() || a.nonZeros() != b.nonZeros()) return false;
  for (Eigen::Index r = 0; r <= a.outerSize(); ++r)
    if (a.outerIndexPtr()[r] != b.outerIndexPtr()[r]) return false;
  for (Eigen::Index i = 0; i < a.nonZeros(); ++i)
    if (a.innerIndexPtr()[i] != b.innerIndexPtr()[i] || a.valuePtr()[i] != b.valuePtr()[i]) return false;
  return true;
}

// Keeps only the columns listed (ascending) — what a worker holds after receiving its inputs.
engine::Activations keep_columns(const engine::Activations& y, const std::vector<std::int32_t>& cols) {
  std::vector<char> keep(y.cols(), 0);
  for (auto c : cols) keep[c] = 1;
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  for (int r = 0; r < y.outerSize(); ++r)
    for (engine::Activations::InnerIterator it(y, r); it; ++it)
      if (keep[it.col()]) t.emplace_back(r, it.col(), it.value());
  engine::Activations out(y.rows(), y.cols());
  out.setFromTriplets(t.begin(), t.end());
  return out;
}

// The distributed computation of every layer, P workers with random neuron owners.
engine::Activations by_slices(const engine::Network& net, engine::Activations y, int parts, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (const engine::Layer& layer : net.layers) {
    std::vector<std::vector<std::int32_t>> owned(parts);
    for (int j = 0; j < net.neurons; ++j) owned[rng() % parts].push_back(j);
    engine::Activations sum(y.rows(), y.cols());
    for (int p = 0; p < parts; ++p) {
      const engine::LayerSlice slice(layer, owned[p], net.ymax);
      const engine::Activations mine = engine::apply_layer(slice, keep_columns(y, slice.needed_inputs()), 1 + p % 2);
      long foreign = 0;  // outputs outside the owned columns
      for (int r = 0; r < mine.outerSize(); ++r)
        for (engine::Activations::InnerIterator it(mine, r); it; ++it)
          foreign += !std::binary_search(owned[p].begin(), owned[p].end(), static_cast<std::int32_t>(it.col()));
      CHECK(foreign == 0);
      sum = engine::Activations(sum + mine);
    }
    y = sum;
  }
  return y;
}

}  // namespace

TEST_CASE("layer kernel: slices of the shared network add up to the serial engine, bit for bit") {
  const engine::Network net = engine::read_network(kData, 1024, 12);
  const engine::Activations images = engine::read_images(kData + "sparse-images-1024_subset.mtx", 1024);
  const std::uint64_t seed = 5;
  MESSAGE("seed " << seed);
  const engine::Activations serial = engine::infer(net, images);
  for (int parts : {1, 3, 8}) {
    CAPTURE(parts);
    CHECK(same_bits(by_slices(net, images, parts, seed), serial));
  }
}

TEST_CASE("layer kernel: the whole-layer slice equals one infer layer; thread count does not matter") {
  const engine::Network net = engine::generate_network(4096, 1, 3);
  engine::Activations images(50, 4096);
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  std::mt19937_64 rng(3);
  for (int b = 0; b < 50; ++b)
    for (int k = 0; k < 300; ++k) t.emplace_back(b, rng() % 4096, 1.0f);
  images.setFromTriplets(t.begin(), t.end(), [](float a, float) { return a; });
  const engine::LayerSlice whole(net.layers[0], net.ymax);
  CHECK(whole.uniform_weights());
  CHECK(whole.needed_inputs().size() == 4096);
  const engine::Activations one = engine::apply_layer(whole, images, 1);
  CHECK(same_bits(one, engine::infer(net, images)));
  CHECK(same_bits(engine::apply_layer(whole, images, 2), one));
  CHECK(same_bits(engine::apply_layer(whole, images, 7), one));
}

TEST_CASE("layer kernel: needed inputs are the rows of W with a nonzero in an owned column") {
  const engine::Network net = engine::generate_network(1024, 1, 1);
  // Layer 1: column 0 holds rows r with r mod 64 ∈ {0, 1}.
  const std::vector<std::int32_t> own{0};
  const engine::LayerSlice slice(net.layers[0], own, net.ymax);
  std::vector<std::int32_t> want;
  for (int r = 0; r < 1024; ++r)
    if (r % 64 <= 1) want.push_back(r);
  CHECK(slice.needed_inputs() == want);
}

TEST_CASE("layer kernel: categories are the rows with a nonzero") {
  engine::Activations y(5, 4);
  y.insert(1, 2) = 1.0f;
  y.insert(4, 0) = 3.0f;
  y.makeCompressed();
  CHECK(engine::categories(y) == std::vector<std::int32_t>{1, 4});
}

TEST_CASE("layer kernel: bad slices and widths are rejected") {
  const engine::Network net = engine::generate_network(64, 1, 1);
  const std::vector<std::int32_t> out_of_range{3, 64}, repeated{5, 5};
  CHECK_THROWS_AS(engine::LayerSlice(net.layers[0], out_of_range, 32.0f), std::invalid_argument);
  CHECK_THROWS_AS(engine::LayerSlice(net.layers[0], repeated, 32.0f), std::invalid_argument);
  const engine::LayerSlice whole(net.layers[0], 32.0f);
  CHECK_THROWS_AS(engine::apply_layer(whole, engine::Activations(2, 63)), std::invalid_argument);
}

TEST_CASE("layer kernel: the serial engine's saturated-row shortcut equals layer-by-layer kernels") {
  // Dense random inputs drive a generated network to rows of all-32 within a few layers; infer()
  // then stops computing them. Applying the kernel layer by layer does the full work.
  const std::uint64_t seed = 17;
  MESSAGE("seed " << seed);
  const engine::Network net = engine::generate_network(1024, 16, seed);
  std::mt19937_64 rng(seed);
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  for (int b = 0; b < 60; ++b)
    for (int j = 0; j < 1024; ++j)
      if (rng() % 100 < static_cast<unsigned>(b)) t.emplace_back(b, j, 1.0f);  // densities 0%..59%
  engine::Activations images(60, 1024);
  images.setFromTriplets(t.begin(), t.end());
  engine::Activations y = images;
  std::vector<std::int64_t> want_nnz;
  for (const auto& layer : net.layers) {
    y = engine::apply_layer(engine::LayerSlice(layer, net.ymax), y);
    want_nnz.push_back(y.nonZeros());
  }
  long saturated_rows = 0;
  for (int b = 0; b < y.rows(); ++b) saturated_rows += y.row(b).nonZeros() == 1024 && y.row(b).sum() == 1024 * 32.0f;
  MESSAGE("saturated rows after 16 layers: " << saturated_rows);
  CHECK(saturated_rows > 10);
  CHECK(saturated_rows < 60);
  for (int threads : {1, 2}) {
    std::vector<std::int64_t> nnz;
    CHECK(same_bits(engine::infer(net, images, {.threads = threads, .layer_nonzeros = &nnz}), y));
    CHECK(nnz == want_nnz);  // the density profile counts saturated rows in full
  }
}
