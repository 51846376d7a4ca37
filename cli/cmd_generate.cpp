// fsd generate: write a Graph Challenge-shaped network (engine/model/generate.hpp) as TSV files
// DIR/n<N>-l<k>.tsv, and optionally inputs DIR/sparse-images-<N>.tsv made from Fashion-MNIST.
// Every file is written atomically (temp + rename). Bad flags → InputError (exit 2).
#include <boost/program_options.hpp>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "engine/common/input_error.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/network_io.hpp"
#include "engine/model/tsv.hpp"

namespace {

namespace po = boost::program_options;

int run_generate(const std::vector<std::string>& args) {
  po::options_description opts("fsd generate --neurons N --layers L --seed S --out DIR [options]");
  int neurons = 0, layers = 0, images = 0;
  std::uint64_t seed = 1;
  std::string out, idx;
  opts.add_options()("help,h", "this help")("neurons", po::value(&neurons), "N = 16·2^p (1024, 4096, 16384, 65536, …)")(
      "layers", po::value(&layers), "L ≥ 1")("seed", po::value(&seed)->default_value(1), "seed of the row permutations")(
      "out", po::value(&out), "output folder (created)")(
      "images", po::value(&images)->default_value(0), "also write this many inputs as sparse-images-<N>.tsv")(
      "idx", po::value(&idx)->default_value(engine::kFashionMnistTrainImages), "IDX images the inputs are made from");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nExample: fsd generate --neurons 4096 --layers 120 --seed 1 --out /tmp/n4096 --images 2000\n";
    return 0;
  }
  if (!engine::is_generatable_size(neurons))
    throw engine::InputError("--neurons must be 16 × a power of two ≥ 32, got " + std::to_string(neurons));
  if (layers < 1) throw engine::InputError("--layers must be ≥ 1, got " + std::to_string(layers));
  if (out.empty()) throw engine::InputError("--out DIR is required");
  if (images < 0) throw engine::InputError("--images must be ≥ 0");

  // Inputs are read first so a bad IDX file fails before anything is written.
  engine::Activations inputs;
  if (images > 0) inputs = engine::read_idx_images(idx, neurons, images);
  std::fprintf(stderr, "generating %d neurons × %d layers (seed %llu) into %s\n", neurons, layers,
               static_cast<unsigned long long>(seed), out.c_str());
  const engine::Network net = engine::generate_network(neurons, layers, seed);
  engine::write_network(out, net);
  if (images > 0) {
    const auto path = std::filesystem::path(out) / ("sparse-images-" + std::to_string(neurons) + ".tsv");
    engine::write_tsv_matrix(path.string(), inputs);
  }
  std::printf("wrote %d layers (%lld nonzeros)%s to %s\n", layers, static_cast<long long>(net.total_nnz()),
              images > 0 ? (" and " + std::to_string(images) + " images").c_str() : "", out.c_str());
  return 0;
}

const cli::RegisterCommand reg{"generate", "write a Graph Challenge-shaped network (and inputs) as TSV", run_generate};

}  // namespace
