// fsd infer: serial inference of a network on disk over a batch of images; prints the categories
// (1-based), the time of the inference itself (reading excluded, as the challenge measures) and the
// rate in edges per second; --json prints one JSON object instead. Bad input → exit 2.
#include <sys/resource.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "engine/common/input_error.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/network_io.hpp"

namespace {

namespace po = boost::program_options;

long long peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<long long>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

int run_infer(const std::vector<std::string>& args) {
  po::options_description opts("fsd infer --weights DIR --neurons N --layers L --images FILE [options]");
  std::string weights, images_path;
  int neurons = 0, layers = 0, threads = 1, count = 0;
  opts.add_options()("help,h", "this help")("weights", po::value(&weights), "folder of n<N>-l<k>.tsv|.mtx layers")(
      "neurons", po::value(&neurons), "N")("layers", po::value(&layers), "L: the first L layers are used")(
      "images", po::value(&images_path), "sparse-images-<N>.tsv, a .mtx, or an IDX file (*idx3-ubyte[.gz])")(
      "count", po::value(&count)->default_value(0), "images to take from an IDX file (required for IDX)")(
      "threads", po::value(&threads)->default_value(1), "threads")("json", "print one JSON object");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nExample: fsd infer --weights ../shared/data/graphchallenge-n1024 --neurons 1024 "
                         "--layers 30 --images ../shared/data/graphchallenge-n1024/sparse-images-1024_subset.mtx\n";
    return 0;
  }
  if (weights.empty() || images_path.empty()) throw engine::InputError("--weights and --images are required");
  if (neurons < 1 || layers < 1) throw engine::InputError("--neurons and --layers are required and ≥ 1");
  if (threads < 1) throw engine::InputError("--threads must be ≥ 1");
  const bool json = vm.count("json") > 0;

  const auto load_start = std::chrono::steady_clock::now();
  const engine::Network net = engine::read_network(weights, neurons, layers);
  engine::Activations images;
  if (images_path.find("idx3-ubyte") != std::string::npos) {
    if (count < 1) throw engine::InputError("--count is required (≥ 1) with an IDX file");
    images = engine::read_idx_images(images_path, neurons, count);
  } else {
    images = engine::read_images(images_path, neurons);
  }
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();

  const auto start = std::chrono::steady_clock::now();
  const engine::Activations y = engine::infer(net, images, {.threads = threads});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::vector<std::int32_t> cats = engine::categories(y);
  for (auto& c : cats) ++c;  // the challenge's categories are 1-based
  const double rate = engine::edges_per_second(net, images.rows(), seconds);

  if (json) {
    const nlohmann::json out = {{"neurons", neurons},     {"layers", layers},
                                {"images", images.rows()}, {"threads", threads},
                                {"categories", cats},      {"seconds", seconds},
                                {"edges_per_second", rate}, {"load_seconds", load_s},
                                {"peak_rss_bytes", peak_rss_bytes()}};
    std::cout << out.dump() << "\n";
    return 0;
  }
  std::printf("categories (%zu of %lld images):", cats.size(), static_cast<long long>(images.rows()));
  for (auto c : cats) std::printf(" %d", c);
  std::printf("\ninference: %.4f s, %.4g edges/s (%d layers, %d threads; reading took %.2f s)\n", seconds, rate,
              layers, threads, load_s);
  return 0;
}

const cli::RegisterCommand reg{"infer", "serial inference of a network on disk over a batch of images", run_infer};

}  // namespace
