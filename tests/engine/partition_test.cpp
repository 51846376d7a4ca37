// Partitioning: balance, determinism, and that hypergraph partitioning cuts the rows sent.
// Rows sent are counted here by brute force, independently of partition_stats and the CommPlan.
#include "engine/partition/partition.hpp"

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "engine/model/generate.hpp"
#include "engine/partition/detail/hypergraph.hpp"
#include "engine/partition/partition_stats.hpp"

namespace {

std::vector<int> part_sizes(const std::vector<std::int32_t>& owner, int parts) {
  std::vector<int> size(parts, 0);
  for (auto p : owner) {
    REQUIRE(p >= 0);
    REQUIRE(p < parts);
    ++size[p];
  }
  return size;
}

// Σ_k Σ_i |{owner[k][j] : W_k(i,j) ≠ 0} \ {owner[k−1][i]}|, with std::set.
std::int64_t rows_sent(const engine::Network& net, const engine::Partition& part) {
  std::int64_t rows = 0;
  for (int k = 1; k <= net.num_layers(); ++k) {
    const auto& w = net.layers[k - 1].weights;
    for (int i = 0; i < net.neurons; ++i) {
      std::set<int> targets;
      for (engine::SparseMatrix::InnerIterator it(w, i); it; ++it) targets.insert(part.owner[k][it.col()]);
      targets.erase(part.owner[k - 1][i]);
      rows += static_cast<std::int64_t>(targets.size());
    }
  }
  return rows;
}

// P diagonal blocks of dense columns, the neurons of every layer relabelled by a random
// permutation: a partition that sends nothing exists, but not in the labels' order.
engine::Network hidden_blocks(int neurons, int layers, int blocks, std::mt19937& rng) {
  engine::Network net;
  net.neurons = neurons;
  std::vector<int> prev(neurons), next(neurons);
  std::iota(prev.begin(), prev.end(), 0);
  std::shuffle(prev.begin(), prev.end(), rng);
  const int size = neurons / blocks;
  for (int k = 0; k < layers; ++k) {
    std::iota(next.begin(), next.end(), 0);
    std::shuffle(next.begin(), next.end(), rng);
    std::vector<Eigen::Triplet<float, std::int32_t>> entries;
    for (int a = 0; a < neurons; ++a)
      for (int b = (a / size) * size; b < (a / size + 1) * size; ++b) entries.emplace_back(prev[a], next[b], 0.1f);
    engine::SparseMatrix w(neurons, neurons);
    w.setFromTriplets(entries.begin(), entries.end());
    net.layers.push_back({w, -0.3f});
    prev = next;
  }
  return net;
}

}  // namespace

TEST_CASE("partition: contiguous blocks differ in size by at most one") {
  engine::Network net;
  net.neurons = 10;
  net.layers.push_back({engine::SparseMatrix(10, 10), 0.0f});
  const auto part = engine::partition_network(net, {engine::PartitionMethod::kContiguous, 3, 1, 0.05});
  REQUIRE(part.owner.size() == 2);
  for (const auto& owner : part.owner) {
    CHECK(std::is_sorted(owner.begin(), owner.end()));
    const auto size = part_sizes(owner, 3);
    CHECK(*std::max_element(size.begin(), size.end()) - *std::min_element(size.begin(), size.end()) <= 1);
  }
}

TEST_CASE("partition: random is balanced, seeded and differs per layer") {
  const auto net = engine::generate_network(256, 4, 7);
  const engine::PartitionOptions options{engine::PartitionMethod::kRandom, 7, 42, 0.05};
  std::printf("random partition: seed %llu\n", static_cast<unsigned long long>(options.seed));
  const auto a = engine::partition_network(net, options);
  CHECK(a == engine::partition_network(net, options));
  auto other = options;
  other.seed = 43;
  CHECK_FALSE(a == engine::partition_network(net, other));
  CHECK(a.owner[1] != a.owner[2]);
  for (const auto& owner : a.owner) {
    const auto size = part_sizes(owner, 7);  // 256 = 7·36 + 4
    CHECK(*std::max_element(size.begin(), size.end()) == 37);
    CHECK(*std::min_element(size.begin(), size.end()) == 36);
  }
}

TEST_CASE("partition: hypergraph finds a hidden perfect partition") {
  std::mt19937 rng(5);
  std::printf("hidden blocks: seed 5\n");
  const auto net = hidden_blocks(128, 4, 4, rng);
  const auto part = engine::partition_network(net, {engine::PartitionMethod::kHypergraph, 4, 1, 0.05});
  const auto random = engine::partition_network(net, {engine::PartitionMethod::kRandom, 4, 1, 0.05});
  // Random: every row reaches ~all 4 parts, i.e. about 3 sends per row; the blocks allow 0.
  CHECK(rows_sent(net, random) > 2 * 128 * 4);
  CHECK(rows_sent(net, part) == 0);
}

TEST_CASE("partition: hypergraph sends at most a third of random's rows, within 5% balance") {
  // The generated RadiX-Net structure (shared with the 4096×120 target in docs/PERFORMANCE.md).
  const auto net = engine::generate_network(1024, 12, 1);
  for (const int parts : {8, 20}) {
    CAPTURE(parts);
    const auto hyper = engine::partition_network(net, {engine::PartitionMethod::kHypergraph, parts, 1, 0.05});
    const auto random = engine::partition_network(net, {engine::PartitionMethod::kRandom, parts, 1, 0.05});
    const double mean = 1024.0 / parts;
    for (const auto& owner : hyper.owner) {
      const auto size = part_sizes(owner, parts);
      CHECK(*std::max_element(size.begin(), size.end()) <= 1.05 * mean);
    }
    const auto hyper_rows = rows_sent(net, hyper), random_rows = rows_sent(net, random);
    std::printf("P = %d: hypergraph %lld rows, random %lld rows\n", parts, static_cast<long long>(hyper_rows),
                static_cast<long long>(random_rows));
    CHECK(3 * hyper_rows <= random_rows);
    CHECK(engine::partition_stats(net, hyper).total_rows_sent == hyper_rows);
  }
}

TEST_CASE("partition: hypergraph is deterministic and meets the cap when exact balance is asked") {
  const auto net = engine::generate_network(256, 3, 3);
  const engine::PartitionOptions options{engine::PartitionMethod::kHypergraph, 6, 9, 0.0};
  const auto a = engine::partition_network(net, options);
  CHECK(a == engine::partition_network(net, options));
  for (const auto& owner : a.owner) {
    const auto size = part_sizes(owner, 6);  // 256 = 6·42 + 4: no part above ⌈256/6⌉ = 43
    CHECK(*std::max_element(size.begin(), size.end()) <= 43);
  }
}

TEST_CASE("partition: more parts than neurons, and one part") {
  const auto net = engine::generate_network(32, 2, 1);
  for (auto method :
       {engine::PartitionMethod::kContiguous, engine::PartitionMethod::kRandom, engine::PartitionMethod::kHypergraph}) {
    CAPTURE(engine::to_string(method));
    const auto many = engine::partition_network(net, {method, 40, 1, 0.05});
    for (const auto& owner : many.owner) {
      const auto size = part_sizes(owner, 40);
      CHECK(*std::max_element(size.begin(), size.end()) == 1);
    }
    const auto one = engine::partition_network(net, {method, 1, 1, 0.05});
    for (const auto& owner : one.owner) CHECK(std::all_of(owner.begin(), owner.end(), [](auto p) { return p == 0; }));
    CHECK(rows_sent(net, one) == 0);
  }
}

TEST_CASE("partition: hypergraph from several threads at once gives each the serial answer") {
  // MPI and Zoltan start once per process and are entered by one thread at a time.
  const auto net = engine::generate_network(256, 3, 2);
  const engine::PartitionOptions options{engine::PartitionMethod::kHypergraph, 4, 3, 0.05};
  std::vector<engine::Partition> got(3);
  std::vector<std::thread> threads;
  for (auto& g : got) threads.emplace_back([&] { g = engine::partition_network(net, options); });
  for (auto& t : threads) t.join();
  const auto serial = engine::partition_network(net, options);
  for (const auto& g : got) CHECK(g == serial);
}

TEST_CASE("partition: fsd partition --json reports what the library computes") {
  const std::string command = std::string(FSD_EXE) +
                              " partition --neurons 256 --layers 4 --parts 4 --method random,hypergraph --seed 3 "
                              "--images 10 --density 0.5 --json 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  REQUIRE(pclose(pipe) == 0);
  const auto report = nlohmann::json::parse(out);
  const auto net = engine::generate_network(256, 4, 1);  // --network-seed defaults to 1
  const auto& results = report.at("results");
  REQUIRE(results.size() == 2);
  std::int64_t rows[2];
  for (int r = 0; r < 2; ++r) {
    const auto method = engine::parse_partition_method(results[r].at("method").get<std::string>());
    CHECK(method == (r == 0 ? engine::PartitionMethod::kRandom : engine::PartitionMethod::kHypergraph));
    rows[r] = rows_sent(net, engine::partition_network(net, {method, 4, 3, 0.05}));
    CHECK(results[r].at("total_rows_sent").get<std::int64_t>() == rows[r]);
    std::int64_t sum = 0;
    for (const auto& n : results[r].at("rows_sent_per_layer")) sum += n.get<std::int64_t>();
    CHECK(sum == rows[r]);
    CHECK(results[r].at("estimated_payload_bytes").get<double>() == doctest::Approx(rows[r] * 10 * 0.5 * 8));
  }
  CHECK(results[1].at("rows_vs_random").get<double>() == doctest::Approx(static_cast<double>(rows[1]) / rows[0]));
}

TEST_CASE("partition: fsd partition refuses bad flags with exit code 2") {
  for (const char* flags : {"--neurons 256 --layers 2 --method metis", "--neurons 256 --layers 2 --parts 0",
                            "--neurons 100 --layers 2", "--layers 2", "--neurons 256 --layers 2 --bogus"}) {
    CAPTURE(flags);
    const int status = std::system((std::string(FSD_EXE) + " partition " + flags + " >/dev/null 2>&1").c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 2);
  }
}

TEST_CASE("partition: the fixed part of a net counts in its connectivity") {
  // Net 0 = {v0, v1} fixed in part 2; net 1 = {v1, v2} free. Parts (0, 0, 1): net 0 spans {0, 2},
  // net 1 spans {0, 1}: cost 1 + 1. Balance cap of 3 vertices in 2 parts at 5%: ⌈1.5⌉ = 2.
  engine::detail::Hypergraph hg;
  hg.vertices = 3;
  hg.offsets = {0, 2, 4};
  hg.pins = {0, 1, 1, 2};
  hg.fixed_part = {2, -1};
  CHECK(engine::detail::connectivity_cost(hg, {0, 0, 1}) == 2);
  CHECK(engine::detail::connectivity_cost(hg, {2, 2, 2}) == 0);
  CHECK(engine::detail::balanced_cap(3, 2, 0.05) == 2);
  CHECK(engine::detail::balanced_cap(4096, 62, 0.05) == 69);  // ⌊1.05 · 66.06⌋
}

TEST_CASE("partition: names and bad options") {
  for (auto method :
       {engine::PartitionMethod::kContiguous, engine::PartitionMethod::kRandom, engine::PartitionMethod::kHypergraph})
    CHECK(engine::parse_partition_method(engine::to_string(method)) == method);
  CHECK_THROWS_AS(engine::parse_partition_method("metis"), std::invalid_argument);
  const auto net = engine::generate_network(32, 1, 1);
  CHECK_THROWS_AS(engine::partition_network(net, {engine::PartitionMethod::kRandom, 0, 1, 0.05}),
                  std::invalid_argument);
  CHECK_THROWS_AS(engine::partition_network(net, {engine::PartitionMethod::kHypergraph, 2, 1, -0.1}),
                  std::invalid_argument);
  engine::Network bad = net;
  bad.neurons = 33;  // the layer is 32×32
  CHECK_THROWS_AS(engine::partition_network(bad, {engine::PartitionMethod::kContiguous, 2, 1, 0.05}),
                  std::invalid_argument);
}
