// Generator: the RadiX-Net rule against the official n1024 files, and the shape of larger networks.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "engine/model/generate.hpp"
#include "engine/model/matrix_market.hpp"

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

}  // namespace

TEST_CASE("generate: N=1024 layers 1-6 equal the official files bit for bit") {
  const engine::Network net = engine::generate_network(1024, 8, 1);
  for (int k = 1; k <= 6; ++k) {
    CAPTURE(k);
    const auto official = engine::read_matrix_market(kData + "n1024-l" + std::to_string(k) + ".mtx");
    CHECK(same_bits(net.layers[k - 1].weights, official));
  }
  CHECK(net.layers[0].bias == doctest::Approx(-0.3f));
}

TEST_CASE("generate: the rule, written out, for layer 3 of N=1024") {
  // W(r, c) = 1/16 exactly when c mod 64 = r mod 64 or c mod 64 = (r − 4) mod 64.
  const engine::Network net = engine::generate_network(1024, 3, 7);
  const auto& w = net.layers[2].weights;
  long count = 0;
  for (int r = 0; r < 1024; r += 37)
    for (int c = 0; c < 1024; ++c) {
      const bool want = c % 64 == r % 64 || c % 64 == ((r - 4) % 64 + 64) % 64;
      CHECK(w.coeff(r, c) == (want ? 0.0625f : 0.0f));
      count += want;
    }
  CHECK(count == 28 * 32);
}

TEST_CASE("generate: later layers are row permutations, 32 per row and column, seeded") {
  for (int n : {64, 4096}) {
    CAPTURE(n);
    const std::uint64_t seed = 11;
    MESSAGE("seed " << seed);
    const engine::Network a = engine::generate_network(n, 14, seed);
    const engine::Network b = engine::generate_network(n, 14, seed);
    const engine::Network c = engine::generate_network(n, 14, seed + 1);
    CHECK(a.num_layers() == 14);
    bool differs = false;
    for (int k = 0; k < 14; ++k) {
      const auto& w = a.layers[k].weights;
      CHECK(same_bits(w, b.layers[k].weights));
      differs = differs || !same_bits(w, c.layers[k].weights);
      std::vector<int> per_col(n, 0);
      for (int r = 0; r < n; ++r) {
        CHECK(w.outerIndexPtr()[r + 1] - w.outerIndexPtr()[r] == 32);
        for (engine::SparseMatrix::InnerIterator it(w, r); it; ++it) ++per_col[it.col()];
      }
      CHECK(std::set<int>(per_col.begin(), per_col.end()) == std::set<int>{32});
    }
    CHECK(differs);  // the seed matters beyond the unpermuted first layers
  }
}

TEST_CASE("generate: bias and rejected sizes") {
  CHECK(engine::generate_network(4096, 1, 1).layers[0].bias == doctest::Approx(-0.35f));
  CHECK(engine::generated_bias(16384) == doctest::Approx(-0.40f));
  CHECK(engine::generated_bias(65536) == doctest::Approx(-0.45f));
  CHECK_THROWS_AS(engine::generate_network(1000, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(engine::generate_network(16, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(engine::generate_network(1024, 0, 1), std::invalid_argument);
}
