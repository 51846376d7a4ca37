// Readers and the TSV writer: good files, then every bad-input case of issue 2 — each one an
// InputError naming the file and (where there is one) the line.
#include <doctest/doctest.h>

#include "scratch.hpp"
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/common/input_error.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/matrix_market.hpp"
#include "engine/model/network_io.hpp"
#include "engine/model/tsv.hpp"

namespace fs = std::filesystem;

namespace {

// A fresh folder per test case under the build tree.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(fsd_test::scratch_dir() / name) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

// The message of the InputError fn throws ("" if none).
template <class Fn>
std::string input_error(Fn&& fn) {
  try {
    fn();
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "";
}

const std::string kBanner = "%%MatrixMarket matrix coordinate real general\n";

}  // namespace

TEST_CASE("readers: MatrixMarket real, integer, pattern and symmetric") {
  TempDir dir("mtx_good");
  auto m = engine::read_matrix_market(dir.write("a.mtx", kBanner + "% comment\n3 3 2\n1 3 .5\n3 1 -2e-1\n"));
  CHECK(m.rows() == 3);
  CHECK(m.coeff(0, 2) == 0.5f);
  CHECK(m.coeff(2, 0) == -0.2f);
  CHECK(m.nonZeros() == 2);
  m = engine::read_matrix_market(
      dir.write("p.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 4 2\n1 4\n2 1\n"));
  CHECK(m.cols() == 4);
  CHECK(m.coeff(0, 3) == 1.0f);
  m = engine::read_matrix_market(dir.write("i.mtx", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n2 2 7\n"));
  CHECK(m.coeff(1, 1) == 7.0f);
  // Symmetric: one triangle stored, both present after reading (shared layer 6 relies on this).
  m = engine::read_matrix_market(
      dir.write("s.mtx", "%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n1 1 1\n3 1 .25\n"));
  CHECK(m.nonZeros() == 3);
  CHECK(m.coeff(2, 0) == 0.25f);
  CHECK(m.coeff(0, 2) == 0.25f);
  // Shared layer 6 is symmetric with 16,896 stored entries for 32,768 nonzeros.
  m = engine::read_matrix_market(std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024/n1024-l6.mtx");
  CHECK(m.nonZeros() == 32768);
}

TEST_CASE("readers: TSV round trip through the writer, atomically") {
  TempDir dir("tsv_good");
  const engine::Network net = engine::generate_network(64, 2, 3);
  const std::string path = (dir.path / "w.tsv").string();
  engine::write_tsv_matrix(path, net.layers[1].weights);
  const engine::SparseMatrix back = engine::read_tsv_matrix(path, 64, 64);
  CHECK(back.nonZeros() == 64 * 32);
  CHECK((back - net.layers[1].weights).norm() == 0.0f);
  for (const auto& entry : fs::directory_iterator(dir.path))  // no temporary file left behind
    CHECK(entry.path().filename() == "w.tsv");
  // Odd values survive exactly (shortest round-trip text).
  engine::SparseMatrix odd(2, 2);
  odd.insert(0, 1) = 0.1f;
  odd.insert(1, 0) = -3.0e-7f;
  odd.makeCompressed();
  engine::write_tsv_matrix(path, odd);
  CHECK((engine::read_tsv_matrix(path, 2, 2) - odd).norm() == 0.0f);
  CHECK_THROWS_AS(engine::write_tsv_matrix((dir.path / "no/such/dir/x.tsv").string(), odd), std::runtime_error);
  // Images: rows = largest row index; spaces as separators accepted.
  const auto images = engine::read_tsv_matrix(dir.write("img.tsv", "1\t3\t1\n4 2 1\n"), -1, 8);
  CHECK(images.rows() == 4);
  CHECK(images.coeff(3, 1) == 1.0f);
}

TEST_CASE("readers: network folders in TSV and MatrixMarket, and generated inputs") {
  TempDir dir("network_good");
  const engine::Network net = engine::generate_network(64, 3, 9);
  engine::write_network(dir.path.string(), net);
  const engine::Network back = engine::read_network(dir.path.string(), 64, 3);
  REQUIRE(back.num_layers() == 3);
  for (int k = 0; k < 3; ++k) CHECK((back.layers[k].weights - net.layers[k].weights).norm() == 0.0f);
  CHECK(back.layers[0].bias == net.layers[0].bias);
}

TEST_CASE("readers: IDX images, raw and gzip, resized and binarized") {
  TempDir dir("idx_good");
  // Two 4×4 images; for N = 16 the resize is the identity, so binarization is visible directly.
  std::string bytes = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 4};
  for (int i = 0; i < 32; ++i) bytes.push_back(static_cast<char>(i == 5 ? 128 : i == 6 ? 127 : i == 20 ? 255 : 0));
  const std::string raw = dir.write("raw-idx3-ubyte", bytes);
  const std::string gz = (dir.path / "img-idx3-ubyte.gz").string();
  gzFile f = gzopen(gz.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
  for (const auto& path : {raw, gz}) {
    const engine::Activations y = engine::read_idx_images(path, 16, 2);
    CHECK(y.rows() == 2);
    CHECK(y.nonZeros() == 2);
    CHECK(y.coeff(0, 5) == 1.0f);  // 128 is on, 127 is off
    CHECK(y.coeff(0, 6) == 0.0f);
    CHECK(y.coeff(1, 4) == 1.0f);  // pixel 20 = image 2, pixel 4
  }
  // Debian's Fashion-MNIST, resized to 32×32.
  const engine::Activations fashion = engine::read_idx_images(engine::kFashionMnistTrainImages, 1024, 3);
  CHECK(fashion.rows() == 3);
  CHECK(fashion.cols() == 1024);
  for (int b = 0; b < 3; ++b) {
    CHECK(fashion.row(b).nonZeros() > 10);  // image 2 is a dark sandal: 30 pixels on
    CHECK(fashion.row(b).nonZeros() < 1024);
  }
}

// ---- error cases ----

TEST_CASE("readers: bad MatrixMarket files name the file, the line and the problem") {
  TempDir dir("mtx_bad");
  struct Case {
    const char* name;
    std::string text;
    std::string want;  // expected "file:line: …" fragment after the path
  };
  const std::vector<Case> cases = {
      {"empty", "", ": empty file"},
      {"banner", "%%MatrixMarket tensor coordinate real general\n1 1 0\n", ":1: expected '%%MatrixMarket"},
      {"array", "%%MatrixMarket matrix array real general\n1 1\n1\n", ":1: only the coordinate format"},
      {"complex", "%%MatrixMarket matrix coordinate complex general\n1 1 0\n", ":1: field must be"},
      {"hermitian", "%%MatrixMarket matrix coordinate real hermitian\n1 1 0\n", ":1: symmetry must be"},
      {"size", kBanner + "% c\n3 x 2\n", ":3: expected the size line"},
      {"nosize", kBanner + "% only comments\n", ":3: truncated: no size line"},
      {"malformed", kBanner + "3 3 2\n1 1 .5\n2 two .5\n", ":4: expected 'row col value'"},
      {"novalue", kBanner + "3 3 2\n1 1\n", ":3: expected 'row col value'"},
      {"nan", kBanner + "3 3 1\n1 1 nan\n", ":3: expected 'row col value'"},
      {"range", kBanner + "3 3 2\n1 1 .5\n4 1 .5\n", ":4: index (4, 1) out of range 3×3"},
      {"zero", kBanner + "3 3 1\n0 1 .5\n", ":3: index (0, 1) out of range"},
      {"short", kBanner + "3 3 3\n1 1 .5\n2 2 .5\n", ":5: truncated: 2 of 3 entries"},
      {"cut", kBanner + "3 3 2\n1 1 .5\n2 2 .0", ":4: truncated: last line has no newline"},
      {"long", kBanner + "3 3 1\n1 1 .5\n2 2 .5\n", ":4: more entries than the 1 declared"},
      {"dup", kBanner + "3 3 2\n1 1 .5\n1 1 .5\n", ": duplicate entry (1, 1)"},
      {"symrect", "%%MatrixMarket matrix coordinate real symmetric\n3 4 0\n", ":2: symmetric matrix must be square"},
      {"intfrac", "%%MatrixMarket matrix coordinate integer general\n2 2 1\n1 1 1.5\n", ":3: integer matrix"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string path = dir.write(std::string(c.name) + ".mtx", c.text);
    const std::string msg = input_error([&] { engine::read_matrix_market(path); });
    CHECK(msg.rfind(path + c.want, 0) == 0);
    CHECK(msg.find('\n') == std::string::npos);
  }
  CHECK(input_error([&] { engine::read_matrix_market((dir.path / "missing.mtx").string()); }).find("cannot open") !=
        std::string::npos);
}

TEST_CASE("readers: bad TSV files name the file, the line and the problem") {
  TempDir dir("tsv_bad");
  struct Case {
    const char* name;
    std::string text;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"empty", "", ": empty file"},
      {"blank", "\n\n", ": no entries"},
      {"two", "1\t1\t.5\n2\t2\n", ":2: expected 'row<TAB>col<TAB>value'"},
      {"four", "1\t1\t.5\t9\n", ":1: expected 'row<TAB>col<TAB>value'"},
      {"text", "1\t1\tabc\n", ":1: expected"},
      {"col", "1\t1\t.5\n1\t9\t.5\n", ":2: column 9 out of range 1..4"},
      {"row", "5\t1\t.5\n", ":1: row 5 out of range 1..4"},
      {"zero", "0\t1\t.5\n", ":1: row 0 out of range"},
      {"cut", "1\t1\t.5\n2\t2\t.06", ":2: truncated: last line has no newline"},
      {"dup", "1\t1\t.5\n1\t1\t.5\n", ": duplicate entry (1, 1)"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    const std::string path = dir.write(std::string(c.name) + ".tsv", c.text);
    const std::string msg = input_error([&] { engine::read_tsv_matrix(path, 4, 4); });
    CHECK(msg.rfind(path + c.want, 0) == 0);
  }
  // Image files: the row count comes from the largest index, which is capped.
  const std::string huge = dir.write("huge.tsv", "1\t1\t1\n999999999\t1\t1\n");
  CHECK(input_error([&] { engine::read_tsv_matrix(huge, -1, 4); }).rfind(huge + ":2: row 999999999 out of range 1..16777216", 0) == 0);
  const std::string col0 = dir.write("col0.tsv", "1\t0\t1\n");
  CHECK(input_error([&] { engine::read_tsv_matrix(col0, -1, 4); }).rfind(col0 + ":1: column 0 out of range 1..4", 0) == 0);
}

TEST_CASE("readers: bad networks and images (missing layer, non-square, N disagrees, too wide)") {
  TempDir dir("network_bad");
  const std::string d = dir.path.string();
  const std::string l1 = dir.write("n4-l1.mtx", kBanner + "4 4 1\n1 1 .5\n");
  CHECK(input_error([&] { engine::read_network(d, 4, 2); }).rfind(d + "/n4-l2.mtx: missing layer 2", 0) == 0);
  dir.write("n4-l2.mtx", kBanner + "4 5 1\n1 1 .5\n");
  CHECK(input_error([&] { engine::read_network(d, 4, 2); }).rfind(d + "/n4-l2.mtx: weight matrix is not square", 0) == 0);
  dir.write("n4-l2.mtx", kBanner + "8 8 1\n1 1 .5\n");  // layers disagree on N
  CHECK(input_error([&] { engine::read_network(d, 4, 2); }).rfind(d + "/n4-l2.mtx: layer has 8 neurons, the network 4", 0) ==
        0);
  dir.write("n4-l2.tsv", "1\t5\t.5\n");  // a TSV layer wider than N (the .tsv takes precedence)
  CHECK(input_error([&] { engine::read_network(d, 4, 2); }).rfind(d + "/n4-l2.tsv:1: column 5 out of range 1..4", 0) == 0);
  CHECK(input_error([&] { engine::read_network(d + "/nope", 4, 1); }).find("not a folder") != std::string::npos);
  // Images wider than N.
  const std::string wide = dir.write("wide.mtx", "%%MatrixMarket matrix coordinate pattern general\n2 6 1\n1 6\n");
  CHECK(input_error([&] { engine::read_images(wide, 4); }).rfind(wide + ": images are 6 wide, the network has 4 neurons", 0) ==
        0);
  const std::string wide_tsv = dir.write("sparse-images-4.tsv", "1\t6\t1\n");
  CHECK(input_error([&] { engine::read_images(wide_tsv, 4); }).rfind(wide_tsv + ":1: column 6 out of range 1..4", 0) == 0);
  CHECK(input_error([&] { engine::read_images(d + "/none.tsv", 4); }).find("no such file") != std::string::npos);
}

TEST_CASE("readers: bad IDX files") {
  TempDir dir("idx_bad");
  const std::string header = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 4};
  const std::string wrong_magic = dir.write("magic", std::string{0, 0, 8, 1} + header.substr(4) + std::string(32, 0));
  CHECK(input_error([&] { engine::read_idx_images(wrong_magic, 16, 1); }).rfind(wrong_magic + ": not an IDX file", 0) == 0);
  const std::string cut = dir.write("cut", header + std::string(20, 0));  // image 2 is truncated
  CHECK(input_error([&] { engine::read_idx_images(cut, 16, 2); }).rfind(cut + ": truncated: image 2", 0) == 0);
  const std::string short_header = dir.write("short", header.substr(0, 9));
  CHECK(input_error([&] { engine::read_idx_images(short_header, 16, 1); }).rfind(short_header + ": truncated: header", 0) ==
        0);
  const std::string ok = dir.write("ok", header + std::string(32, 0));
  CHECK(input_error([&] { engine::read_idx_images(ok, 16, 3); }).rfind(ok + ": has 2 images, 3 asked for", 0) == 0);
  CHECK(input_error([&] { engine::read_idx_images(ok, 15, 1); }).find("perfect square") != std::string::npos);
  CHECK(input_error([&] { engine::read_idx_images(ok, 16, 0); }).find("count must be") != std::string::npos);
  const std::string empty = dir.write("empty", "");
  CHECK(input_error([&] { engine::read_idx_images(empty, 16, 1); }).rfind(empty + ": truncated: magic number", 0) == 0);
  // A corrupt gzip stream.
  const std::string corrupt = dir.write("corrupt.gz", std::string{'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, 3} + std::string(40, 'x'));
  CHECK(input_error([&] { engine::read_idx_images(corrupt, 16, 1); }).rfind(corrupt + ": ", 0) == 0);
}
