// `fsd simulate` end to end: it writes a run record that the record reader accepts (backend
// "sim") with the serial engine's categories, and bad input exits 2 naming the problem.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli/record/run_record_json.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network_io.hpp"

namespace fs = std::filesystem;

namespace {

struct Scratch {
  fs::path dir;
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "fsd-sim-cli-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()));
    dir = tmpl;
  }
  ~Scratch() { fs::remove_all(dir); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name) << text;
    return dir / name;
  }
};

// Exit status of `fsd ARGS`, stderr captured into *err.
int fsd(const std::string& args, const Scratch& s, std::string* err) {
  const fs::path err_path = s.dir / "stderr.txt";
  const int rc = std::system((std::string(FSD_EXE) + " " + args + " > /dev/null 2> " + err_path.string()).c_str());
  std::ifstream in(err_path);
  err->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";

std::string small_config() {
  return "model:\n  neurons: 1024\n  layers: 5\n  weights_dir: " + kData + "\n  images_path: " + kData +
         "/sparse-images-1024_subset.mtx\n  input_count: 50\n  batch_size: 50\n"
         "deployment:\n  variant: queue\n  workers: 4\n  launch: {bfr: 4, levels: 1}\n  memory_mb: 1000\n"
         "  partition: {method: random, seed: 3}\n";
}

}  // namespace

TEST_CASE("fsd simulate writes a run record with the serial engine's categories") {
  Scratch s;
  const auto config = s.write("c.yaml", small_config());
  std::string err;
  REQUIRE(fsd("simulate " + config.string() + " --record " + (s.dir / "r.json").string(), s, &err) == 0);
  const cli::RecordFile rec = cli::read_record((s.dir / "r.json").string());
  CHECK(rec.run.backend == "sim");
  CHECK(rec.run.workers == 4);
  CHECK(rec.run.layers == 5);
  CHECK(rec.run.wall_s > 0);
  const engine::Network net = engine::read_network(kData, 1024, 5);
  engine::Activations images = engine::read_images(kData + "/sparse-images-1024_subset.mtx", 1024);
  engine::Activations first = images.topRows(50);
  first.makeCompressed();
  CHECK(rec.run.categories == engine::categories(engine::infer(net, first)));
}

TEST_CASE("fsd simulate: bad input exits 2 with a one-line reason") {
  Scratch s;
  const auto config = s.write("c.yaml", small_config());
  std::string err;
  CHECK(fsd("simulate " + (s.dir / "none.yaml").string(), s, &err) == 2);
  CHECK(fsd("simulate " + config.string() + " --mode bogus", s, &err) == 2);
  CHECK(err.find("--mode") != std::string::npos);
  const auto bad_cal = s.write("cal.yaml", "lambda: {mb_per_vcpu: 1769, bogus_key: 1}\n");
  CHECK(fsd("simulate " + config.string() + " --calibration " + bad_cal.string(), s, &err) == 2);
  CHECK(err.find("cal.yaml:1: calibration.lambda.bogus_key: unknown key") != std::string::npos);
  CHECK_FALSE(fs::exists("sim-record.json.tmp"));
}
