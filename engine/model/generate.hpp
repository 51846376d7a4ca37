// Generator of Graph Challenge-shaped networks (RadiX-Net structure, as the official files show).
//
// For N = 16·m neurons (m a power of two, m ≥ 2) every layer has 32 nonzeros per row and per
// column, all equal to 1/16. With s = 2^((k−1) mod log2 m), layer k's base pattern is
//   B_k(r, c) = 1/16  ⇔  c mod m = r mod m  or  c mod m = (r − s) mod m      (0-based r, c).
// Layers k = 1..log2 m are the base pattern itself (for N = 1024 layers 1–6 equal the official
// n1024-l<k> files bit for bit); later layers permute the rows of the base pattern:
// W_k(r, :) = B_k(π_k(r), :) with π_k a permutation drawn from (seed, k).
// Deterministic: the same (neurons, layers, seed) gives the same network on every platform (the
// permutation uses SplitMix64 and Lemire's bounded draw, not the standard distributions).
#pragma once

#include <cstdint>

#include "engine/model/network.hpp"

namespace engine {

// Throws std::invalid_argument unless neurons = 16·2^p with p ≥ 1 and layers ≥ 1.
// Bias: the challenge's for N = 1024, 4096, 16384, 65536 (see generated_bias).
Network generate_network(int neurons, int layers, std::uint64_t seed);

// The challenge's bias where it defines one (−0.3, −0.35, −0.4, −0.45 for 1024…65536); other
// N extend the same rule, −0.3 − 0.025·log2(N / 1024), so small test networks behave alike.
float generated_bias(int neurons);

// True when neurons = 16·2^p with p ≥ 1 (the sizes generate_network accepts).
bool is_generatable_size(int neurons);

// log2(neurons / 16), the number of distinct base patterns: for k > this period, layer k's rows
// are a permutation of layer (k − period)'s (the same B_k), as in the official n1024 files
// (period 6). No two layers have the same pattern: the row permutations differ. Layer k does not
// depend on how many layers are generated, so generate_network(N, W, seed) is the first W layers
// of any longer network of the same seed. Throws std::invalid_argument like generate_network.
int generated_pattern_period(int neurons);

}  // namespace engine
