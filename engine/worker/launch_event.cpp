#include "engine/worker/launch_event.hpp"

#include <cctype>
#include <stdexcept>

#include "engine/worker/report_strict_json.hpp"

namespace engine {
namespace {
constexpr std::size_t kMaxText = 4096, kMaxConfig = 200 * 1024, kMaxResources = 100000;

bool valid_run_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

ChannelResources parse_channel(const nlohmann::json& j) {
  strict_json::Fields f(j, "channel");
  ChannelResources c;
  const std::string kind = f.text("kind", 16);
  if (kind == "queue") {
    c.kind = ChannelKind::kQueue;
    for (const auto& t : f.array("topics", kMaxResources))
      c.topic_ids.push_back(strict_json::Fields::text_of(t, "channel.topics[]", kMaxText));
    for (const auto& q : f.array("queues", kMaxResources)) {
      strict_json::Fields qf(q, "channel.queues[]");
      c.queues.push_back({qf.text("url", kMaxText), qf.text("arn", kMaxText)});
      qf.done();
    }
    if (c.topic_ids.empty() || c.queues.empty())
      throw strict_json::Bad("channel: a queue channel needs topics and queues");
  } else if (kind == "object") {
    c.kind = ChannelKind::kObject;
    c.bucket = f.text("bucket", kMaxText);
    c.prefix = f.text("prefix", kMaxText);
    if (c.bucket.empty()) throw strict_json::Bad("channel.bucket: empty");
  } else if (kind == "direct") {
    c.kind = ChannelKind::kDirect;
  } else {
    throw strict_json::Bad("channel.kind: expected queue, object or direct, not '" + kind + "'");
  }
  f.done();
  return c;
}

nlohmann::json channel_json(const ChannelResources& c) {
  nlohmann::json j{{"kind", to_string(c.kind)}};
  if (c.kind == ChannelKind::kQueue) {
    j["topics"] = c.topic_ids;
    j["queues"] = nlohmann::json::array();
    for (const auto& q : c.queues) j["queues"].push_back({{"url", q.url}, {"arn", q.arn}});
  } else if (c.kind == ChannelKind::kObject) {
    j["bucket"] = c.bucket;
    j["prefix"] = c.prefix;
  }
  return j;
}
}  // namespace

const char* to_string(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kQueue:
      return "queue";
    case ChannelKind::kObject:
      return "object";
    case ChannelKind::kDirect:
      return "direct";
  }
  return "?";
}

ChannelKind parse_channel_kind(const std::string& name) {
  if (name == "queue") return ChannelKind::kQueue;
  if (name == "object") return ChannelKind::kObject;
  if (name == "direct") return ChannelKind::kDirect;
  throw std::invalid_argument("unknown channel '" + name + "' (queue | object | direct)");
}

std::string to_json(const LaunchEvent& e) {
  const nlohmann::json j{{"run", e.run_id},
                         {"parent", e.invocation.parent_id},
                         {"index", e.invocation.index},
                         {"subtree", e.invocation.subtree_size},
                         {"level", e.invocation.level},
                         {"origin_unix_s", e.origin_unix_s},
                         {"channel", channel_json(e.channel)},
                         {"reports", {{"bucket", e.reports.bucket}, {"prefix", e.reports.prefix}}},
                         {"config", e.config},
                         {"inputs", e.inputs_digest},
                         {"partition", e.partition_digest}};
  return j.dump();
}

Result<LaunchEvent> parse_launch_event(const std::string& json) {
  try {
    const nlohmann::json j = strict_json::parse(json);
    strict_json::Fields f(j, "event");
    LaunchEvent e;
    e.run_id = f.text("run", 64);
    if (!valid_run_id(e.run_id))
      throw strict_json::Bad("event.run: expected an id of [A-Za-z0-9_-], 1 to 64 characters");
    constexpr int kMax = std::numeric_limits<int>::max();
    e.invocation.parent_id = f.int32("parent", -1, kMax);
    e.invocation.index = f.int32("index", 0, kMax);
    e.invocation.subtree_size = f.int32("subtree", 1, kMax);
    e.invocation.level = f.int32("level", 1, kMax);
    e.origin_unix_s = f.number("origin_unix_s", 0, 1e11);
    e.channel = parse_channel(f.at("channel"));
    strict_json::Fields r(f.at("reports"), "reports");
    e.reports = {r.text("bucket", kMaxText), r.text("prefix", kMaxText)};
    r.done();
    e.config = f.text("config", kMaxConfig);
    e.inputs_digest = f.text("inputs", 64);
    e.partition_digest = f.text("partition", 64);
    f.done();
    return e;
  } catch (const strict_json::Bad& bad) {
    return Error{ErrorCode::kInvalidInput, "parse_launch_event", bad.what()};
  } catch (const nlohmann::json::exception& bad) {  // not expected: every access is checked first
    return Error{ErrorCode::kInvalidInput, "parse_launch_event", bad.what()};
  }
}

}  // namespace engine
