#include "engine/model/generate.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace engine {
namespace {

// SplitMix64 (Steele, Lea, Flood 2014): tiny, fully specified, so streams match across platforms.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound) without modulo bias (Lemire 2019, "Fast random integer generation").
  std::uint32_t below(std::uint32_t bound) {
    std::uint64_t m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next() >> 32)) * bound;
    auto low = static_cast<std::uint32_t>(m);
    if (low < bound) {
      const std::uint32_t threshold = -bound % bound;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(static_cast<std::uint32_t>(next() >> 32)) * bound;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
};

std::vector<std::int32_t> row_permutation(int neurons, std::uint64_t seed, int layer) {
  std::vector<std::int32_t> perm(neurons);
  std::iota(perm.begin(), perm.end(), 0);
  SplitMix64 rng{seed * 0x100000001B3ull + static_cast<std::uint64_t>(layer)};
  for (int i = neurons - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(static_cast<std::uint32_t>(i + 1))]);
  return perm;
}

constexpr int kNonzerosPerRow = 32;
constexpr float kWeight = 1.0f / 16.0f;

}  // namespace

bool is_generatable_size(int neurons) {
  return neurons >= 32 && neurons % 16 == 0 && std::has_single_bit(static_cast<unsigned>(neurons / 16));
}

int generated_pattern_period(int neurons) {
  if (!is_generatable_size(neurons))
    throw std::invalid_argument("generated_pattern_period(): neurons must be 16 × a power of two ≥ 32, got " +
                                std::to_string(neurons));
  return std::countr_zero(static_cast<unsigned>(neurons / 16));
}

float generated_bias(int neurons) {
  if (neurons == 1024 || neurons == 4096 || neurons == 16384 || neurons == 65536) return graph_challenge_bias(neurons);
  return static_cast<float>(-0.3 - 0.025 * std::log2(neurons / 1024.0));
}

Network generate_network(int neurons, int layers, std::uint64_t seed) {
  if (!is_generatable_size(neurons))
    throw std::invalid_argument("generate_network(): neurons must be 16 × a power of two ≥ 32, got " +
                                std::to_string(neurons));
  if (layers < 1) throw std::invalid_argument("generate_network(): layers must be ≥ 1, got " + std::to_string(layers));
  const int m = neurons / 16;                   // residues mod m; 16 columns per residue
  const int shifts = std::countr_zero(static_cast<unsigned>(m));  // log2 m distinct shifts
  Network net;
  net.neurons = neurons;
  net.layers.resize(layers);
  for (int k = 1; k <= layers; ++k) {
    const int s = 1 << ((k - 1) % shifts);
    std::vector<std::int32_t> perm;
    if (k > shifts) perm = row_permutation(neurons, seed, k);
    SparseMatrix& w = net.layers[k - 1].weights;
    w.resize(neurons, neurons);
    w.resizeNonZeros(static_cast<Eigen::Index>(neurons) * kNonzerosPerRow);
    std::int32_t* outer = w.outerIndexPtr();
    std::int32_t* inner = w.innerIndexPtr();
    float* values = w.valuePtr();
    for (int r = 0; r < neurons; ++r) {
      const int q = perm.empty() ? r : perm[r];
      int a = q % m, b = ((q - s) % m + m) % m;
      if (a > b) std::swap(a, b);
      std::int32_t* cols = inner + static_cast<std::int64_t>(r) * kNonzerosPerRow;
      outer[r] = r * kNonzerosPerRow;
      for (int t = 0; t < 16; ++t) {  // columns a + t·m and b + t·m, ascending since a < b < m
        cols[2 * t] = a + t * m;
        cols[2 * t + 1] = b + t * m;
      }
    }
    outer[neurons] = neurons * kNonzerosPerRow;
    std::fill(values, values + static_cast<std::int64_t>(neurons) * kNonzerosPerRow, kWeight);
    net.layers[k - 1].bias = generated_bias(neurons);
  }
  return net;
}

}  // namespace engine
