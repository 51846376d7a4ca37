// End to end through the built `fsd`: infer (text and --json), generate, demo, and exit code 2
// with one line on stderr and nothing on stdout for bad input.
#include <doctest/doctest.h>

#include "scratch.hpp"
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/matrix_market.hpp"
#include "engine/model/network_io.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";

struct Run {
  int exit_code;
  std::string out, err;
};

Run fsd(const std::string& args, const std::string& tag) {
  const fs::path err_file = fsd_test::scratch_dir() / ("cli-test-" + tag + ".err");
  const std::string cmd = std::string(FSD_EXE) + " " + args + " 2>" + err_file.string();
  Run run{};
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) run.out.append(buf, n);
  const int status = pclose(p);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  std::stringstream ss;
  ss << in.rdbuf();
  run.err = ss.str();
  fs::remove(err_file);
  return run;
}

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& name) : path(fsd_test::scratch_dir() / name) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("cli: fsd infer --json reproduces the official categories (1-based)") {
  const Run r = fsd("infer --weights " + kData + " --neurons 1024 --layers 30 --images " + kData +
                        "/sparse-images-1024_subset.mtx --threads 2 --json",
                    "infer-json");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  const auto truth = engine::categories(engine::read_matrix_market(kData + "/neuron1024-l120-categories_subset.mtx"));
  std::vector<int> want;
  for (auto c : truth) want.push_back(c + 1);
  CHECK(j.at("categories").get<std::vector<int>>() == want);
  CHECK(want.front() == 287);  // the truth file's first category, 1-based
  CHECK(j.at("seconds").get<double>() > 0);
  CHECK(j.at("edges_per_second").get<double>() ==
        doctest::Approx(1200.0 * 30 * 32768 / j.at("seconds").get<double>()).epsilon(1e-9));
}

TEST_CASE("cli: fsd generate writes what generate_network makes; fsd infer reads it back") {
  TempDir dir("cli_generate");
  const std::string out = (dir.path / "net").string();
  const Run g = fsd("generate --neurons 64 --layers 9 --seed 5 --out " + out + " --images 30", "generate");
  REQUIRE(g.exit_code == 0);
  const engine::Network want = engine::generate_network(64, 9, 5);
  const engine::Network got = engine::read_network(out, 64, 9);
  for (int k = 0; k < 9; ++k) CHECK((got.layers[k].weights - want.layers[k].weights).norm() == 0.0f);
  const engine::Activations images = engine::read_images(out + "/sparse-images-64.tsv", 64);
  CHECK(images.rows() == 30);
  const Run r = fsd("infer --weights " + out + " --neurons 64 --layers 9 --images " + out + "/sparse-images-64.tsv --json",
                    "generate-infer");
  REQUIRE(r.exit_code == 0);
  std::vector<int> expect;
  for (auto c : engine::categories(engine::infer(want, images))) expect.push_back(c + 1);
  CHECK(nlohmann::json::parse(r.out).at("categories").get<std::vector<int>>() == expect);
  const Run text = fsd("infer --weights " + out + " --neurons 64 --layers 9 --images " + out + "/sparse-images-64.tsv",
                       "generate-infer-text");
  CHECK(text.out.rfind("categories (" + std::to_string(expect.size()) + " of 30 images):", 0) == 0);
}

TEST_CASE("cli: fsd demo runs on its own and prints categories") {
  const Run r = fsd("demo --neurons 1024 --layers 12 --images 40 --threads 2 --json", "demo");
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("images").get<int>() == 40);
  CHECK(!j.at("categories").empty());
}

TEST_CASE("cli: bad input exits 2 with one line naming file and line, nothing on stdout") {
  TempDir dir("cli_bad");
  std::ofstream(dir.path / "n4-l1.mtx") << "%%MatrixMarket matrix coordinate real general\n4 4 2\n1 1 .5\n9 1 .5\n";
  std::ofstream(dir.path / "img.tsv") << "1\t1\t1\n";
  const Run r = fsd("infer --weights " + dir.path.string() + " --neurons 4 --layers 1 --images " +
                        (dir.path / "img.tsv").string() + " --json",
                    "bad-infer");
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "fsd infer: " + (dir.path / "n4-l1.mtx").string() + ":4: index (9, 1) out of range 4×4\n");

  const std::string out = (dir.path / "never").string();
  const Run g = fsd("generate --neurons 1000 --layers 2 --out " + out, "bad-generate");
  CHECK(g.exit_code == 2);
  CHECK(!fs::exists(out));  // nothing written
  const Run idx = fsd("generate --neurons 64 --layers 2 --out " + out + " --images 3 --idx " +
                          (dir.path / "img.tsv").string(),
                      "bad-idx");
  CHECK(idx.exit_code == 2);
  CHECK(!fs::exists(out));  // the inputs are checked before any layer is written
  const Run flag = fsd("infer --weights x --bogus 1", "bad-flag");
  CHECK(flag.exit_code == 2);
}
