// LayerStructure: the structure profile mode simulates. References are built here independently:
// the whole network generated, partitioned by partition_network and planned by make_comm_plan,
// pattern hashes and counts computed with plain loops over the weights.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/model/generate.hpp"
#include "engine/model/network_io.hpp"
#include "engine/partition/partition.hpp"
#include "engine/plan/comm_plan.hpp"
#include "engine/plan/layer_structure.hpp"

namespace {

using Pattern = std::vector<std::vector<std::int32_t>>;  // column lists, one per row

Pattern pattern_of(const engine::SparseMatrix& w) {
  Pattern p(static_cast<std::size_t>(w.rows()));
  for (int i = 0; i < w.outerSize(); ++i)
    for (engine::SparseMatrix::InnerIterator it(w, i); it; ++it) p[static_cast<std::size_t>(i)].push_back(it.col());
  return p;
}

Pattern sorted_rows(Pattern p) {  // the multiset of rows: equal iff the layers differ by a row permutation
  std::sort(p.begin(), p.end());
  return p;
}

engine::PartitionOptions options(engine::PartitionMethod method, int parts, std::uint64_t seed) {
  engine::PartitionOptions po;
  po.method = method;
  po.parts = parts;
  po.seed = seed;
  std::printf("partition %s, P = %d, seed %llu\n", engine::to_string(method), parts,
              static_cast<unsigned long long>(seed));
  return po;
}

std::int64_t layer_rows(const std::vector<engine::Transfer>& transfers) {
  std::int64_t n = 0;
  for (const auto& t : transfers) n += static_cast<std::int64_t>(t.rows.size());
  return n;
}

// Every lookup of `s` for layer k against the reference partition and plan of the whole network.
void check_layer_equals_full(const engine::LayerStructure& s, int k, const engine::Network& net,
                             const engine::Partition& partition, const engine::CommPlan& plan) {
  CAPTURE(k);
  CHECK(s.plan.layer(k) == plan.transfers[static_cast<std::size_t>(k - 1)]);
  CHECK(s.input_owner(k) == partition.owner[static_cast<std::size_t>(k - 1)]);
  CHECK(s.output_owner(k) == partition.owner[static_cast<std::size_t>(k)]);
  for (int p = 0; p < partition.parts; ++p) {
    std::int64_t col_nnz = 0;
    const auto& w = net.layers[static_cast<std::size_t>(k - 1)].weights;
    for (int i = 0; i < w.outerSize(); ++i)
      for (engine::SparseMatrix::InnerIterator it(w, i); it; ++it)
        col_nnz += partition.owner[static_cast<std::size_t>(k)][static_cast<std::size_t>(it.col())] == p;
    CHECK(s.owned_weights(k, p) == col_nnz);
    CHECK(s.owned_output_neurons(k, p) == std::count(partition.owner[static_cast<std::size_t>(k)].begin(),
                                                     partition.owner[static_cast<std::size_t>(k)].end(), p));
    CHECK(s.owned_input_neurons(k, p) == std::count(partition.owner[static_cast<std::size_t>(k - 1)].begin(),
                                                    partition.owner[static_cast<std::size_t>(k - 1)].end(), p));
  }
}

}  // namespace

TEST_CASE("generated and official layers: rows repeat with period log2(N/16) up to a permutation, patterns never") {
  for (const int n : {1024, 4096}) {
    const int period = engine::generated_pattern_period(n);
    CHECK(period == static_cast<int>(std::log2(n / 16)));
    const engine::Network net = engine::generate_network(n, 4 * period, 1);
    std::set<Pattern> distinct;
    for (int k = 1; k <= net.num_layers(); ++k) {
      CAPTURE(n);
      CAPTURE(k);
      const Pattern p = pattern_of(net.layers[static_cast<std::size_t>(k - 1)].weights);
      distinct.insert(p);
      if (k > period)
        CHECK(sorted_rows(p) == sorted_rows(pattern_of(net.layers[static_cast<std::size_t>(k - 1 - period)].weights)));
      if (k > 1)  // a different base pattern from the layer before
        CHECK(sorted_rows(p) != sorted_rows(pattern_of(net.layers[static_cast<std::size_t>(k - 2)].weights)));
    }
    CHECK(distinct.size() == static_cast<std::size_t>(net.num_layers()));  // no exact period
  }
  // The official n1024 files have the same structure: 30 distinct layers, rows of period 6.
  const engine::Network official = engine::read_network(std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024", 1024, 30);
  std::set<Pattern> distinct;
  for (int k = 1; k <= 30; ++k) {
    CAPTURE(k);
    const Pattern p = pattern_of(official.layers[static_cast<std::size_t>(k - 1)].weights);
    distinct.insert(p);
    if (k > 6) CHECK(sorted_rows(p) == sorted_rows(pattern_of(official.layers[static_cast<std::size_t>(k - 7)].weights)));
  }
  CHECK(distinct.size() == 30u);
}

TEST_CASE("full structure: every layer's plan, owners and counts equal partition_network + make_comm_plan") {
  const engine::Network net = engine::generate_network(256, 10, 3);
  const auto po = options(engine::PartitionMethod::kHypergraph, 4, 7);
  const engine::Partition partition = engine::partition_network(net, po);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);
  const engine::LayerStructure s = engine::full_structure(net, po);
  REQUIRE(s.layers() == 10);
  CHECK(s.plan == plan);  // stored as is: no layer_pattern
  CHECK(s.plan.layer_pattern.empty());
  CHECK(s.output_owner(0) == partition.owner[0]);
  for (int k = 1; k <= 10; ++k) check_layer_equals_full(s, k, net, partition, plan);
}

TEST_CASE("periodic structure of a network that does repeat: equal to the full plan, layer by layer") {
  // Layers copied with period 4 and one contiguous partition for all layers: layer k's plan is
  // layer k − 4's, so the periodic structure must be exact for all 20 layers.
  const engine::Network first = engine::generate_network(128, 8, 11);
  engine::Network repeated;
  repeated.neurons = 128;
  for (int k = 1; k <= 20; ++k)
    repeated.layers.push_back(first.layers[static_cast<std::size_t>(k <= 8 ? k - 1 : 4 + (k - 9) % 4)]);
  const auto po = options(engine::PartitionMethod::kContiguous, 3, 1);
  const engine::Partition partition = engine::partition_network(repeated, po);
  const engine::CommPlan plan = engine::make_comm_plan(repeated, partition);
  const engine::LayerStructure s = engine::periodic_structure(first, 20, 4, po);
  REQUIRE(s.layers() == 20);
  CHECK(s.plan.transfers.size() == 8u);  // 8 layers stored for 20
  CHECK(s.plan.total_rows() == plan.total_rows());
  for (int k = 1; k <= 20; ++k) check_layer_equals_full(s, k, repeated, partition, plan);
}

TEST_CASE("periodic structure of a generated network: built layers exact, later ones of the same base pattern") {
  const int n = 256, period = engine::generated_pattern_period(n), layers = 30, built = 2 * period;
  const engine::Network net = engine::generate_network(n, layers, 5);
  const auto po = options(engine::PartitionMethod::kHypergraph, 6, 3);
  const engine::Partition partition = engine::partition_network(net, po);
  const engine::CommPlan plan = engine::make_comm_plan(net, partition);
  const engine::LayerStructure s = engine::periodic_structure(engine::generate_network(n, built, 5), layers, period, po);
  REQUIRE(s.layers() == layers);
  REQUIRE(s.built.num_layers() == built);
  CHECK(s.plan.layer_pattern.size() == static_cast<std::size_t>(layers));
  for (int k = 1; k <= built; ++k) check_layer_equals_full(s, k, net, partition, plan);
  for (int k = built + 1; k <= layers; ++k) {
    CAPTURE(k);
    const int r = s.built_layer(k);
    CHECK(r > built - period);  // one of the last built period: permuted, like layer k
    CHECK(r <= built);
    CHECK((r - k) % period == 0);
    CHECK(sorted_rows(pattern_of(s.built.layers[static_cast<std::size_t>(r - 1)].weights)) ==
          sorted_rows(pattern_of(net.layers[static_cast<std::size_t>(k - 1)].weights)));
    CHECK(&s.plan.layer(k) == &s.plan.transfers[static_cast<std::size_t>(r - 1)]);
  }
}

TEST_CASE("periodic model: rows sent per layer track the whole network's plan (n1024, 48 layers)") {
  // The model's claim: a permuted layer's traffic is that of any permuted layer of its base
  // pattern. Compare per base pattern the mean rows per layer over layers 13..48 of the real plan
  // with what the periodic structure sends for the same layers.
  const int n = 1024, period = engine::generated_pattern_period(n), layers = 48, built = 2 * period;
  const engine::Network net = engine::generate_network(n, layers, 1);
  const auto po = options(engine::PartitionMethod::kHypergraph, 8, 1);
  const engine::CommPlan plan = engine::make_comm_plan(net, engine::partition_network(net, po));
  const engine::LayerStructure s = engine::periodic_structure(engine::generate_network(n, built, 1), layers, period, po);
  std::int64_t full_total = 0, model_total = 0, full_pairs = 0, model_pairs = 0;
  for (int k = built + 1; k <= layers; ++k) {
    full_total += layer_rows(plan.transfers[static_cast<std::size_t>(k - 1)]);
    model_total += layer_rows(s.plan.layer(k));
    full_pairs += static_cast<std::int64_t>(plan.transfers[static_cast<std::size_t>(k - 1)].size());
    model_pairs += static_cast<std::int64_t>(s.plan.layer(k).size());
  }
  std::printf("layers %d..%d: rows full %lld, periodic %lld; pairs full %lld, periodic %lld\n", built + 1, layers,
              static_cast<long long>(full_total), static_cast<long long>(model_total),
              static_cast<long long>(full_pairs), static_cast<long long>(model_pairs));
  CHECK(static_cast<double>(model_total) == doctest::Approx(static_cast<double>(full_total)).epsilon(0.03));
  CHECK(static_cast<double>(model_pairs) == doctest::Approx(static_cast<double>(full_pairs)).epsilon(0.03));
}

TEST_CASE("periodic structure: rejects a period longer than the built layers or fewer layers than built") {
  const engine::Network net = engine::generate_network(64, 4, 1);
  const auto po = options(engine::PartitionMethod::kContiguous, 2, 1);
  CHECK_THROWS_AS(engine::periodic_structure(net, 10, 5, po), std::invalid_argument);
  CHECK_THROWS_AS(engine::periodic_structure(net, 3, 2, po), std::invalid_argument);
  CHECK_THROWS_AS(engine::periodic_structure(net, 10, 0, po), std::invalid_argument);
  CHECK_THROWS_AS(engine::full_structure(engine::Network{}, po), std::invalid_argument);
}
