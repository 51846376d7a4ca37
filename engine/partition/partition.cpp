// partition_network: contiguous, random and hypergraph owners for every layer; see partition.hpp.
#include "engine/partition/partition.hpp"

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>

#include "engine/partition/detail/hypergraph.hpp"

namespace engine {
namespace {

using Owners = std::vector<std::int32_t>;

// Part p gets neurons [⌊p·N/P⌋, ⌊(p+1)·N/P⌋): sizes differ by at most one.
Owners contiguous(int neurons, int parts) {
  Owners owner(static_cast<std::size_t>(neurons));
  for (int i = 0; i < neurons; ++i)
    owner[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(static_cast<std::int64_t>(i) * parts / neurons);
  return owner;
}

// A uniform random permutation dealt round-robin: exactly balanced. Fisher–Yates written out
// because std::shuffle's sequence differs between standard libraries; mt19937_64's does not.
Owners random_balanced(int neurons, int parts, std::mt19937_64& rng) {
  std::vector<std::int32_t> perm(static_cast<std::size_t>(neurons));
  for (int i = 0; i < neurons; ++i) perm[static_cast<std::size_t>(i)] = i;
  for (int i = neurons - 1; i > 0; --i)
    std::swap(perm[static_cast<std::size_t>(i)], perm[rng() % static_cast<std::uint64_t>(i + 1)]);
  Owners owner(static_cast<std::size_t>(neurons));
  for (int r = 0; r < neurons; ++r) owner[static_cast<std::size_t>(perm[static_cast<std::size_t>(r)])] = r % parts;
  return owner;
}

// Column-net model of W_k: vertex j = output neuron j (column j), net i = input row i, connecting
// the columns it feeds and fixed to owner[k−1][i], the worker that computed Y_{k−1}[:, i].
detail::Hypergraph column_net(const SparseMatrix& w, const Owners& row_owner) {
  detail::Hypergraph hg;
  hg.vertices = static_cast<int>(w.cols());
  for (int i = 0; i < w.outerSize(); ++i) {
    const auto begin = w.outerIndexPtr()[i];
    const auto end = w.outerIndexPtr()[i + 1];
    if (begin == end) continue;  // a row that feeds nothing is never sent
    hg.pins.insert(hg.pins.end(), w.innerIndexPtr() + begin, w.innerIndexPtr() + end);
    hg.offsets.push_back(static_cast<std::int64_t>(hg.pins.size()));
    hg.fixed_part.push_back(row_owner[static_cast<std::size_t>(i)]);
  }
  return hg;
}

// Row-net model of W_1 for the inputs (nothing is fixed yet): vertex i = input row i, net j =
// column j, connecting the rows it reads, so rows read together land together.
detail::Hypergraph row_net(const SparseMatrix& w) {
  const Eigen::SparseMatrix<float, Eigen::ColMajor, std::int32_t> by_column = w;
  detail::Hypergraph hg;
  hg.vertices = static_cast<int>(w.rows());
  for (int j = 0; j < by_column.outerSize(); ++j) {
    const auto begin = by_column.outerIndexPtr()[j];
    const auto end = by_column.outerIndexPtr()[j + 1];
    if (begin == end) continue;
    hg.pins.insert(hg.pins.end(), by_column.innerIndexPtr() + begin, by_column.innerIndexPtr() + end);
    hg.offsets.push_back(static_cast<std::int64_t>(hg.pins.size()));
    hg.fixed_part.push_back(-1);
  }
  return hg;
}

void check(const Network& net, const PartitionOptions& options) {
  if (options.parts < 1)
    throw std::invalid_argument("partition: parts must be ≥ 1, got " + std::to_string(options.parts));
  if (!(options.imbalance >= 0.0)) throw std::invalid_argument("partition: imbalance must be ≥ 0");
  if (net.neurons < 0) throw std::invalid_argument("partition: negative neuron count");
  for (int k = 0; k < net.num_layers(); ++k) {
    const auto& w = net.layers[static_cast<std::size_t>(k)].weights;
    if (w.rows() != net.neurons || w.cols() != net.neurons)
      throw std::invalid_argument("partition: layer " + std::to_string(k + 1) + " is not " +
                                  std::to_string(net.neurons) + "×" + std::to_string(net.neurons));
  }
}

}  // namespace

Partition partition_network(const Network& net, const PartitionOptions& options) {
  check(net, options);
  const int n = net.neurons, parts = options.parts, layers = net.num_layers();
  Partition result;
  result.parts = parts;
  result.owner.reserve(static_cast<std::size_t>(layers) + 1);
  switch (options.method) {
    case PartitionMethod::kContiguous:
      result.owner.assign(static_cast<std::size_t>(layers) + 1, contiguous(n, parts));
      break;
    case PartitionMethod::kRandom: {
      std::mt19937_64 rng(options.seed);
      for (int k = 0; k <= layers; ++k) result.owner.push_back(random_balanced(n, parts, rng));
      break;
    }
    case PartitionMethod::kHypergraph: {
      // Layer by layer, each fixed to the previous one: layer k can only reduce what it receives
      // given where Y_{k−1} already is. The inputs (k = 0) follow W_1's rows.
      if (layers == 0) {
        result.owner.push_back(contiguous(n, parts));
        break;
      }
      result.owner.push_back(
          detail::partition_hypergraph(row_net(net.layers[0].weights), parts, options.imbalance, options.seed));
      for (int k = 1; k <= layers; ++k) {
        const auto hg = column_net(net.layers[static_cast<std::size_t>(k - 1)].weights, result.owner.back());
        result.owner.push_back(detail::partition_hypergraph(hg, parts, options.imbalance, options.seed + k));
      }
      break;
    }
  }
  return result;
}

PartitionMethod parse_partition_method(const std::string& name) {
  if (name == "contiguous") return PartitionMethod::kContiguous;
  if (name == "random") return PartitionMethod::kRandom;
  if (name == "hypergraph") return PartitionMethod::kHypergraph;
  throw std::invalid_argument("unknown partition method '" + name + "' (contiguous | random | hypergraph)");
}

const char* to_string(PartitionMethod method) {
  switch (method) {
    case PartitionMethod::kContiguous:
      return "contiguous";
    case PartitionMethod::kRandom:
      return "random";
    case PartitionMethod::kHypergraph:
      return "hypergraph";
  }
  return "?";
}

}  // namespace engine
