// The gzip IDX reader on tiny files written here with zlib.
#include "sim/provider/idx_reader.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "engine/common/input_error.hpp"

using namespace provider;

namespace {
std::string write_gz(const std::string& name, const std::vector<unsigned char>& bytes) {
  const std::string path = std::string(FSD_BINARY_DIR) + "/provider-test-" + name;
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
  return path;
}
}  // namespace

TEST_CASE("idx_reader: IDX images and labels are read from gzip") {
  // Two 2×3 images: pixels 0..11.
  std::vector<unsigned char> img{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
  for (unsigned char i = 0; i < 12; ++i) img.push_back(i);
  const IdxImages im = read_idx_images(write_gz("img.gz", img));
  CHECK(im.count == 2);
  CHECK(im.rows == 2);
  CHECK(im.cols == 3);
  CHECK(im.pixels[7] == 7);
  const auto labels = read_idx_labels(write_gz("lab.gz", {0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4}));
  CHECK(labels == std::vector<std::uint8_t>{9, 0, 4});
}

TEST_CASE("idx_reader: malformed IDX files are input errors") {
  std::vector<unsigned char> img{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2};  // short payload
  CHECK_THROWS_AS(read_idx_images(write_gz("short.gz", img)), engine::InputError);
  CHECK_THROWS_AS(read_idx_images(write_gz("magic.gz", {0, 0, 8, 1, 0, 0, 0, 0})), engine::InputError);
  CHECK_THROWS_AS(read_idx_labels(write_gz("lab-long.gz", {0, 0, 8, 1, 0, 0, 0, 1, 5, 6})), engine::InputError);
  CHECK_THROWS_AS(read_idx_images("/nonexistent/x.gz"), engine::InputError);
}
