// ProfileKernel: block sizes follow the density profile, flops follow the weights' column counts
// (2 per multiply-add, as the real kernel counts), and the same seed gives the same blocks.
// Expected values are computed here from the network and partition with plain loops.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "engine/model/generate.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/layer_structure.hpp"
#include "sim/profile_kernel.hpp"

namespace {

struct Setup {
  engine::Network net = engine::generate_network(64, 3, 5);
  engine::Partition partition;
  engine::LayerStructure structure;  // what the kernel reads; the checks read net and partition
  sim::DensityProfile profile{{0.5, 0.25, 0.1}};  // layer 3 reuses 0.1
  Setup() {
    engine::PartitionOptions po;
    po.method = engine::PartitionMethod::kContiguous;
    po.parts = 2;
    partition = engine::partition_network(net, po);
    structure = engine::full_structure(net, po);
  }
};

}  // namespace

TEST_CASE("profile blocks: each row carries round(B·density[k−1]) distinct ascending images") {
  Setup s;
  sim::ProfileKernel k(s.structure, s.profile, 200, 0, 1);
  const std::vector<std::int32_t> rows{1, 5, 9};
  const engine::RowBlock b = k.rows_for(2, rows);  // layer 2 sends Y_1: density 0.25 → 50 per row
  REQUIRE(b.rows() == 3);
  CHECK(b.neurons == rows);
  for (std::size_t r = 0; r < b.rows(); ++r) {
    CHECK(b.offsets[r + 1] - b.offsets[r] == 50);
    for (auto e = b.offsets[r] + 1; e < b.offsets[r + 1]; ++e) CHECK(b.images[e] > b.images[e - 1]);
    for (auto e = b.offsets[r]; e < b.offsets[r + 1]; ++e) {
      CHECK(b.images[e] >= 0);
      CHECK(b.images[e] < 200);
      CHECK(b.values[e] > 0.0f);
      CHECK(b.values[e] <= 32.0f);
    }
  }
  sim::ProfileKernel again(s.structure, s.profile, 200, 0, 1);
  CHECK(again.rows_for(2, rows) == b);
  CHECK(k.rows_for(4, rows).offsets[1] == 20);  // past the profile: the last density, 0.1 × 200
}

TEST_CASE("profile flops: 2 · nnz of W_k in owned columns · B · density[k−1]") {
  Setup s;
  for (int self = 0; self < 2; ++self) {
    sim::ProfileKernel k(s.structure, s.profile, 200, self, 1);
    for (int layer = 1; layer <= 3; ++layer) {
      const auto& w = s.net.layers[layer - 1].weights;
      double owned_col_nnz = 0;
      for (int i = 0; i < 64; ++i)
        for (int j = 0; j < 64; ++j)
          if (w.coeff(i, j) != 0.0f && s.partition.owner[layer][j] == self) ++owned_col_nnz;
      const double want = 2 * owned_col_nnz * 200 * s.profile.density[layer - 1];
      const double got = k.compute_local(layer) + k.finish_layer(layer);
      CHECK(got == doctest::Approx(want));
      CHECK(k.compute_local(layer) > 0);  // contiguous halves: a share of the rows is local
    }
    // After layer 3 the worker owns Y_3: 32 neurons × round(200 × 0.1) nonzeros.
    CHECK(k.owned_nnz() == 32 * 20);
  }
}
