// channel.object.parallel_puts and overlap_gets: parsed strictly, 0 (as many as parallel_gets) and
// false by default, and carried
// into the DeploymentSpec that both `fsd run` and `fsd simulate` build (cli::deployment_spec).
#include <doctest/doctest.h>

#include <string>

#include "cli/config/config.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "engine/common/input_error.hpp"

namespace {
std::string error_of(const std::string& text) {
  try {
    cli::parse_config(text, "t.yaml");
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "";
}

engine::DeploymentSpec spec_of(const cli::Config& c) {
  static const engine::Network net;
  static const engine::Partition partition;
  static const engine::CommPlan plan;
  static const engine::Activations images;
  return cli::deployment_spec(c, engine::ChannelKind::kObject, net, partition, plan, images, "r1");
}
}  // namespace

TEST_CASE("config: channel.object.parallel_puts reaches the run's ObjectChannelOptions") {
  const auto c =
      cli::parse_config("channel:\n  object: {parallel_gets: 6, parallel_puts: 3, overlap_gets: true}\n", "t.yaml");
  CHECK(c.channel.object.parallel_puts == 3);
  const auto spec = spec_of(c);
  CHECK(spec.object.parallel_puts == 3);
  CHECK(spec.object.parallel_gets == 6);
  CHECK(spec.object.overlap_gets);
}

TEST_CASE("config: channel.object.parallel_puts defaults to 0, i.e. parallel_gets PUTs at once") {
  const auto c = cli::parse_config("model: {neurons: 1024}\n", "t.yaml");
  CHECK(c.channel.object.parallel_puts == 0);
  const engine::ObjectChannelOptions o = spec_of(c).object;
  CHECK(o.parallel_puts == 0);  // ObjectChannel's constructor reads 0 as parallel_gets (engine test)
  CHECK_FALSE(o.overlap_gets);
}

TEST_CASE("config: a negative or non-integer parallel_puts is one line naming file, line and key") {
  CHECK(error_of("channel:\n  object:\n    parallel_puts: -1\n") ==
        "t.yaml:3: channel.object.parallel_puts: must be ≥ 0, got -1");
  CHECK(error_of("channel:\n  object:\n    parallel_puts: two\n") ==
        "t.yaml:3: channel.object.parallel_puts: expected an integer, got 'two'");
}
