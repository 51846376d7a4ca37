#include "graphblas_peer.hpp"

#include <stdexcept>
#include <string>

namespace peer {
namespace {

void check(GrB_Info info, const char* what) {
  if (info != GrB_SUCCESS) throw std::runtime_error(std::string("GraphBLAS: ") + what + " failed (" + std::to_string(info) + ")");
}

void init_once() {
  static const bool done = [] {
    check(GrB_init(GrB_NONBLOCKING), "GrB_init");
    return true;
  }();
  (void)done;
}

GrB_Matrix to_graphblas(const engine::SparseMatrix& m) {
  std::vector<GrB_Index> rows, cols;
  std::vector<float> vals;
  rows.reserve(m.nonZeros());
  cols.reserve(m.nonZeros());
  vals.reserve(m.nonZeros());
  for (Eigen::Index r = 0; r < m.outerSize(); ++r)
    for (engine::SparseMatrix::InnerIterator it(m, r); it; ++it) {
      rows.push_back(r);
      cols.push_back(it.col());
      vals.push_back(it.value());
    }
  GrB_Matrix a = nullptr;
  check(GrB_Matrix_new(&a, GrB_FP32, m.rows(), m.cols()), "GrB_Matrix_new");
  check(GrB_Matrix_build_FP32(a, rows.data(), cols.data(), vals.data(), rows.size(), GrB_PLUS_FP32), "build");
  check(GrB_Matrix_wait(a, GrB_MATERIALIZE), "wait");
  return a;
}

}  // namespace

void set_graphblas_threads(int threads) {
  init_once();
  check(GxB_Global_Option_set(GxB_GLOBAL_NTHREADS, threads), "set threads");
}

GraphBlasInference::GraphBlasInference(const engine::Network& net, const engine::Activations& images) : ymax_(net.ymax) {
  init_once();
  for (const auto& layer : net.layers) {
    weights_.push_back(to_graphblas(layer.weights));
    bias_.push_back(layer.bias);
  }
  images_ = to_graphblas(images);
}

GraphBlasInference::~GraphBlasInference() {
  for (GrB_Matrix& w : weights_) GrB_Matrix_free(&w);
  GrB_Matrix_free(&images_);
}

std::vector<std::int32_t> GraphBlasInference::run() const {
  GrB_Matrix y = nullptr;
  check(GrB_Matrix_dup(&y, images_), "dup");
  for (std::size_t k = 0; k < weights_.size(); ++k) {
    check(GrB_mxm(y, nullptr, nullptr, GrB_PLUS_TIMES_SEMIRING_FP32, y, weights_[k], nullptr), "mxm");       // Z = Y·W
    check(GrB_Matrix_apply_BinaryOp2nd_FP32(y, nullptr, nullptr, GrB_PLUS_FP32, y, bias_[k], nullptr), "bias");  // on nonzeros
    check(GrB_Matrix_select_FP32(y, nullptr, nullptr, GrB_VALUEGT_FP32, y, 0.0f, nullptr), "select");            // ReLU
    check(GrB_Matrix_apply_BinaryOp2nd_FP32(y, nullptr, nullptr, GrB_MIN_FP32, y, ymax_, nullptr), "cap");      // ≤ ymax
  }
  // Categories: rows of Y with an entry (reduce each row with PLUS, take the vector's pattern).
  GrB_Index nrows = 0;
  check(GrB_Matrix_nrows(&nrows, y), "nrows");
  GrB_Vector rows = nullptr;
  check(GrB_Vector_new(&rows, GrB_FP32, nrows), "vector");
  check(GrB_Matrix_reduce_Monoid(rows, nullptr, nullptr, GrB_PLUS_MONOID_FP32, y, nullptr), "reduce");
  GrB_Index n = 0;
  check(GrB_Vector_nvals(&n, rows), "nvals");
  std::vector<GrB_Index> idx(n);
  std::vector<float> vals(n);
  check(GrB_Vector_extractTuples_FP32(idx.data(), vals.data(), &n, rows), "extract");
  GrB_Vector_free(&rows);
  GrB_Matrix_free(&y);
  return std::vector<std::int32_t>(idx.begin(), idx.end());
}

}  // namespace peer
