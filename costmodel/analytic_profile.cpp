#include "costmodel/analytic_profile.hpp"

#include <cmath>
#include <stdexcept>

namespace cost {

CommProfile analytic_profile(const AnalyticModel& m) {
  if (m.neurons <= 0 || m.layers <= 0 || m.batch_size <= 0 || m.parts <= 0 || m.nnz_per_row <= 0)
    throw std::invalid_argument("analytic profile: sizes must be > 0");
  if (!(m.input_density > 0 && m.input_density <= 1 && m.output_density > 0 && m.output_density <= 1))
    throw std::invalid_argument("analytic profile: densities must be in (0, 1]");
  if (m.partition != "hypergraph" && m.partition != "random" && m.partition != "contiguous")
    throw std::invalid_argument("analytic profile: unknown partition '" + m.partition + "'");
  if (!(m.hypergraph_factor > 0)) throw std::invalid_argument("analytic profile: hypergraph_factor must be > 0");

  const double P = m.parts, N = m.neurons;
  const double d = std::min<double>(m.nnz_per_row, N);
  const double q = P > 1 ? 1.0 - std::pow(1.0 - 1.0 / P, d) : 0.0;  // a given other worker needs the row
  double copies = (P - 1) * q;                                      // rows sent per row of Y_{k−1}
  if (m.partition == "hypergraph" && P > 1)
    copies =
        std::min(copies, m.hypergraph_factor * std::max(0.0, m.hypergraph_rows_a + m.hypergraph_rows_b * std::log(P)));
  const double rows = N * copies;
  const double per_target = P > 1 ? copies / (P - 1) : 0.0;  // chance one given other worker gets a row
  const double pairs = P * (P - 1) * (1.0 - std::pow(1.0 - per_target, N / P));
  const double max_rows = std::min(rows, (1.0 + m.imbalance) * rows / P);

  CommProfile p;
  p.neurons = m.neurons;
  p.parts = m.parts;
  p.batch_size = m.batch_size;
  p.source = "analytic: radix-net d=" + std::to_string(m.nnz_per_row) + ", partition " + m.partition;
  LayerProfile base;
  base.rows_sent = std::llround(rows);
  base.nonempty_pairs = base.rows_sent > 0 ? std::max<std::int64_t>(1, std::llround(pairs)) : 0;
  base.max_rows_sent = base.rows_sent > 0 ? std::max<std::int64_t>(1, std::llround(max_rows)) : 0;
  base.max_rows_received = base.max_rows_sent;
  base.weight_nnz = static_cast<std::int64_t>(m.neurons) * m.nnz_per_row;
  const double ratio = m.output_density / m.input_density;
  for (int k = 1; k <= m.layers; ++k) {
    LayerProfile l = base;
    l.input_density = m.layers > 1 ? m.input_density * std::pow(ratio, (k - 1.0) / (m.layers - 1.0)) : m.input_density;
    if (!p.layers.empty() && p.layers.back().input_density == l.input_density)
      ++p.layers.back().repeat;  // constant density: one entry for all layers
    else
      p.layers.push_back(l);
  }
  return p;
}

}  // namespace cost
