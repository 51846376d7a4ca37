// fsd demo: the main job of README command 1. Generates a Graph Challenge-shaped network in
// memory, makes a batch of inputs, runs the serial engine and prints the result. Needs no file:
// the default inputs are seeded synthetic images (each a few random filled rectangles on a √N×√N
// canvas, binary like the challenge's); --inputs fashion-mnist uses Debian's Fashion-MNIST instead.
#include <boost/program_options.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "engine/common/input_error.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/idx.hpp"

namespace {

namespace po = boost::program_options;

// Binary images of 1–3 filled rectangles each, on a side×side canvas; std::mt19937_64 raw draws
// (not the distributions) so the batch is the same on every platform.
engine::Activations synthetic_images(int count, int neurons, std::uint64_t seed) {
  const int side = static_cast<int>(std::lround(std::sqrt(neurons)));
  std::mt19937_64 rng(seed);
  auto below = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  std::vector<Eigen::Triplet<float, std::int32_t>> entries;
  std::vector<char> canvas(neurons);
  for (int b = 0; b < count; ++b) {
    std::fill(canvas.begin(), canvas.end(), 0);
    for (int shapes = 1 + below(3); shapes > 0; --shapes) {
      const int h = side / 4 + below(side / 2), w = side / 4 + below(side / 2);
      const int y0 = below(side - h + 1), x0 = below(side - w + 1);
      for (int y = y0; y < y0 + h; ++y)
        for (int x = x0; x < x0 + w; ++x) canvas[y * side + x] = 1;
    }
    for (int j = 0; j < neurons; ++j)
      if (canvas[j]) entries.emplace_back(b, j, 1.0f);
  }
  engine::Activations images(count, neurons);
  images.setFromTriplets(entries.begin(), entries.end());
  return images;
}

int run_demo(const std::vector<std::string>& args) {
  po::options_description opts("fsd demo [options]");
  int neurons = 1024, layers = 120, count = 1000, threads = 0;
  std::uint64_t seed = 1;
  std::string inputs;
  opts.add_options()("help,h", "this help")("neurons", po::value(&neurons)->default_value(1024), "N = 16·2^p, a perfect square")(
      "layers", po::value(&layers)->default_value(120), "L")("images", po::value(&count)->default_value(1000), "batch size")(
      "seed", po::value(&seed)->default_value(1), "seed of the network and of synthetic inputs")(
      "inputs", po::value(&inputs)->default_value("synthetic"), "synthetic | fashion-mnist")(
      "threads", po::value(&threads)->default_value(0), "threads (0: all cores)")("json", "print one JSON object");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts;
    return 0;
  }
  const int side = static_cast<int>(std::lround(std::sqrt(std::max(neurons, 1))));
  if (!engine::is_generatable_size(neurons) || side * side != neurons)
    throw engine::InputError("--neurons must be 16·2^p and a perfect square (1024, 4096, 16384, 65536), got " +
                             std::to_string(neurons));
  if (layers < 1 || count < 1) throw engine::InputError("--layers and --images must be ≥ 1");
  if (inputs != "synthetic" && inputs != "fashion-mnist")
    throw engine::InputError("--inputs must be synthetic or fashion-mnist, got '" + inputs + "'");
  if (threads < 0) throw engine::InputError("--threads must be ≥ 0");
  if (threads == 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const bool json = vm.count("json") > 0;

  const engine::Network net = engine::generate_network(neurons, layers, seed);
  const engine::Activations images = inputs == "synthetic"
                                         ? synthetic_images(count, neurons, seed)
                                         : engine::read_idx_images(engine::kFashionMnistTrainImages, neurons, count);
  const auto start = std::chrono::steady_clock::now();
  const engine::Activations y = engine::infer(net, images, {.threads = threads});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::int32_t> cats = engine::categories(y);
  for (auto& c : cats) ++c;  // 1-based, as the challenge writes them
  const double rate = engine::edges_per_second(net, count, seconds);

  if (json) {
    const nlohmann::json out = {{"neurons", neurons},   {"layers", layers},   {"images", count},
                                {"inputs", inputs},     {"seed", seed},       {"threads", threads},
                                {"categories", cats},   {"seconds", seconds}, {"edges_per_second", rate}};
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("fsd demo: generated network, %d neurons × %d layers (seed %llu, %lld weights, bias %.3g)\n", neurons,
              layers, static_cast<unsigned long long>(seed), static_cast<long long>(net.total_nnz()),
              net.layers[0].bias);
  std::printf("inputs: %d %s images, %lld active pixels\n", count, inputs.c_str(),
              static_cast<long long>(images.nonZeros()));
  std::printf("serial inference (%d threads): %.3f s, %.3g edges/s\n", threads, seconds, rate);
  std::printf("categories: %zu of %d images still active after layer %d:", cats.size(), count, layers);
  for (std::size_t i = 0; i < cats.size() && i < 20; ++i) std::printf(" %d", cats[i]);
  std::printf("%s\n", cats.size() > 20 ? " …" : "");
  return 0;
}

const cli::RegisterCommand reg{"demo", "generate a small network and inputs, run inference, print the result", run_demo};

}  // namespace
