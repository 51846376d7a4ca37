// `fsd simulate` on the serial variant end to end: the record it writes (backend "sim", channel
// "serial") holds the serial engine's categories, one invocation per query, the cold starts and the
// Lambda bill; `fsd check` accepts it; weights that do not fit exit 2 with cost::predict's words.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/record/record_usage.hpp"
#include "cli/record/run_record_json.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/network_io.hpp"
#include "fsd_command.hpp"
#include "sim/workload/arrivals.hpp"

namespace {

const std::string kData = std::string(FSD_SHARED_DATA) + "/graphchallenge-n1024";

std::string config(int memory_mb) {
  return "model:\n  neurons: 1024\n  layers: 5\n  weights_dir: " + kData + "\n  images_path: " + kData +
         "/sparse-images-1024_subset.mtx\n  input_count: 50\n  batch_size: 50\n  nnz_per_row: 32\n"
         "deployment:\n  variant: serial\n  memory_mb: " +
         std::to_string(memory_mb) +
         "\n  workers: 1\n  launch: {bfr: 1, levels: 1}\n"
         "workload:\n  arrival: {kind: poisson, queries_per_day: 8640, seed: 7}\n  duration_s: 600\n";
}

using fsd_test::run_fsd;
using fsd_test::write_scratch;

}  // namespace

TEST_CASE("serial: fsd simulate writes a record of the window with the serial engine's categories") {
  const std::string c = write_scratch("c.yaml", config(2000));
  const std::string r = fsd_test::scratch("r.json");
  std::string err;
  REQUIRE_MESSAGE(run_fsd("simulate " + c + " --record " + r, &err) == 0, err);
  const cli::RecordFile rec = cli::read_record(r);
  CHECK(rec.run.backend == "sim");
  CHECK(rec.run.channel == "serial");
  CHECK(rec.run.memory_mb == 2000);
  workload::ArrivalSpec spec;  // poisson, 8640 a day = 0.1 per second, seed 7, over 600 s
  spec.queries_per_day = 8640;
  spec.seed = 7;
  const auto queries = static_cast<std::int64_t>(workload::arrivals(spec, 600).size());
  REQUIRE(queries > 20);
  CHECK(rec.run.servers.queries == queries);
  CHECK(rec.run.servers.failed == 0);
  CHECK(rec.run.usage.lambda_invocations == queries);
  // Queries 10 s apart on average, each well under a second: one instance, cold once, then warm.
  CHECK(rec.run.servers.cold_starts == 1);
  CHECK(rec.run.servers.instances == 1);
  CHECK(rec.run.servers.latency_p95_s < rec.run.servers.latency_mean_s);  // the one cold query lifts the mean
  // Billed at least the unrounded durations, at most 1 ms more per invocation, at 2000/1024 GB.
  CHECK(rec.run.usage.lambda_gb_s >= rec.run.usage.lambda_duration_s * 2000 / 1024);
  CHECK(rec.run.usage.lambda_gb_s <= (rec.run.usage.lambda_duration_s + 0.001 * queries) * 2000 / 1024);
  // The cost model's view: invocations and billed seconds of the window, no coordinator.
  const cost::Usage u = cli::usage_of(rec.run);
  CHECK(u.invocations == queries);
  CHECK(u.function_seconds * 2000 / 1024 == doctest::Approx(rec.run.usage.lambda_gb_s));
  // The serial engine on the same 5 layers and 50 images gives the same categories.
  const engine::Network net = engine::read_network(kData, 1024, 5);
  const engine::Activations images = engine::read_images(kData + "/sparse-images-1024_subset.mtx", 1024);
  engine::Activations first = images.topRows(50);
  first.makeCompressed();
  CHECK(rec.run.categories == engine::categories(engine::infer(net, first)));
  CHECK(run_fsd("check " + r, &err) == 0);
}

TEST_CASE("serial: weights that do not fit in the function's memory exit 2 as cost::predict calls it infeasible") {
  // cost::predict's footprint: Σ nnz(W_k) · 8 B of CSR + 2 · max_k nnz(Y_{k−1}) · 8 B of activations
  // (the largest input, from the serial engine) + 150 MB of runtime: ~152 MB > 128 MB.
  const engine::Network net = engine::read_network(kData, 1024, 5);
  engine::Activations batch = engine::read_images(kData + "/sparse-images-1024_subset.mtx", 1024).topRows(50);
  batch.makeCompressed();
  std::vector<std::int64_t> nnz;
  engine::infer(net, batch, {.threads = 1, .layer_nonzeros = &nnz});
  std::int64_t weights = 0, largest = batch.nonZeros();
  for (const auto& l : net.layers) weights += l.weights.nonZeros();
  for (std::size_t k = 0; k + 1 < nnz.size(); ++k) largest = std::max(largest, nnz[k]);  // inputs of layers 2..L
  const double need_mb = (8.0 * weights + 2.0 * 8 * largest) / 1e6 + 150;
  char want[96];
  std::snprintf(want, sizeof want, "serial is infeasible: needs %.0f MB > 128 MB of memory", need_mb);
  const std::string c = write_scratch("c.yaml", config(128));
  std::string err;
  CHECK(run_fsd("simulate " + c + " --record " + fsd_test::scratch("r.json"), &err) == 2);
  CHECK_MESSAGE(err.find(c) != std::string::npos, err);
  CHECK_MESSAGE(err.find(want) != std::string::npos, err, " want: ", want);
  CHECK(run_fsd("simulate " + write_scratch("ok.yaml", config(256)) + " --record " + fsd_test::scratch("r.json"), &err) == 0);
}
