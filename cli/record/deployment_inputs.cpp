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

namespace {

engine::PartitionOptions partition_options(const Config& c) {
  engine::PartitionOptions po;
  po.method = engine::parse_partition_method(c.deployment.partition.method);
  po.parts = c.deployment.workers;
  po.seed = c.deployment.partition.seed;
  po.imbalance = c.deployment.partition.imbalance;
  return po;
}

}  // namespace

engine::Partition partition_for(const Config& c, const engine::Network& net) {
  return engine::partition_network(net, partition_options(c));
}

engine::LayerStructure layer_structure(const Config& c, bool profile) {
  const engine::PartitionOptions po = partition_options(c);
  const bool generated = c.model.weights_dir.empty() && engine::is_generatable_size(c.model.neurons);
  if (profile && generated) {
    const int period = engine::generated_pattern_period(c.model.neurons);
    const std::int64_t weights = std::int64_t{c.model.neurons} * 32 * c.model.layers;
    if (weights > kFullStructureMaxWeights && c.model.layers > 2 * period)
      return engine::periodic_structure(engine::generate_network(c.model.neurons, 2 * period, c.model.generate_seed),
                                        c.model.layers, period, po);
  }
  return engine::full_structure(load_network(c), po);
}

engine::Activations profile_images(const Config& c) {
  if (!c.model.images_path.empty() || c.model.fashion_mnist_count > 0) return load_images(c);
  return engine::Activations(std::min(c.model.input_count, c.model.batch_size), c.model.neurons);
}

engine::DeploymentSpec deployment_spec(const Config& config, engine::ChannelKind channel,
                                       const engine::Network& network, const engine::Partition& partition,
                                       const engine::CommPlan& plan, const engine::Activations& images,
                                       const std::string& run_id) {
  engine::DeploymentSpec spec;
  spec.network = &network;
  spec.partition = &partition;
  spec.plan = &plan;
  spec.images = &images;
  spec.launch_fanouts.assign(config.deployment.launch.levels, config.deployment.launch.bfr);
  spec.channel = channel;
  spec.topics = config.channel.queue.topics;
  spec.queue.wait_time_s = config.channel.queue.wait_time_s;
  spec.queue.max_message_bytes = config.channel.queue.max_message_bytes;
  spec.queue.compress = config.channel.queue.compression == "zstd";
  spec.queue.compression_level = config.channel.queue.compression_level;
  spec.object.bucket = config.channel.object.bucket;
  spec.object.poll_interval_s = config.channel.object.poll_interval_s;
  spec.object.parallel_gets = config.channel.object.parallel_gets;
  spec.object.parallel_puts = config.channel.object.parallel_puts;
  spec.object.overlap_gets = config.channel.object.overlap_gets;
  spec.object.sleep_after_every_list = config.channel.object.sleep_after_every_list;
  spec.object.compress = spec.queue.compress;
  spec.object.compression_level = spec.queue.compression_level;
  spec.run_id = run_id;
  return spec;
}

}  // namespace cli
