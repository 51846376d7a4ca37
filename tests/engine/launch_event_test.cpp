// Launch events: the payload of a worker invocation carries everything a worker elsewhere needs
// (invocation, channel resources, report target, clock origin, config), round trips exactly and is
// parsed strictly.
#include "engine/worker/launch_event.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace {
engine::LaunchEvent queue_event() {
  engine::LaunchEvent e;
  e.run_id = "run-7_a";
  e.invocation = engine::Invocation{3, 1, 5, 2};
  e.origin_unix_s = 1763880000.25;
  e.channel.kind = engine::ChannelKind::kQueue;
  e.channel.topic_ids = {"arn:aws:sns:us-east-1:000000000000:fsd-run-7_a-t0"};
  e.channel.queues = {{"http://q/0", "arn:q0"}, {"http://q/1", "arn:q1"}};
  e.reports = {"bucket-1", "runs/run-7_a/reports"};
  e.config = "model:\n  neurons: 64\n  note: \"quoted\\\\\"\n";
  e.inputs_digest = "9f2c00000000a1e1";
  e.partition_digest = "51c0000000000e7a";
  return e;
}
}  // namespace

TEST_CASE("launch event: round trip of each channel's resources") {
  const engine::LaunchEvent q = queue_event();
  auto back = engine::parse_launch_event(engine::to_json(q));
  REQUIRE_MESSAGE(back, (back ? "" : back.error().message()));
  CHECK(*back == q);

  engine::LaunchEvent o = q;
  o.channel = {engine::ChannelKind::kObject, {}, {}, "b", "runs/run-7_a"};
  o.reports = {};
  back = engine::parse_launch_event(engine::to_json(o));
  REQUIRE(back);
  CHECK(*back == o);
  CHECK(back->reports.in_process());

  engine::LaunchEvent d = q;
  d.channel = {};
  back = engine::parse_launch_event(engine::to_json(d));
  REQUIRE(back);
  CHECK(back->channel.kind == engine::ChannelKind::kDirect);

  // Key order and white space are free.
  const std::string spaced =
      R"( { "level" : 1 , "run":"x", "index":0, "subtree":1, "parent":-1, "config":"", "origin_unix_s": 0,
            "reports": {"prefix":"", "bucket":""}, "channel": {"kind":"direct"}, "inputs":"", "partition":"" } )";
  CHECK(engine::parse_launch_event(spaced));
}

// --- Errors last ---
TEST_CASE("launch event: malformed payloads are rejected with the key named") {
  const nlohmann::json good = nlohmann::json::parse(engine::to_json(queue_event()));
  auto with = [&](const std::string& pointer, const nlohmann::json& v) {
    nlohmann::json j = good;
    j[nlohmann::json::json_pointer(pointer)] = v;
    return j.dump();
  };
  auto without = [&](const std::string& key) {
    nlohmann::json j = good;
    j.erase(key);
    return j.dump();
  };
  const std::string text = good.dump();
  const std::vector<std::pair<std::string, std::string>> cases{
      {"", "not valid JSON"},
      {"[]", "expected an object"},
      {"{}", "missing key"},
      {without("level"), "missing key 'level'"},
      {with("/extra", 2), "unknown key 'extra'"},
      {with("/level", "1"), "event.level: expected an integer"},
      {with("/level", 0), "event.level: 0 is outside"},
      {with("/parent", 99999999999LL), "event.parent"},
      {with("/run", "a b"), "event.run"},
      {with("/run", std::string(65, 'a')), "event.run"},
      {with("/origin_unix_s", "now"), "origin_unix_s"},
      {with("/channel/kind", "carrier-pigeon"), "channel.kind"},
      {with("/channel/queues/0/url", 7), "channel.queues[].url"},
      {with("/channel/queues/0/extra", 7), "unknown key 'extra'"},
      {with("/channel/topics", nlohmann::json::array()), "needs topics and queues"},
      {with("/reports", nullptr), "reports: expected an object"},
      {with("/config", std::string(300 * 1024, 'x')), "event.config: longer than"},
      {without("inputs"), "missing key 'inputs'"},
      {without("partition"), "missing key 'partition'"},
      {with("/partition", std::string(65, 'f')), "event.partition"},
      {text.substr(0, text.size() - 1), "not valid JSON"},
      {text + " trailing", "not valid JSON"},
      {"{\"run\":\"x\",\"run\":\"y\"," + text.substr(1), "repeated key 'run'"},
  };
  for (const auto& [bad, why] : cases) {
    CAPTURE(bad.substr(0, 200));
    auto r = engine::parse_launch_event(bad);
    REQUIRE(!r);
    CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
    CHECK_MESSAGE(r.error().what.find(why) != std::string::npos, r.error().what);
  }
}
