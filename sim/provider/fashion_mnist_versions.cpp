// fashion_mnist_versions implementation: a small dense MLP with hand-written backpropagation.
#include "sim/provider/fashion_mnist_versions.hpp"

#include <Eigen/Dense>
#include <cmath>
#include <random>

#include "engine/common/input_error.hpp"
#include "engine/model/idx.hpp"

namespace provider {
namespace {

using Mat = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vec = Eigen::RowVectorXf;

struct Mlp {
  std::vector<Mat> w;  // w[l]: in × out
  std::vector<Vec> b;

  Mlp(const std::vector<int>& sizes, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
      const float limit = std::sqrt(6.0f / float(sizes[l] + sizes[l + 1]));  // Glorot uniform
      Mat m(sizes[l], sizes[l + 1]);
      for (Eigen::Index i = 0; i < m.size(); ++i)
        m.data()[i] = limit * float(static_cast<double>(rng() >> 11) * 0x1.0p-53 * 2.0 - 1.0);
      w.push_back(std::move(m));
      b.push_back(Vec::Zero(sizes[l + 1]));
    }
  }

  // Activations of every layer for a batch x (n × 784); the last is the logits.
  std::vector<Mat> forward(const Mat& x) const {
    std::vector<Mat> a{x};
    for (std::size_t l = 0; l < w.size(); ++l) {
      Mat z = (a.back() * w[l]).rowwise() + b[l];
      if (l + 1 < w.size()) z = z.cwiseMax(0.0f);
      a.push_back(std::move(z));
    }
    return a;
  }

  // One SGD step on softmax cross-entropy; layers below `first_trained` stay fixed.
  void sgd_step(const Mat& x, const std::vector<std::uint8_t>& y, float lr, std::size_t first_trained) {
    const auto a = forward(x);
    Mat delta = a.back();  // dL/dlogits = softmax − onehot, averaged over the batch
    for (Eigen::Index i = 0; i < delta.rows(); ++i) {
      delta.row(i).array() -= delta.row(i).maxCoeff();
      delta.row(i) = delta.row(i).array().exp();
      delta.row(i) /= delta.row(i).sum();
      delta(i, y[std::size_t(i)]) -= 1.0f;
    }
    delta /= float(x.rows());
    for (std::size_t l = w.size(); l-- > first_trained;) {
      Mat next;
      if (l > first_trained)
        next = (delta * w[l].transpose()).cwiseProduct((a[l].array() > 0.0f).cast<float>().matrix());
      w[l].noalias() -= lr * a[l].transpose() * delta;
      b[l] -= lr * delta.colwise().sum();
      delta = std::move(next);
    }
  }

  std::vector<std::byte> bytes() const {
    std::vector<std::byte> out;
    for (std::size_t l = 0; l < w.size(); ++l)
      for (const float* p : {w[l].data(), b[l].data()}) {
        const auto n = static_cast<std::size_t>(p == w[l].data() ? w[l].size() : b[l].size());
        const auto* bp = reinterpret_cast<const std::byte*>(p);
        out.insert(out.end(), bp, bp + n * sizeof(float));
      }
    return out;
  }
};

Mat batch_of(const engine::IdxImages& im, int first, int n) {
  const int d = im.rows * im.cols;
  Mat x(n, d);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < d; ++j)
      x(i, j) = float(im.pixels[std::size_t(first + i) * std::size_t(d) + std::size_t(j)]) / 255.0f;
  return x;
}

double accuracy(const Mlp& net, const engine::IdxImages& im, const std::vector<std::uint8_t>& labels) {
  int right = 0;
  for (int first = 0; first < im.count; first += 1000) {
    const int n = std::min(1000, im.count - first);
    const Mat logits = net.forward(batch_of(im, first, n)).back();
    for (int i = 0; i < n; ++i) {
      Eigen::Index k = 0;
      logits.row(i).maxCoeff(&k);
      right += k == labels[std::size_t(first + i)];
    }
  }
  return double(right) / double(im.count);
}

void train(Mlp& net, const engine::IdxImages& im, const std::vector<std::uint8_t>& labels, int first, int end,
           std::size_t first_trained) {
  constexpr int kBatch = 64;
  for (int i = first; i < end; i += kBatch) {
    const int n = std::min(kBatch, end - i);
    net.sgd_step(batch_of(im, i, n), {labels.begin() + i, labels.begin() + i + n}, 0.05f, first_trained);
  }
}

}  // namespace

const char* to_string(FineTune mode) { return mode == FineTune::kAllLayers ? "all-layers" : "frozen-first-layer"; }

ImageVersions fashion_mnist_versions(const std::string& dir, FineTune mode, std::uint64_t seed,
                                     FashionVersionsReport* report, int train_images, int hidden) {
  const engine::IdxImages train_x = engine::read_idx_grey_images(dir + "/train-images-idx3-ubyte.gz");
  const auto train_y = engine::read_idx_labels(dir + "/train-labels-idx1-ubyte.gz");
  const engine::IdxImages test_x = engine::read_idx_grey_images(dir + "/t10k-images-idx3-ubyte.gz");
  const auto test_y = engine::read_idx_labels(dir + "/t10k-labels-idx1-ubyte.gz");
  if (int(train_y.size()) != train_x.count || int(test_y.size()) != test_x.count)
    throw engine::InputError(dir, 0, "image and label counts differ");
  for (auto y : train_y)
    if (y > 9) throw engine::InputError(dir + "/train-labels-idx1-ubyte.gz", 0, "label above 9");
  for (auto y : test_y)
    if (y > 9) throw engine::InputError(dir + "/t10k-labels-idx1-ubyte.gz", 0, "label above 9");
  if (train_images < 2 || train_images > train_x.count)
    throw std::invalid_argument("fashion_mnist_versions(): train_images");
  const int half = train_images / 2;
  Mlp net({train_x.rows * train_x.cols, hidden, hidden, 10}, seed);
  train(net, train_x, train_y, 0, half, 0);
  ImageVersions v;
  v.v1 = net.bytes();
  if (report) report->test_accuracy_v1 = accuracy(net, test_x, test_y);
  train(net, train_x, train_y, half, 2 * half, mode == FineTune::kAllLayers ? 0 : 1);
  v.v2 = net.bytes();
  if (report) report->test_accuracy_v2 = accuracy(net, test_x, test_y);
  return v;
}

}  // namespace provider
