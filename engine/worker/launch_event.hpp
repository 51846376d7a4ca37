// LaunchEvent: the JSON payload of one worker invocation of the launch tree,
//   {"run":"<run id>","parent":-1,"index":0,"subtree":5,"level":1}
// i.e. the run and the LaunchTree Invocation. parse_launch_event is strict (exact keys, integers,
// run id of [A-Za-z0-9_-], at most 64 characters) and returns kInvalidInput naming the problem.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "engine/common/result.hpp"
#include "engine/launch/launch_tree.hpp"

namespace engine {

struct LaunchEvent {
  std::string run_id;
  Invocation invocation;
  bool operator==(const LaunchEvent&) const = default;
};

std::string to_json(const LaunchEvent& event);
Result<LaunchEvent> parse_launch_event(const std::string& json);

}  // namespace engine
