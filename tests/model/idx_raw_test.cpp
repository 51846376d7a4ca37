// The raw IDX reader (grey levels, labels) on tiny files written here with zlib.
#include "engine/model/idx.hpp"

#include <doctest/doctest.h>

#include "scratch.hpp"
#include <zlib.h>

#include <string>
#include <vector>

#include "engine/common/input_error.hpp"

using engine::IdxImages;
using engine::read_idx_labels;

namespace {
std::string write_gz(const std::string& name, const std::vector<unsigned char>& bytes) {
  const std::string path = fsd_test::scratch("idx-raw-test-" + name);
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, bytes.data(), unsigned(bytes.size()));
  gzclose(f);
  return path;
}
}  // namespace

TEST_CASE("idx: IDX images and labels are read from gzip") {
  // Two 2×3 images: pixels 0..11.
  std::vector<unsigned char> img{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3};
  for (unsigned char i = 0; i < 12; ++i) img.push_back(i);
  const IdxImages im = engine::read_idx_grey_images(write_gz("img.gz", img));
  CHECK(im.count == 2);
  CHECK(im.rows == 2);
  CHECK(im.cols == 3);
  CHECK(im.pixels[7] == 7);
  const auto labels = read_idx_labels(write_gz("lab.gz", {0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4}));
  CHECK(labels == std::vector<std::uint8_t>{9, 0, 4});
}

TEST_CASE("idx: malformed IDX files are input errors") {
  std::vector<unsigned char> img{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2};  // short payload
  CHECK_THROWS_AS(engine::read_idx_grey_images(write_gz("short.gz", img)), engine::InputError);
  CHECK_THROWS_AS(engine::read_idx_grey_images(write_gz("magic.gz", {0, 0, 8, 1, 0, 0, 0, 0})), engine::InputError);
  CHECK_THROWS_AS(read_idx_labels(write_gz("lab-long.gz", {0, 0, 8, 1, 0, 0, 0, 1, 5, 6})), engine::InputError);
  std::vector<unsigned char> long_img{0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 7, 8};  // one byte too many
  CHECK_THROWS_AS(engine::read_idx_grey_images(write_gz("long.gz", long_img)), engine::InputError);
  CHECK_THROWS_AS(engine::read_idx_grey_images("/nonexistent/x.gz"), engine::InputError);
}
