// RowBlock: activation rows, the unit a worker sends and receives. Row r is neuron neurons[r] of
// Y_{k−1}, i.e. that neuron's activations across the batch: nonzero images images[offsets[r] ..
// offsets[r+1]) with values values[...] (a CSR matrix whose rows are neurons). An empty block
// (no rows) is the explicit "nothing to send" marker. Plain value; thread-safe as any value.
#pragma once

#include <cstdint>
#include <vector>

namespace engine {

struct RowBlock {
  std::vector<std::int32_t> neurons;       // ascending
  std::vector<std::int64_t> offsets{0};    // rows + 1 entries, offsets[0] = 0
  std::vector<std::int32_t> images;        // ascending within each row
  std::vector<float> values;               // > 0 (post-ReLU activations)

  std::size_t rows() const { return neurons.size(); }
  std::int64_t nnz() const { return static_cast<std::int64_t>(images.size()); }
  bool empty() const { return neurons.empty(); }
  // Bytes of the rows as numbers (what the bench's "activation rows" throughput counts):
  // 4 (neuron) + 4 (count) per row, 4 (image) + 4 (value) per nonzero.
  std::int64_t row_bytes() const { return 8 * static_cast<std::int64_t>(rows()) + 8 * nnz(); }

  void add_row(std::int32_t neuron) {
    neurons.push_back(neuron);
    offsets.push_back(offsets.back());
  }
  void add_value(std::int32_t image, float value) {  // to the last row added
    images.push_back(image);
    values.push_back(value);
    ++offsets.back();
  }
  bool operator==(const RowBlock&) const = default;
};

}  // namespace engine
