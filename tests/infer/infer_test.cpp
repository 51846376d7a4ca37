// Serial engine: the official truth on the shared data, and a dense double reference on the shared
// data and on generated networks, for several layer counts and thread counts.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/matrix_market.hpp"
#include "engine/model/network_io.hpp"
#include "reference.hpp"

namespace {

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024/";

// Every image row of the engine's Y equals the reference's to float precision.
void check_against_reference(const engine::Activations& y, const ref::Dense& want) {
  REQUIRE(y.rows() == static_cast<Eigen::Index>(want.size()));
  const ref::Dense got = ref::to_dense(y);
  long mismatches = 0, nonzeros = 0;
  for (std::size_t b = 0; b < want.size(); ++b)
    for (std::size_t j = 0; j < want[b].size(); ++j) {
      nonzeros += want[b][j] != 0.0;
      if ((got[b][j] != 0.0) != (want[b][j] != 0.0) || std::abs(got[b][j] - want[b][j]) > 1e-4 * (1 + want[b][j]))
        ++mismatches;
    }
  CHECK(mismatches == 0);
  MESSAGE("reference nonzeros in Y_L: " << nonzeros);
}

engine::Activations random_images(int count, int neurons, double density, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::bernoulli_distribution on(density);
  std::vector<Eigen::Triplet<float, std::int32_t>> t;
  for (int b = 0; b < count; ++b)
    for (int j = 0; j < neurons; ++j)
      if (on(rng)) t.emplace_back(b, j, 1.0f);
  engine::Activations y(count, neurons);
  y.setFromTriplets(t.begin(), t.end());
  return y;
}

}  // namespace

TEST_CASE("infer: 30 shared layers reproduce the official 19 categories, 1 and 2 threads") {
  const engine::Network net = engine::read_network(kData, 1024, 30);
  const engine::Activations images = engine::read_images(kData + "sparse-images-1024_subset.mtx", 1024);
  REQUIRE(images.rows() == 1200);
  const engine::SparseMatrix truth = engine::read_matrix_market(kData + "neuron1024-l120-categories_subset.mtx");
  const std::vector<std::int32_t> want = engine::categories(truth);
  REQUIRE(want.size() == 19);
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    CHECK(engine::categories(engine::infer(net, images, {.threads = threads})) == want);
  }
}

TEST_CASE("infer: shared data against the dense double reference (every 8th image)") {
  for (int layers : {1, 6, 30}) {
    CAPTURE(layers);
    const engine::Network net = engine::read_network(kData, 1024, layers);
    const engine::Activations all = engine::read_images(kData + "sparse-images-1024_subset.mtx", 1024);
    std::vector<Eigen::Triplet<float, std::int32_t>> t;
    for (int b = 0; b < all.rows(); b += 8)
      for (engine::Activations::InnerIterator it(all, b); it; ++it) t.emplace_back(b / 8, it.col(), it.value());
    engine::Activations images((all.rows() + 7) / 8, 1024);
    images.setFromTriplets(t.begin(), t.end());
    const ref::Dense want = ref::infer(net, ref::to_dense(images));
    for (int threads : {1, 2}) {
      CAPTURE(threads);
      check_against_reference(engine::infer(net, images, {.threads = threads}), want);
    }
  }
}

TEST_CASE("infer: generated networks against the dense double reference") {
  const std::uint64_t seed = 20240501;
  MESSAGE("seed " << seed);
  for (int neurons : {64, 256}) {
    for (int layers : {1, 5, 12}) {
      CAPTURE(neurons);
      CAPTURE(layers);
      const engine::Network net = engine::generate_network(neurons, layers, seed);
      const engine::Activations images = random_images(70, neurons, 0.3, seed + layers);
      const ref::Dense want = ref::infer(net, ref::to_dense(images));
      for (int threads : {1, 2, 3}) {
        CAPTURE(threads);
        check_against_reference(engine::infer(net, images, {.threads = threads}), want);
      }
    }
  }
}

TEST_CASE("infer: non-uniform weights and a positive bias follow the structural rule") {
  // Weights of both signs: Z can be exactly zero on a structural nonzero; with bias +0.5 that
  // entry must become 0.5 (bias on structural nonzeros), while untouched entries stay 0.
  const std::uint64_t seed = 99;
  MESSAGE("seed " << seed);
  engine::Network net = engine::generate_network(64, 4, seed);
  std::mt19937_64 rng(seed);
  for (auto& layer : net.layers) {
    for (int i = 0; i < layer.weights.nonZeros(); ++i) layer.weights.valuePtr()[i] = (rng() % 2 ? 0.25f : -0.25f);
    layer.bias = 0.5f;
  }
  const engine::Activations images = random_images(40, 64, 0.2, seed);
  const ref::Dense want = ref::infer(net, ref::to_dense(images));
  for (int threads : {1, 2}) check_against_reference(engine::infer(net, images, {.threads = threads}), want);
}

TEST_CASE("infer: edges per second is images × Σ nnz(W) / seconds") {
  const engine::Network net = engine::generate_network(64, 3, 1);  // 3 × 64 × 32 = 6144 edges
  CHECK(engine::edges_per_second(net, 10, 2.0) == doctest::Approx(10.0 * 6144 / 2.0));
}

TEST_CASE("infer: mismatched widths are rejected") {
  const engine::Network net = engine::generate_network(64, 2, 1);
  CHECK_THROWS_AS(engine::infer(net, engine::Activations(3, 32)), std::invalid_argument);
  CHECK_THROWS_AS(engine::infer(engine::Network{}, engine::Activations(3, 32)), std::invalid_argument);
}
