// CommProfile files (strict load, exact JSON round trip), the analytic profile's closed forms
// against hand computation, and the bridge from a hand-made engine::CommPlan.
#include <doctest/doctest.h>

#include "scratch.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/bridge/comm_profile_from_plan.hpp"
#include "costmodel/analytic_profile.hpp"
#include "costmodel/comm_profile.hpp"
#include "engine/common/input_error.hpp"

namespace {
std::string error_of(const std::string& text) {
  try {
    cost::parse_comm_profile(text, "p.yaml");
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "";
}
const char* kGood = R"(neurons: 4
parts: 2
batch_size: 3
layers:
  - {rows_sent: 3, nonempty_pairs: 2, max_rows_sent: 2, max_rows_received: 2, input_density: 0.5, weight_nnz: 8}
)";
}  // namespace

TEST_CASE("profile: JSON round trip is exact, optional measurements included") {
  cost::CommProfile p;
  p.neurons = 1024;
  p.parts = 2;
  p.batch_size = 1200;
  p.source = "measured: run \"x\"\\y";
  cost::LayerProfile a;
  a.repeat = 3;
  a.rows_sent = 700;
  a.nonempty_pairs = 2;
  a.max_rows_sent = 400;
  a.max_rows_received = 400;
  a.input_density = 0.1 / 3;  // not representable in few digits
  a.weight_nnz = 32768;
  cost::LayerProfile b = a;
  b.repeat = 1;
  b.pair_bytes = {0, 123456, 654321, 0};
  b.payload_bytes = 123456 + 654321;
  p.layers = {a, b};
  p.gather_bytes = {0, 999};
  const std::string path = fsd_test::scratch("profile_test_roundtrip.json");
  cost::save_comm_profile(p, path);
  CHECK(cost::load_comm_profile(path) == p);
  CHECK(cost::parse_comm_profile(cost::to_json(p), "x") == p);
  CHECK(p.num_layers() == 4);
  std::remove(path.c_str());
}

TEST_CASE("profile: bad files name the line and key") {
  CHECK(error_of(kGood) == "");
  CHECK(error_of(std::string(kGood) + "color: red\n") == "p.yaml:6: color: unknown key");
  CHECK(error_of("neurons: 4\nparts: 2\nbatch_size: 3\nlayers:\n  - {input_density: 1.5, weight_nnz: 1}\n") ==
        "p.yaml:5: layers[0]: input_density must be in [0, 1]");
  CHECK(error_of("neurons: 4\nparts: 2\nbatch_size: 3\nlayers:\n  - {input_density: 0.5, weight_nnz: 1, typo: 1}\n") ==
        "p.yaml:5: layers[0].typo: unknown key");
  CHECK(error_of("neurons: 4\nparts: 2\nbatch_size: 3\nlayers:\n  - {input_density: 0.5, weight_nnz: 1, "
                 "pair_bytes: [1, 2]}\n") == "p.yaml:5: layers[0]: pair_bytes must have P·P entries");
  CHECK(error_of(
            "neurons: 4\nparts: 2\nbatch_size: 3\nlayers:\n  - {rows_sent: 5, input_density: 0.5, weight_nnz: 1}\n") ==
        "p.yaml:5: layers[0]: rows_sent and nonempty_pairs must be both zero or both positive");
  CHECK(error_of("neurons: 0\n") == "p.yaml:1: neurons: must be > 0, got 0");
  CHECK(error_of("neurons: 4\nparts: 2\nbatch_size: 3\nlayers: []\n") == "p.yaml:4: layers: no layers");
  CHECK(error_of("neurons: 4\nparts: 2\nbatch_size: 3\n") == "p.yaml:1: missing required key 'layers'");
}

TEST_CASE("profile: analytic rows follow the closed forms") {
  cost::AnalyticModel m;
  m.neurons = 1024;
  m.layers = 10;
  m.batch_size = 100;
  m.nnz_per_row = 32;
  m.partition = "random";
  m.input_density = 0.2;
  m.output_density = 0.2;
  m.parts = 8;
  // q = 1 − (7/8)^32; rows = 1024 · 7 · q  (hand: (7/8)^32 = 0.0139…, rows ≈ 7068.2)
  const double q8 = 1 - std::pow(7.0 / 8, 32);
  cost::CommProfile p = cost::analytic_profile(m);
  REQUIRE(p.layers.size() == 1);  // constant density: one folded entry
  CHECK(p.layers[0].repeat == 10);
  CHECK(p.layers[0].rows_sent == std::llround(1024 * 7 * q8));
  CHECK(p.layers[0].rows_sent == 7068);
  CHECK(p.layers[0].weight_nnz == 1024 * 32);
  CHECK(p.layers[0].max_rows_sent == std::llround(1.05 * 7068.2 / 8));
  // Hypergraph at P = 8: min(7·q, 0.32 + 0.26·ln 8 = 0.8606) copies per row → 881 rows.
  m.partition = "hypergraph";
  p = cost::analytic_profile(m);
  CHECK(p.layers[0].rows_sent == std::llround(1024 * (0.32 + 0.26 * std::log(8.0))));
  // One worker sends nothing.
  m.parts = 1;
  p = cost::analytic_profile(m);
  CHECK(p.layers[0].rows_sent == 0);
  CHECK(p.layers[0].nonempty_pairs == 0);
  // Densities decay geometrically from first to last layer.
  m.parts = 2;
  m.input_density = 0.1;
  m.output_density = 0.001;
  m.layers = 3;
  p = cost::analytic_profile(m);
  REQUIRE(p.layers.size() == 3);
  CHECK(p.layers[0].input_density == doctest::Approx(0.1));
  CHECK(p.layers[1].input_density == doctest::Approx(0.01));
  CHECK(p.layers[2].input_density == doctest::Approx(0.001));
  m.partition = "metis";
  CHECK_THROWS_AS(cost::analytic_profile(m), std::invalid_argument);
}

TEST_CASE("profile: from a hand-made CommPlan") {
  engine::CommPlan plan;
  plan.parts = 3;
  plan.layers = 2;
  plan.transfers.resize(2);
  plan.transfers[0] = {{0, 1, {1, 2, 3}}, {0, 2, {4}}, {2, 1, {5, 6}}};
  plan.transfers[1] = {{1, 0, {7}}, {1, 2, {}}};  // a listed but empty pair is not "non-empty"
  const cost::CommProfile p = cli::comm_profile_from_plan(plan, 8, 5, {0.5, 0.25}, {16, 24});
  REQUIRE(p.layers.size() == 2);
  CHECK(p.layers[0].rows_sent == 6);
  CHECK(p.layers[0].nonempty_pairs == 3);
  CHECK(p.layers[0].max_rows_sent == 4);      // worker 0: 3 + 1
  CHECK(p.layers[0].max_rows_received == 5);  // worker 1: 3 + 2
  CHECK(p.layers[0].input_density == 0.5);
  CHECK(p.layers[0].weight_nnz == 16);
  CHECK(p.layers[1].rows_sent == 1);
  CHECK(p.layers[1].nonempty_pairs == 1);
  CHECK(p.parts == 3);
  CHECK(p.neurons == 8);
  CHECK(p.batch_size == 5);
  // Measured pair bytes: payload is their off-diagonal sum.
  const cost::CommProfile m = cli::comm_profile_from_plan(
      plan, 8, 5, {0.5, 0.25}, {16, 24}, {{9, 10, 20, 0, 0, 0, 0, 30, 0}, {0, 0, 0, 5, 0, 0, 0, 0, 0}});
  CHECK(m.layers[0].payload_bytes == 60);
  CHECK(m.layers[1].payload_bytes == 5);
  // A transfer outside [0, P) is rejected, not indexed.
  plan.transfers[1].push_back({1, 7, {1}});
  CHECK_THROWS_AS(cli::comm_profile_from_plan(plan, 8, 5, {0.5, 0.25}, {16, 24}), std::invalid_argument);
}
