#include "cli/bridge/comm_profile_from_plan.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace cli {

cost::CommProfile comm_profile_from_plan(const engine::CommPlan& plan, int neurons, int batch_size,
                                         const std::vector<double>& input_density,
                                         const std::vector<std::int64_t>& weight_nnz,
                                         const std::vector<std::vector<std::int64_t>>& pair_bytes) {
  const int P = plan.parts, L = plan.layers;
  if (P <= 0 || L <= 0 || static_cast<int>(plan.transfers.size()) != L)
    throw std::invalid_argument("comm plan: parts/layers do not match its transfers");
  if (static_cast<int>(input_density.size()) != L || static_cast<int>(weight_nnz.size()) != L)
    throw std::invalid_argument("comm profile: need one density and one nnz per layer (" + std::to_string(L) + ")");
  if (!pair_bytes.empty() && static_cast<int>(pair_bytes.size()) != L)
    throw std::invalid_argument("comm profile: pair_bytes must have one entry per layer");

  cost::CommProfile profile;
  profile.neurons = neurons;
  profile.parts = P;
  profile.batch_size = batch_size;
  profile.source = "comm plan";
  profile.layers.reserve(static_cast<std::size_t>(L));
  std::vector<std::int64_t> sent(static_cast<std::size_t>(P)), received(static_cast<std::size_t>(P));
  for (int k = 0; k < L; ++k) {
    std::fill(sent.begin(), sent.end(), 0);
    std::fill(received.begin(), received.end(), 0);
    cost::LayerProfile l;
    for (const engine::Transfer& t : plan.transfers[static_cast<std::size_t>(k)]) {
      if (t.source < 0 || t.source >= P || t.target < 0 || t.target >= P || t.source == t.target)
        throw std::invalid_argument("comm plan: layer " + std::to_string(k + 1) + " has a transfer " +
                                    std::to_string(t.source) + "→" + std::to_string(t.target) + " outside [0, P)");
      const auto rows = static_cast<std::int64_t>(t.rows.size());
      if (rows == 0) continue;  // listed but empty: still an empty marker on the wire
      l.rows_sent += rows;
      l.nonempty_pairs += 1;
      sent[static_cast<std::size_t>(t.source)] += rows;
      received[static_cast<std::size_t>(t.target)] += rows;
    }
    l.max_rows_sent = *std::max_element(sent.begin(), sent.end());
    l.max_rows_received = *std::max_element(received.begin(), received.end());
    l.input_density = input_density[static_cast<std::size_t>(k)];
    l.weight_nnz = weight_nnz[static_cast<std::size_t>(k)];
    if (!pair_bytes.empty()) {
      l.pair_bytes = pair_bytes[static_cast<std::size_t>(k)];
      if (static_cast<std::int64_t>(l.pair_bytes.size()) != std::int64_t(P) * P)
        throw std::invalid_argument("comm profile: pair_bytes of layer " + std::to_string(k + 1) +
                                    " must have P·P entries");
      for (int s = 0; s < P; ++s)
        for (int t = 0; t < P; ++t)
          if (s != t) l.payload_bytes += l.pair_bytes[static_cast<std::size_t>(s) * P + t];
    }
    profile.layers.push_back(std::move(l));
  }
  cost::validate(profile);
  return profile;
}

cost::CommProfile comm_profile_from_plan(const engine::CommPlan& plan, const engine::Network& network, int batch_size,
                                         const std::vector<double>& input_density,
                                         const std::vector<std::vector<std::int64_t>>& pair_bytes) {
  std::vector<std::int64_t> nnz;
  nnz.reserve(network.layers.size());
  for (const auto& layer : network.layers) nnz.push_back(layer.weights.nonZeros());
  return comm_profile_from_plan(plan, network.neurons, batch_size, input_density, nnz, pair_bytes);
}

double density(const engine::Activations& a) {
  const double cells = static_cast<double>(a.rows()) * static_cast<double>(a.cols());
  return cells > 0 ? static_cast<double>(a.nonZeros()) / cells : 0.0;
}

}  // namespace cli
