// QueryWork: one pass of a single-part worker kernel over the network.
#include "sim/servers/query_work.hpp"

#include <cmath>
#include <numeric>

#include "engine/infer/layer_kernel.hpp"

namespace sim {

double QueryWork::total_flops() const { return std::accumulate(layer_flops.begin(), layer_flops.end(), 0.0); }

engine::Partition single_part(const engine::Network& net) {
  engine::Partition p;
  p.parts = 1;
  p.owner.assign(net.layers.size() + 1, std::vector<std::int32_t>(static_cast<std::size_t>(net.neurons), 0));
  return p;
}

QueryWork query_work(engine::WorkerKernel& kernel, int layers, int images) {
  QueryWork w;
  w.images = images;
  for (int k = 1; k <= layers; ++k) {
    w.input_nnz.push_back(kernel.owned_nnz());
    // A single part owns every input row: the whole layer is local; finish_layer adds nothing but
    // is what advances the kernel to Y_k.
    const double local = kernel.compute_local(k);
    w.layer_flops.push_back(local + kernel.finish_layer(k));
  }
  w.input_nnz.push_back(kernel.owned_nnz());
  w.categories = engine::categories(kernel.result());
  return w;
}

QueryWork profile_query_work(const std::vector<std::int64_t>& weight_nnz, const DensityProfile& profile, int images,
                             int neurons) {
  QueryWork w;
  w.images = images;
  const int layers = static_cast<int>(weight_nnz.size());
  for (int k = 0; k <= layers; ++k) {
    w.input_nnz.push_back(static_cast<std::int64_t>(neurons) * std::lround(images * profile.at(k)));
    if (k < layers) w.layer_flops.push_back(2.0 * static_cast<double>(weight_nnz[k]) * images * profile.at(k));
  }
  return w;
}

}  // namespace sim
