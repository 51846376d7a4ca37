// full_structure / periodic_structure: partition and plan the built layers once, then map every
// layer onto one of them; see layer_structure.hpp.
#include "engine/plan/layer_structure.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace engine {
namespace {

// Per built layer and part: nnz of the layer's weights in owned columns, and owned neuron counts.
void count_owned(LayerStructure& s) {
  const int parts = s.partition.parts;
  s.owned_neurons.assign(s.partition.owner.size(), std::vector<std::int32_t>(static_cast<std::size_t>(parts), 0));
  for (std::size_t r = 0; r < s.partition.owner.size(); ++r)
    for (const std::int32_t p : s.partition.owner[r]) ++s.owned_neurons[r][static_cast<std::size_t>(p)];
  s.owned_column_nnz.assign(s.built.layers.size(), std::vector<std::int64_t>(static_cast<std::size_t>(parts), 0));
  for (std::size_t r = 0; r < s.built.layers.size(); ++r) {
    const SparseMatrix& w = s.built.layers[r].weights;
    const auto& owner = s.partition.owner[r + 1];  // built layer r + 1's columns are Y_{r+1}'s neurons
    auto& nnz = s.owned_column_nnz[r];
    for (Eigen::Index q = 0; q < w.nonZeros(); ++q) ++nnz[static_cast<std::size_t>(owner[w.innerIndexPtr()[q]])];
  }
}

}  // namespace

LayerStructure periodic_structure(Network first_layers, int layers, int period, const PartitionOptions& options) {
  const int built = first_layers.num_layers();
  if (period < 1 || built < period || layers < built)
    throw std::invalid_argument("periodic_structure(): need 1 ≤ period ≤ built layers ≤ layers, got period " +
                                std::to_string(period) + ", " + std::to_string(built) + " built, " +
                                std::to_string(layers) + " layers");
  LayerStructure s;
  s.built = std::move(first_layers);
  s.partition = partition_network(s.built, options);
  s.plan = make_comm_plan(s.built, s.partition);
  s.built_of.resize(static_cast<std::size_t>(layers));
  for (int k = 1; k <= layers; ++k)
    s.built_of[static_cast<std::size_t>(k - 1)] = k <= built ? k : built - period + 1 + (k - built - 1) % period;
  if (layers > built) {
    s.plan.layers = layers;
    s.plan.layer_pattern.reserve(static_cast<std::size_t>(layers));
    for (const std::int32_t r : s.built_of) s.plan.layer_pattern.push_back(r - 1);
  }
  count_owned(s);
  return s;
}

LayerStructure full_structure(Network network, const PartitionOptions& options) {
  const int layers = network.num_layers();
  if (layers == 0) throw std::invalid_argument("full_structure(): the network has no layers");
  return periodic_structure(std::move(network), layers, layers, options);
}

}  // namespace engine
