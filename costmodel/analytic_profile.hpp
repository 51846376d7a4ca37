// analytic_profile: a CommProfile computed in closed form, for models too large to partition here
// or before any run has measured one. Assumes a RadiX-Net-style network (the Graph Challenge's and
// engine/model/generate.hpp's): every row and column of W_k has `nnz_per_row` nonzeros whose
// columns are spread as if uniformly at random over the N neurons, and each worker owns N/P
// neurons. Formulas (docs/COSTMODEL.md, "Analytic profile"):
//   q    = 1 − (1 − 1/P)^d                       chance a row is needed by one given other worker
//   c(P) = (P − 1) · q                           copies sent per row: random, contiguous
//   c(P) = f · min((P − 1)·q, a + b·ln P)        hypergraph: a fit to measured partitions
//   R_k  = N · c(P)                              rows sent before layer k
//   pairs_k = P(P−1) · (1 − (1 − c/(P−1))^(N/P)) non-empty (source, target) pairs
//   max rows sent/received = (1 + ε) · R_k / P
//   density_k = ρ_in · (ρ_out/ρ_in)^((k−1)/(L−1))   geometric decay of activations
// Random/contiguous: RadiX-Net spreads each row's columns across the layer. Hypergraph: a = 0.32,
// b = 0.26 fit the 0.86, 1.02, 1.39 copies per row make_comm_plan measured for P = 8, 20, 62 on a
// generated 4096×120 network (docs/PERFORMANCE.md, Partitioning); f scales it (1 = the fit).
// Layers with equal statistics are folded with `repeat`.
// Pure function, deterministic.
#pragma once

#include <string>

#include "costmodel/comm_profile.hpp"

namespace cost {

struct AnalyticModel {
  int neurons = 1024;                    // N
  int layers = 120;                      // L
  int batch_size = 1000;                 // B
  int parts = 8;                         // P
  int nnz_per_row = 32;                  // d
  std::string partition = "hypergraph";  // contiguous | random | hypergraph
  double hypergraph_factor = 1.0;        // f: scales the hypergraph fit (1 = as measured)
  double hypergraph_rows_a = 0.32;       // a
  double hypergraph_rows_b = 0.26;       // b
  double imbalance = 0.05;               // ε
  double input_density = 0.1;            // ρ_in: nnz(Y_0)/(B·N); n1024 images: 122,713/(1200·1024) = 0.0999
  double output_density = 0.1;           // ρ_out: density of Y_{L−1}
};

// Throws std::invalid_argument on non-positive sizes, densities outside (0, 1], or an unknown partition.
CommProfile analytic_profile(const AnalyticModel& model);

}  // namespace cost
