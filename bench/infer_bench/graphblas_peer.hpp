// The SuiteSparse:GraphBLAS peer of the serial engine (bench only): the same Graph Challenge
// inference written the way LAGraph's LAGraph_dnn does it, one GraphBLAS call per step:
//   Y = Y·W_k (mxm, plus-times FP32);  Y = Y + bias on Y's entries (apply);  Y = select(Y > 0);
//   Y = min(Y, ymax) (apply).
// Weights and inputs are converted to GraphBLAS matrices once (not timed); run() times nothing
// itself. GraphBLAS is initialised once per process; threads are a global GraphBLAS setting.
#pragma once

extern "C" {  // GraphBLAS.h (v7.4) declares C functions without its own guard
#include <GraphBLAS.h>
}

#include <cstdint>
#include <vector>

#include "engine/model/network.hpp"

namespace peer {

// Sets GraphBLAS's global thread count (calls GrB_init on first use).
void set_graphblas_threads(int threads);

class GraphBlasInference {
 public:
  GraphBlasInference(const engine::Network& net, const engine::Activations& images);
  ~GraphBlasInference();
  GraphBlasInference(const GraphBlasInference&) = delete;
  GraphBlasInference& operator=(const GraphBlasInference&) = delete;

  // One full inference from the stored inputs; returns the categories (0-based rows with a nonzero).
  std::vector<std::int32_t> run() const;

 private:
  std::vector<GrB_Matrix> weights_;
  std::vector<float> bias_;
  float ymax_;
  GrB_Matrix images_ = nullptr;
};

}  // namespace peer
