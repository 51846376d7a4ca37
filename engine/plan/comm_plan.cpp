// make_comm_plan: who sends which rows to whom before each layer; see comm_plan.hpp.
#include "engine/plan/comm_plan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

namespace engine {
namespace {

void check(const Network& net, const Partition& partition) {
  const auto fail = [](const std::string& what) { throw std::invalid_argument("make_comm_plan: " + what); };
  if (partition.parts < 1) fail("parts must be ≥ 1");
  if (partition.owner.size() != static_cast<std::size_t>(net.num_layers()) + 1)
    fail("partition has " + std::to_string(partition.owner.size()) + " layers of owners, the network needs " +
         std::to_string(net.num_layers() + 1));
  for (const auto& layer : partition.owner) {
    if (layer.size() != static_cast<std::size_t>(net.neurons)) fail("an owner list does not cover every neuron");
    for (auto p : layer)
      if (p < 0 || p >= partition.parts) fail("owner " + std::to_string(p) + " out of range");
  }
  for (const auto& layer : net.layers)
    if (layer.weights.rows() != net.neurons || layer.weights.cols() != net.neurons) fail("a layer is not N×N");
}

}  // namespace

CommPlan make_comm_plan(const Network& net, const Partition& partition) {
  check(net, partition);
  const int parts = partition.parts;
  CommPlan plan;
  plan.parts = parts;
  plan.layers = net.num_layers();
  plan.transfers.resize(static_cast<std::size_t>(plan.layers));

  std::vector<int> stamp(static_cast<std::size_t>(parts), -1);  // stamp[t] = last row sent to t
  std::vector<std::pair<std::int64_t, std::int32_t>> sends;     // (source·P + target, row)
  for (int k = 1; k <= plan.layers; ++k) {
    const SparseMatrix& w = net.layers[static_cast<std::size_t>(k - 1)].weights;
    const auto& source_of = partition.owner[static_cast<std::size_t>(k - 1)];
    const auto& target_of = partition.owner[static_cast<std::size_t>(k)];
    sends.clear();
    // Row i of Y_{k−1} goes from its owner to every other owner of a column it feeds, once.
    for (int i = 0; i < w.outerSize(); ++i) {
      const std::int32_t source = source_of[static_cast<std::size_t>(i)];
      for (auto q = w.outerIndexPtr()[i]; q < w.outerIndexPtr()[i + 1]; ++q) {
        const std::int32_t target = target_of[static_cast<std::size_t>(w.innerIndexPtr()[q])];
        if (target == source || stamp[static_cast<std::size_t>(target)] == i) continue;
        stamp[static_cast<std::size_t>(target)] = i;
        sends.emplace_back(static_cast<std::int64_t>(source) * parts + target, i);
      }
    }
    std::fill(stamp.begin(), stamp.end(), -1);
    std::stable_sort(sends.begin(), sends.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    auto& transfers = plan.transfers[static_cast<std::size_t>(k - 1)];
    for (std::size_t a = 0; a < sends.size();) {
      Transfer t;
      t.source = static_cast<int>(sends[a].first / parts);
      t.target = static_cast<int>(sends[a].first % parts);
      for (; a < sends.size() && sends[a].first == static_cast<std::int64_t>(t.source) * parts + t.target; ++a)
        t.rows.push_back(sends[a].second);  // ascending: rows were visited in order, the sort is stable
      transfers.push_back(std::move(t));
    }
  }
  return plan;
}

}  // namespace engine
