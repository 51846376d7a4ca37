// The provider config reader: the shipped config loads; defects name the file and line.
#include "sim/provider/schedule_config.hpp"

#include <doctest/doctest.h>

#include "scratch.hpp"

#include <fstream>

#include "engine/common/input_error.hpp"

using namespace provider;

namespace {
std::string error_of(const std::string& yaml) {
  const std::string path = fsd_test::scratch("provider-test-config.yaml");
  std::ofstream(path) << yaml;
  try {
    load_schedule_config(path);
  } catch (const engine::InputError& e) {
    return std::string(e.what()).substr(path.size());
  }
  return "accepted";
}
}  // namespace

TEST_CASE("schedule_config: the shipped azure-rollout config loads") {
  const ScheduleConfig c = load_schedule_config(std::string(FSD_SOURCE_DIR) + "/configs/provider/azure-rollout.yaml");
  CHECK(c.cluster.servers == 40);
  CHECK(c.images.block_kb == 64);
  CHECK(c.policy.greedy == "first_fit");
  CHECK(c.trace.dir.find("azure-functions-2019/10") != std::string::npos);
  CHECK(c.training.start_minute + c.training.minutes <= c.trace.start_minute);  // training apart from the replay
}

TEST_CASE("schedule_config: config errors name the line and key") {
  const std::string ok = "trace: {dir: x}\nimages: {source: synthetic}\n";
  CHECK(error_of(ok) == "accepted");
  CHECK(error_of(ok + "clusterr: {}\n") == ":3: clusterr: unknown key");
  CHECK(error_of(ok + "cluster:\n  servers: -1\n") == ":4: cluster.servers: must be > 0");
  CHECK(error_of(ok + "cluster:\n  memory_mb: lots\n") == ":4: cluster.memory_mb: cannot read 'lots'");
  CHECK(error_of("trace: {dir: x}\nimages: {source: synthetic, block_kb: 16}\n") ==
        ":2: images.block_kb: must be 32..1024");
  CHECK(error_of("images: {source: synthetic}\n") == ": trace.dir: required");
  CHECK(error_of("trace: {dir: x}\n") == ": images.graphchallenge.dir: required for source graphchallenge");
  CHECK(error_of(ok + "training: {gamma: 1}\n") == ":3: training.gamma: must be < 1");
  CHECK(error_of("trace: [1, 2\n").rfind(":", 0) == 0);  // a YAML syntax error
}
