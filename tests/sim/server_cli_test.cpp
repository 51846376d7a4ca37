// `fsd simulate` on the server baselines end to end: the record it writes (backend "sim") holds the
// serial engine's categories, the window's EC2 bill and per-query latency; `fsd check` accepts it;
// a bad variant or instance type exits 2 naming file:line:key.
#include <doctest/doctest.h>

#include <string>

#include "cli/record/run_record_json.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network_io.hpp"
#include "fsd_command.hpp"
#include "sim/workload/arrivals.hpp"

namespace {

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";

// Lines 1-8 model, 9 deployment:, 10 variant, 11 instance_type, then the workload.
std::string config(const std::string& variant, const std::string& instance_type) {
  return "model:\n  neurons: 1024\n  layers: 5\n  weights_dir: " + kData + "\n  images_path: " + kData +
         "/sparse-images-1024_subset.mtx\n  input_count: 50\n  batch_size: 50\n  nnz_per_row: 32\n"
         "deployment:\n  variant: " +
         variant + "\n  instance_type: " + instance_type +
         "\n  workers: 1\n"
         "  launch: {bfr: 1, levels: 1}\n"
         "workload:\n  arrival: {kind: poisson, queries_per_day: 8640, seed: 7}\n  duration_s: 600\n";
}

using fsd_test::run_fsd;
using fsd_test::write_scratch;

std::size_t arrivals_in_window() {  // poisson, 8640 a day = 0.1 per second, seed 7, 600 s
  workload::ArrivalSpec spec;
  spec.queries_per_day = 8640;
  spec.seed = 7;
  return workload::arrivals(spec, 600).size();
}

}  // namespace

TEST_CASE("servers: fsd simulate always-on writes a record of the window that fsd check accepts") {
  const std::string c = write_scratch("c.yaml", config("server_always_on", "c5.2xlarge"));
  const std::string r = fsd_test::scratch("r.json");
  std::string err;
  REQUIRE_MESSAGE(run_fsd("simulate " + c + " --record " + r, &err) == 0, err);
  const cli::RecordFile rec = cli::read_record(r);
  CHECK(rec.run.backend == "sim");
  CHECK(rec.run.channel == "server_always_on");
  CHECK(rec.run.servers.instance_type == "c5.2xlarge");
  CHECK(rec.run.servers.instances == 1);
  CHECK(rec.run.servers.queries == static_cast<std::int64_t>(arrivals_in_window()));
  CHECK(rec.run.servers.window_s == 600);
  CHECK(rec.run.usage.ec2_instance_seconds == doctest::Approx(600.0));  // 1 instance × the window
  CHECK(rec.run.servers.latency_p95_s >= rec.run.servers.latency_mean_s * 0.5);
  CHECK(rec.run.wall_s == rec.run.servers.latency_mean_s);
  // The serial engine on the same 5 layers and 50 images gives the same categories.
  const engine::Network net = engine::read_network(kData, 1024, 5);
  const engine::Activations images = engine::read_images(kData + "/sparse-images-1024_subset.mtx", 1024);
  engine::Activations first = images.topRows(50);
  first.makeCompressed();
  CHECK(rec.run.categories == engine::categories(engine::infer(net, first)));
  CHECK(run_fsd("check " + r, &err) == 0);
}

TEST_CASE("servers: fsd simulate job-scoped bills every query at least 60 s and pays the boot") {
  const std::string c = write_scratch("c.yaml", config("server_job_scoped", "c5.xlarge"));
  const std::string r = fsd_test::scratch("r.json");
  std::string err;
  REQUIRE_MESSAGE(run_fsd("simulate " + c + " --mode profile --record " + r, &err) == 0, err);
  const cli::RecordFile rec = cli::read_record(r);
  const auto queries = static_cast<double>(arrivals_in_window());
  CHECK(rec.run.servers.queries == static_cast<std::int64_t>(queries));
  // Boot 45 s + S3 first byte 0.045 s + 1.3 MB of weights at 1.25 GB/s + well under a second of
  // compute: each query well under the 60 s minimum, so 60 s each.
  CHECK(rec.run.usage.ec2_instance_seconds == doctest::Approx(60.0 * queries));
  CHECK(rec.run.servers.latency_mean_s > 45.045);
  CHECK(rec.run.servers.latency_mean_s < 46.0);
  CHECK(rec.run.servers.queue_delay_max_s == 0);
  CHECK(rec.run.categories.empty());  // profile mode computes no values
  CHECK(run_fsd("check " + r, &err) == 0);
}

TEST_CASE("servers: an instance type the price book lacks exits 2 naming file, line and key") {
  const std::string c = write_scratch("c.yaml", config("server_always_on", "m9.huge"));
  std::string err;
  CHECK(run_fsd("simulate " + c + " --record " + fsd_test::scratch("r.json"), &err) == 2);
  CHECK_MESSAGE(err.find(c + ":11: deployment.instance_type") != std::string::npos, err);
  CHECK_MESSAGE(err.find("m9.huge") != std::string::npos, err);
}

TEST_CASE("servers: an unknown variant exits 2 naming file, line and key") {
  const std::string c = write_scratch("c.yaml", config("server_sometimes", "c5.xlarge"));
  std::string err;
  CHECK(run_fsd("simulate " + c + " --record " + fsd_test::scratch("r.json"), &err) == 2);
  CHECK_MESSAGE(err.find(c + ":10: deployment.variant") != std::string::npos, err);
}
