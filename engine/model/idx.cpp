#include "engine/model/idx.hpp"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/common/input_error.hpp"

namespace engine {
namespace {

struct GzCloser {
  void operator()(gzFile f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<std::remove_pointer_t<gzFile>, GzCloser>;

// Reads exactly n bytes or throws (truncated or corrupt).
void read_exact(gzFile f, const std::string& path, void* out, std::size_t n, const char* what) {
  const int got = gzread(f, out, static_cast<unsigned>(n));
  if (got < 0) {
    int err = 0;
    throw InputError(path, 0, std::string("corrupt file while reading ") + what + ": " + gzerror(f, &err));
  }
  if (static_cast<std::size_t>(got) != n) throw InputError(path, 0, std::string("truncated: ") + what);
}

std::uint32_t big_endian(const unsigned char* b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
}

struct ImageFile {
  GzFile f;
  std::uint32_t count = 0, rows = 0, cols = 0;
};

// Opens an IDX image file and reads its header; the stream is left at the first image.
ImageFile open_images(const std::string& path) {
  ImageFile file{GzFile(gzopen(path.c_str(), "rb"))};
  if (!file.f) throw InputError(path, 0, "cannot open file");
  unsigned char header[16];
  read_exact(file.f.get(), path, header, 4, "magic number");
  if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != 3)
    throw InputError(path, 0, "not an IDX file of unsigned bytes with 3 dimensions (magic 0x00000803)");
  read_exact(file.f.get(), path, header + 4, 12, "header");
  file.count = big_endian(header + 4);
  file.rows = big_endian(header + 8);
  file.cols = big_endian(header + 12);
  if (file.rows < 1 || file.cols < 1 || file.rows > 4096 || file.cols > 4096)
    throw InputError(path, 0,
                     "image size " + std::to_string(file.rows) + "×" + std::to_string(file.cols) + " out of range");
  if (file.count > (1u << 24)) throw InputError(path, 0, "image count " + std::to_string(file.count) + " out of range");
  return file;
}

// Throws unless the stream is at its end.
void expect_end(gzFile f, const std::string& path) {
  unsigned char extra = 0;
  if (gzread(f, &extra, 1) != 0) throw InputError(path, 0, "trailing bytes after the last record");
}

}  // namespace

IdxImages read_idx_grey_images(const std::string& path) {
  ImageFile file = open_images(path);
  IdxImages images;
  images.count = static_cast<int>(file.count);
  images.rows = static_cast<int>(file.rows);
  images.cols = static_cast<int>(file.cols);
  images.pixels.resize(static_cast<std::size_t>(file.count) * file.rows * file.cols);
  read_exact(file.f.get(), path, images.pixels.data(), images.pixels.size(), "images");
  expect_end(file.f.get(), path);
  return images;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError(path, 0, "cannot open file");
  unsigned char header[8];
  read_exact(f.get(), path, header, 8, "header");
  if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != 1)
    throw InputError(path, 0, "not an IDX label file (magic 0x00000801)");
  const std::uint32_t count = big_endian(header + 4);
  if (count > (1u << 24)) throw InputError(path, 0, "label count " + std::to_string(count) + " out of range");
  std::vector<std::uint8_t> labels(count);
  read_exact(f.get(), path, labels.data(), labels.size(), "labels");
  expect_end(f.get(), path);
  return labels;
}

Activations read_idx_images(const std::string& path, int neurons, int count) {
  const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(std::max(neurons, 0)))));
  if (neurons < 1 || side * side != neurons)
    throw InputError(path, 0, "IDX images need N to be a perfect square, got N = " + std::to_string(neurons));
  if (count < 1) throw InputError(path, 0, "image count must be ≥ 1, got " + std::to_string(count));
  ImageFile file = open_images(path);
  const std::uint32_t available = file.count, rows = file.rows, cols = file.cols;
  if (available < static_cast<std::uint32_t>(count))
    throw InputError(path, 0, "has " + std::to_string(available) + " images, " + std::to_string(count) + " asked for");

  std::vector<unsigned char> pixels(static_cast<std::size_t>(rows) * cols);
  // Bilinear sample positions: output pixel o ↦ source (o + 0.5)·in/out − 0.5, clamped to the image.
  auto axis = [&](std::uint32_t in, std::vector<int>& lo, std::vector<float>& frac) {
    lo.resize(side);
    frac.resize(side);
    for (int o = 0; o < side; ++o) {
      const double s = std::clamp((o + 0.5) * in / side - 0.5, 0.0, static_cast<double>(in - 1));
      lo[o] = std::min(static_cast<int>(s), static_cast<int>(in) - 1);
      frac[o] = static_cast<float>(s - lo[o]);
    }
  };
  std::vector<int> y0, x0;
  std::vector<float> fy, fx;
  axis(rows, y0, fy);
  axis(cols, x0, fx);

  std::vector<Eigen::Triplet<float, std::int32_t>> entries;
  for (int b = 0; b < count; ++b) {
    read_exact(file.f.get(), path, pixels.data(), pixels.size(), ("image " + std::to_string(b + 1)).c_str());
    auto at = [&](int y, int x) { return static_cast<float>(pixels[static_cast<std::size_t>(y) * cols + x]); };
    for (int y = 0; y < side; ++y) {
      const int ya = y0[y], yb = std::min(ya + 1, static_cast<int>(rows) - 1);
      for (int x = 0; x < side; ++x) {
        const int xa = x0[x], xb = std::min(xa + 1, static_cast<int>(cols) - 1);
        const float top = at(ya, xa) + fx[x] * (at(ya, xb) - at(ya, xa));
        const float bottom = at(yb, xa) + fx[x] * (at(yb, xb) - at(yb, xa));
        if (top + fy[y] * (bottom - top) >= 128.0f) entries.emplace_back(b, y * side + x, 1.0f);
      }
    }
  }
  Activations images(count, neurons);
  images.setFromTriplets(entries.begin(), entries.end());
  return images;
}

}  // namespace engine
