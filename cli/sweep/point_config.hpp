// PointConfigs: the deployment config of every point of an experiment — the base config (the
// experiment's `config:` file, or the embedded default) with the point's assignments applied.
//
// The constructor validates the whole grid before anything runs, so a bad grid fails at once with
// one line naming the experiment file and the line of the key or value:
//   - a key that is not a config key                       "exp.yaml:7: deployment.wokers: not a config key …"
//   - a value the config loader rejects (type, range, rule), "exp.yaml:9: deployment.memory_mb: must be in …"
//     found by loading, for each value of each axis, one real point holding it (that value, the
//     first value of every other axis, the fixed keys);
//   - a point breaking a rule between keys (P = Σ bfr^l …) "exp.yaml:12: point 3 (…): deployment.workers: …"
// config() is then cheap (member assignments, no YAML); yaml() renders a point as a config file
// for `fsd simulate`. Immutable after construction: const methods are thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "cli/config/config.hpp"
#include "cli/sweep/experiment.hpp"
#include "cli/sweep/sweep.hpp"

namespace cli::sweep {

class PointConfigs {
 public:
  explicit PointConfigs(const Experiment& experiment);
  Config config(const Point& point) const;
  std::string yaml(const Point& point) const;
  const Config& base() const { return base_; }

 private:
  const Experiment& experiment_;
  Config base_;
  YAML::Node base_yaml_;
  // Applies the point to a copy of the base; returns "" or the broken rule ("key: what").
  std::string build(const Point& point, Config& out) const;
};

}  // namespace cli::sweep
