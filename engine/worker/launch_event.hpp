// LaunchEvent: the JSON payload of one worker invocation of the launch tree — everything a worker
// needs, wherever it runs (a thread, a local process, an AWS Lambda):
//   {"run":"r1","parent":-1,"index":0,"subtree":5,"level":1,     the LaunchTree Invocation
//    "origin_unix_s":1763880000.25,   the coordinator's start (Unix seconds): the run's common clock
//    "channel":{"kind":"queue","topics":[ARN...],"queues":[{"url":U,"arn":A}...]}
//            | {"kind":"object","bucket":B,"prefix":"runs/r1"} | {"kind":"direct"},
//    "reports":{"bucket":B,"prefix":"runs/r1/reports"} | {"bucket":"","prefix":""} (in process),
//    "config":"<deployment config text>",  opaque to the engine: a worker host that runs in another
//                                          process rebuilds network, partition and plan from it
//    "inputs":"9f2c...e1",  digest of the coordinator's inputs (Deployment::inputs_digest), so such a
//                           host can check it rebuilt the same ones; "" in process
//    "partition":"51c0...7a"}  digest (blob_digest) of the partition blob the coordinator put at
//                           runs/<run>/control/partition in the reports bucket: such a host GETs it
//                           instead of partitioning (partition_blob.hpp); "" in process
// Hosts elsewhere (reports in a bucket) also know the run is alive while the object
// runs/<run>/control/alive exists there: the coordinator puts it before the first invocation and
// deletes it first when it removes the run's resources (end, failure, Ctrl-C); see cancel_watch.hpp.
// parse_launch_event is strict: exactly these keys, the right types, integers that fit, a run id of
// [A-Za-z0-9_-] (≤ 64 characters), at most 100,000 topics or queues, strings ≤ 4096 bytes (config
// ≤ 200 KiB, inside Lambda's 256 KiB event limit); anything else is kInvalidInput naming the
// problem. Whether the invocation belongs to the run's tree is the Deployment's check.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "engine/cloud/queue.hpp"
#include "engine/common/result.hpp"
#include "engine/launch/launch_tree.hpp"

namespace engine {

enum class ChannelKind { kQueue, kObject, kDirect };
const char* to_string(ChannelKind kind);                  // "queue" | "object" | "direct"
ChannelKind parse_channel_kind(const std::string& name);  // std::invalid_argument otherwise

// The run's channel as the coordinator provisioned it.
struct ChannelResources {
  ChannelKind kind = ChannelKind::kDirect;
  std::vector<std::string> topic_ids;      // queue: sender s publishes to topic_ids[s % size]
  std::vector<cloud::QueueHandle> queues;  // queue: worker p's inbox is queues[p]
  std::string bucket, prefix;              // object
  bool operator==(const ChannelResources&) const = default;
};

// Where a worker sends its report: objects <prefix>/<worker>.json in bucket, or (empty bucket) the
// coordinator's memory, when the worker runs in the coordinator's process.
struct ReportTarget {
  std::string bucket, prefix;
  bool in_process() const { return bucket.empty(); }
  bool operator==(const ReportTarget&) const = default;
};

struct LaunchEvent {
  std::string run_id;
  Invocation invocation;
  double origin_unix_s = 0;
  ChannelResources channel;
  ReportTarget reports;
  std::string config;
  std::string inputs_digest;
  std::string partition_digest;
  bool operator==(const LaunchEvent&) const = default;
};

std::string to_json(const LaunchEvent& event);
Result<LaunchEvent> parse_launch_event(const std::string& json);

}  // namespace engine
