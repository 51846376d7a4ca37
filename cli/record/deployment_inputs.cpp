#include "cli/record/deployment_inputs.hpp"

#include <algorithm>
#include <random>

#include "engine/model/generate.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/network_io.hpp"

namespace cli {

engine::Network load_network(const Config& c) {
  if (!c.model.weights_dir.empty()) return engine::read_network(c.model.weights_dir, c.model.neurons, c.model.layers);
  return engine::generate_network(c.model.neurons, c.model.layers, c.model.generate_seed);
}

engine::Activations load_images(const Config& c) {
  const int n = c.model.neurons, count = std::min(c.model.input_count, c.model.batch_size);
  engine::Activations all;
  if (!c.model.images_path.empty()) {
    all = engine::read_images(c.model.images_path, n);
  } else if (c.model.fashion_mnist_count > 0) {
    all = engine::read_idx_images(engine::kFashionMnistTrainImages, n, std::min(count, c.model.fashion_mnist_count));
  } else {
    std::mt19937_64 rng(c.model.generate_seed);
    const int active = std::max(1, static_cast<int>(c.model.input_density * n));
    std::vector<Eigen::Triplet<float, std::int32_t>> t;
    for (int b = 0; b < count; ++b) {
      std::vector<char> used(n, 0);
      for (int k = 0; k < active; ++k) {
        const int j = static_cast<int>(rng() % static_cast<std::uint64_t>(n));
        if (!used[j]) used[j] = 1, t.emplace_back(b, j, 1.0f);
      }
    }
    all.resize(count, n);
    all.setFromTriplets(t.begin(), t.end());
  }
  if (all.rows() > count) {
    engine::Activations some = all.topRows(count);
    all = some;
  }
  all.makeCompressed();
  return all;
}

engine::Partition partition_for(const Config& c, const engine::Network& net) {
  engine::PartitionOptions po;
  po.method = engine::parse_partition_method(c.deployment.partition.method);
  po.parts = c.deployment.workers;
  po.seed = c.deployment.partition.seed;
  po.imbalance = c.deployment.partition.imbalance;
  return engine::partition_network(net, po);
}

}  // namespace cli
