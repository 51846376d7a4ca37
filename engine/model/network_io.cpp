#include "engine/model/network_io.hpp"

#include <filesystem>

#include "engine/common/input_error.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/matrix_market.hpp"
#include "engine/model/tsv.hpp"

namespace engine {
namespace fs = std::filesystem;

namespace {
bool is_mtx(const std::string& path) { return fs::path(path).extension() == ".mtx"; }
}  // namespace

std::string layer_path(const std::string& dir, int neurons, int layer) {
  const std::string stem = "n" + std::to_string(neurons) + "-l" + std::to_string(layer);
  const fs::path tsv = fs::path(dir) / (stem + ".tsv");
  if (fs::exists(tsv)) return tsv.string();
  return (fs::path(dir) / (stem + ".mtx")).string();
}

Network read_network(const std::string& dir, int neurons, int layers) {
  if (neurons < 1) throw InputError("--neurons must be ≥ 1, got " + std::to_string(neurons));
  if (layers < 1) throw InputError("--layers must be ≥ 1, got " + std::to_string(layers));
  if (!fs::is_directory(dir)) throw InputError(dir, 0, "not a folder");
  Network net;
  net.neurons = neurons;
  net.layers.resize(layers);
  for (int k = 1; k <= layers; ++k) {
    const std::string path = layer_path(dir, neurons, k);
    if (!fs::exists(path)) throw InputError(path, 0, "missing layer " + std::to_string(k) + " (no .tsv or .mtx)");
    Layer& layer = net.layers[k - 1];
    if (is_mtx(path)) {
      layer.weights = read_matrix_market(path);
      if (layer.weights.rows() != layer.weights.cols())
        throw InputError(path, 0, "weight matrix is not square (" + std::to_string(layer.weights.rows()) + "×" +
                                      std::to_string(layer.weights.cols()) + ")");
      if (layer.weights.rows() != neurons)
        throw InputError(path, 0, "layer has " + std::to_string(layer.weights.rows()) +
                                      " neurons, the network " + std::to_string(neurons));
    } else {
      layer.weights = read_tsv_matrix(path, neurons, neurons);
    }
    layer.bias = generated_bias(neurons);
  }
  return net;
}

Activations read_images(const std::string& path, int neurons) {
  if (!fs::exists(path)) throw InputError(path, 0, "no such file");
  if (!is_mtx(path)) return read_tsv_matrix(path, -1, neurons);
  Activations images = read_matrix_market(path);
  if (images.cols() > neurons)
    throw InputError(path, 0, "images are " + std::to_string(images.cols()) + " wide, the network has " +
                                  std::to_string(neurons) + " neurons");
  if (images.cols() < neurons) images.conservativeResize(images.rows(), neurons);
  return images;
}

void write_network(const std::string& dir, const Network& net) {
  fs::create_directories(dir);
  for (int k = 1; k <= net.num_layers(); ++k)
    write_tsv_matrix((fs::path(dir) / ("n" + std::to_string(net.neurons) + "-l" + std::to_string(k) + ".tsv")).string(),
                     net.layers[k - 1].weights);
}

}  // namespace engine
