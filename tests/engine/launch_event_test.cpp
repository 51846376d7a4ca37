// Launch events: the payload of a worker invocation round trips and is parsed strictly.
#include <doctest/doctest.h>

#include "engine/worker/launch_event.hpp"

TEST_CASE("launch event: round trip") {
  const engine::LaunchEvent e{"run-7_a", engine::Invocation{3, 1, 5, 2}};
  const std::string json = engine::to_json(e);
  CHECK(json == R"({"run":"run-7_a","parent":3,"index":1,"subtree":5,"level":2})");
  auto back = engine::parse_launch_event(json);
  REQUIRE(back);
  CHECK(*back == e);
  CHECK(engine::parse_launch_event(R"( { "level" : 1 , "run":"x", "index":0, "subtree":1, "parent":-1 } )"));
}

// --- Errors last ---
TEST_CASE("launch event: malformed payloads are rejected") {
  for (const char* bad : {"", "{}", R"({"run":"x","parent":-1,"index":0,"subtree":1})",
                          R"({"run":"x","parent":-1,"index":0,"subtree":1,"level":1,"extra":2})",
                          R"({"run":"x","parent":-1,"index":0,"subtree":1,"level":"1"})",
                          R"({"run":"a b","parent":-1,"index":0,"subtree":1,"level":1})",
                          R"({"run":"x","run":"y","index":0,"subtree":1,"level":1})",
                          R"({"run":"x","parent":-1,"index":0,"subtree":1,"level":1} trailing)",
                          R"({"run":"x","parent":99999999999,"index":0,"subtree":1,"level":1})"}) {
    CAPTURE(bad);
    auto r = engine::parse_launch_event(bad);
    CHECK(!r);
    if (!r) CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
  }
}
