// analytic_profile: a CommProfile computed in closed form, for models too large to partition here
// or before any run has measured one. Assumes a RadiX-Net-style network (the Graph Challenge's and
// engine/model/generate.hpp's): every row and column of W_k has `nnz_per_row` nonzeros whose
// columns are spread as if uniformly at random over the N neurons, and each worker owns N/P
// neurons. Formulas (docs/COSTMODEL.md, "Analytic profile"):
//   q   = 1 − (1 − 1/P)^d                       chance a row is needed by one given other worker
//   R_k = f · N · (P − 1) · q                   rows sent before layer k (f: partition factor)
//   pairs_k = P(P−1) · (1 − (1 − f·q)^(N/P))    non-empty (source, target) pairs
//   max rows sent/received = (1 + ε) · R_k / P
//   density_k = ρ_in · (ρ_out/ρ_in)^((k−1)/(L−1))   geometric decay of activations
// f = 1 for random and contiguous partitions (RadiX-Net spreads connections across the layer),
// hypergraph_factor for hypergraph (default 1/3: issue 4's acceptance bound; the authors measured
// 3.9 / 36.4 ≈ 0.11 on N = 16384). Layers with equal statistics are folded with `repeat`.
// Pure function, deterministic.
#pragma once

#include <string>

#include "costmodel/comm_profile.hpp"

namespace cost {

struct AnalyticModel {
  int neurons = 1024;          // N
  int layers = 120;            // L
  int batch_size = 1000;       // B
  int parts = 8;               // P
  int nnz_per_row = 32;        // d
  std::string partition = "hypergraph";  // contiguous | random | hypergraph
  double hypergraph_factor = 1.0 / 3.0;  // f for hypergraph
  double imbalance = 0.05;               // ε
  double input_density = 0.1;            // ρ_in: nnz(Y_0)/(B·N); n1024 images: 122,713/(1200·1024) = 0.0999
  double output_density = 0.1;           // ρ_out: density of Y_{L−1}
};

// Throws std::invalid_argument on non-positive sizes, densities outside (0, 1], or an unknown partition.
CommProfile analytic_profile(const AnalyticModel& model);

}  // namespace cost
