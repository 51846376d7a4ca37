// Image versions from Graph Challenge layers (retrained with a fixed mask) or synthetic bytes.
#include "sim/provider/model_versions.hpp"

#include <cmath>
#include <cstring>
#include <random>
#include <stdexcept>

#include "engine/common/input_error.hpp"
#include "engine/model/matrix_market.hpp"

namespace provider {
namespace {
template <class T>
void append(const T* data, std::size_t n, std::vector<std::byte>& out) {
  const auto* p = reinterpret_cast<const std::byte*>(data);
  out.insert(out.end(), p, p + n * sizeof(T));
}
double uniform_pm1(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0; }
}  // namespace

void append_csr_bytes(const engine::SparseMatrix& m, std::vector<std::byte>& out) {
  if (!m.isCompressed()) throw std::logic_error("append_csr_bytes(): matrix not compressed");
  append(m.outerIndexPtr(), static_cast<std::size_t>(m.outerSize()) + 1, out);
  append(m.innerIndexPtr(), static_cast<std::size_t>(m.nonZeros()), out);
  append(m.valuePtr(), static_cast<std::size_t>(m.nonZeros()), out);
}

ImageVersions graphchallenge_versions(const std::string& dir, int layers, int retrained_layers, std::uint64_t seed) {
  if (layers < 1 || retrained_layers < 0 || retrained_layers > layers)
    throw engine::InputError(dir, 0, "need 1 ≤ layers and 0 ≤ retrained_layers ≤ layers");
  ImageVersions v;
  std::mt19937_64 rng(seed);
  for (int k = 1; k <= layers; ++k) {
    engine::SparseMatrix w = engine::read_matrix_market(dir + "/n1024-l" + std::to_string(k) + ".mtx");
    w.makeCompressed();
    append_csr_bytes(w, v.v1);
    if (k > layers - retrained_layers)
      for (Eigen::Index i = 0; i < w.nonZeros(); ++i)
        w.valuePtr()[i] = static_cast<float>(w.valuePtr()[i] * (1.0 + 0.01 * uniform_pm1(rng)));
    append_csr_bytes(w, v.v2);
  }
  return v;
}

ImageVersions synthetic_versions(std::size_t size_bytes, double shared_fraction, std::size_t block_bytes,
                                 std::uint64_t seed) {
  if (!(shared_fraction >= 0 && shared_fraction <= 1) || block_bytes == 0)
    throw std::invalid_argument("synthetic_versions(): shared_fraction in [0, 1], block_bytes > 0");
  std::mt19937_64 rng(seed);
  ImageVersions v;
  v.v1.resize(size_bytes);
  for (auto& b : v.v1) b = static_cast<std::byte>(rng() & 0xff);
  v.v2 = v.v1;
  const std::size_t blocks = (size_bytes + block_bytes - 1) / block_bytes;
  const auto kept = static_cast<std::size_t>(std::floor(shared_fraction * double(blocks)));
  for (std::size_t i = kept * block_bytes; i < size_bytes; ++i) v.v2[i] = static_cast<std::byte>(rng() & 0xff);
  return v;
}

}  // namespace provider
