// CommPlan: checked against a brute-force dense computation written here, and a hand example.
#include "engine/plan/comm_plan.hpp"

#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cstdint>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <vector>

#include "engine/partition/partition_stats.hpp"

namespace {

// A random N×N layer with about `per_row` nonzeros per row (some rows empty), seeded.
engine::SparseMatrix random_layer(int n, int per_row, std::mt19937& rng) {
  std::vector<Eigen::Triplet<float, std::int32_t>> entries;
  std::uniform_int_distribution<int> col(0, n - 1), coin(0, 4);
  for (int i = 0; i < n; ++i) {
    if (coin(rng) == 0) continue;  // an empty row: never sent
    for (int e = 0; e < per_row; ++e) entries.emplace_back(i, col(rng), 1.0f);
  }
  engine::SparseMatrix w(n, n);
  w.setFromTriplets(entries.begin(), entries.end());
  return w;
}

// Reference: for every layer and (s, t), scan the dense weights; row i goes s → t when s owns it
// in layer k−1, t ≠ s, and some column t owns in layer k reads it.
std::vector<std::vector<engine::Transfer>> dense_reference(const engine::Network& net, const engine::Partition& part) {
  std::vector<std::vector<engine::Transfer>> out;
  for (int k = 1; k <= net.num_layers(); ++k) {
    const Eigen::MatrixXf dense = Eigen::MatrixXf(net.layers[k - 1].weights);
    std::vector<engine::Transfer> layer;
    for (int s = 0; s < part.parts; ++s)
      for (int t = 0; t < part.parts; ++t) {
        if (s == t) continue;
        engine::Transfer tr{s, t, {}};
        for (int i = 0; i < net.neurons; ++i) {
          if (part.owner[k - 1][i] != s) continue;
          bool needed = false;
          for (int j = 0; j < net.neurons; ++j) needed = needed || (part.owner[k][j] == t && dense(i, j) != 0.0f);
          if (needed) tr.rows.push_back(i);
        }
        if (!tr.rows.empty()) layer.push_back(tr);
      }
    out.push_back(layer);
  }
  return out;
}

}  // namespace

TEST_CASE("comm plan: a hand-made two-layer network") {
  // 4 neurons, 2 workers. Layer 1: W(0,3), W(1,0), W(2,1), W(3,2); layer 2: W(0,0), W(0,3), W(2,2).
  engine::Network net;
  net.neurons = 4;
  net.layers.resize(2);
  auto set = [](engine::SparseMatrix& w, std::vector<std::pair<int, int>> nz) {
    w.resize(4, 4);
    std::vector<Eigen::Triplet<float, std::int32_t>> t;
    for (auto [i, j] : nz) t.emplace_back(i, j, 0.5f);
    w.setFromTriplets(t.begin(), t.end());
  };
  set(net.layers[0].weights, {{0, 3}, {1, 0}, {2, 1}, {3, 2}});
  set(net.layers[1].weights, {{0, 0}, {0, 3}, {2, 2}});
  engine::Partition part;
  part.parts = 2;
  part.owner = {{0, 0, 1, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}};
  const auto plan = engine::make_comm_plan(net, part);
  REQUIRE(plan.layers == 2);
  // Layer 1: row 0 (worker 0) feeds column 3 (worker 1); row 2 (worker 1) feeds column 1 (worker 1):
  // local; row 3 (worker 1) feeds column 2 (worker 0); row 1 (worker 0) feeds column 0 (worker 0).
  CHECK(plan.transfers[0] == std::vector<engine::Transfer>{{0, 1, {0}}, {1, 0, {3}}});
  // Layer 2: row 0 (worker 0 in layer 1) feeds columns 0 (w0) and 3 (w1): sent once, to w1;
  // row 2 (worker 0) feeds column 2 (worker 1).
  CHECK(plan.transfers[1] == std::vector<engine::Transfer>{{0, 1, {0, 2}}});
  CHECK(plan.total_rows() == 4);
}

TEST_CASE("comm plan: equals a dense brute force on random networks") {
  for (const unsigned seed : {1u, 2u, 3u}) {
    std::printf("comm plan brute force: seed %u\n", seed);
    std::mt19937 rng(seed);
    for (const int parts : {1, 2, 3, 5}) {
      CAPTURE(seed);
      CAPTURE(parts);
      engine::Network net;
      net.neurons = 37;
      for (int k = 0; k < 3; ++k) net.layers.push_back({random_layer(net.neurons, 3, rng), -0.3f});
      engine::Partition part;
      part.parts = parts;
      std::uniform_int_distribution<int> owner(0, parts - 1);
      for (int k = 0; k <= 3; ++k) {
        part.owner.emplace_back();
        for (int i = 0; i < net.neurons; ++i) part.owner.back().push_back(owner(rng));
      }
      const auto plan = engine::make_comm_plan(net, part);
      CHECK(plan.parts == parts);
      CHECK(plan.transfers == dense_reference(net, part));
      // The statistics count the same rows, computed another way.
      const auto stats = engine::partition_stats(net, part);
      CHECK(stats.total_rows_sent == plan.total_rows());
      for (int k = 0; k < 3; ++k) {
        std::int64_t rows = 0;
        for (const auto& t : plan.transfers[k]) rows += static_cast<std::int64_t>(t.rows.size());
        CHECK(stats.rows_sent[k] == rows);
      }
    }
  }
}

TEST_CASE("comm plan: a partition that does not fit the network is refused") {
  engine::Network net;
  net.neurons = 3;
  net.layers.push_back({engine::SparseMatrix(3, 3), 0.0f});
  engine::Partition part;
  part.parts = 2;
  part.owner = {{0, 1, 0}};  // one layer of owners short
  CHECK_THROWS_AS(engine::make_comm_plan(net, part), std::invalid_argument);
  part.owner = {{0, 1, 0}, {0, 1}};  // a neuron without an owner
  CHECK_THROWS_AS(engine::make_comm_plan(net, part), std::invalid_argument);
  part.owner = {{0, 1, 0}, {0, 2, 1}};  // owner beyond the parts
  CHECK_THROWS_AS(engine::make_comm_plan(net, part), std::invalid_argument);
}
