// Deployment: the coordinator and the function handler that start P workers through the launch
// tree on any backend, and collect what they report.
//
//   engine::Deployment dep(spec, services);
//   backend.register_function(spec.function_name, [&](const std::string& p) { return dep.handle(p); });
//   engine::Result<engine::DeploymentResult> r = dep.run();
//
// run() provisions the channel (queue: topics, queues, subscriptions; object: the bucket), invokes
// the tree's root workers (InvocationType::kEvent), waits (polling through the Runtime) until all
// P workers have reported, then tears the queues down. handle() is one invocation: it parses the
// LaunchEvent, computes its worker id, invokes its children first (so the tree starts in
// O(levels) invocation latencies), builds its channel and a SparseKernel, runs the Worker and
// reports. Handles run concurrently: the report list is guarded by a mutex held only to append.
// The sim backend can reuse handle() as its function body or drive Worker directly.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/channel/direct_channel.hpp"
#include "engine/channel/object_channel.hpp"
#include "engine/channel/queue_channel.hpp"
#include "engine/cloud/services.hpp"
#include "engine/launch/launch_tree.hpp"
#include "engine/worker/worker.hpp"

namespace engine {

enum class ChannelKind { kQueue, kObject, kDirect };
const char* to_string(ChannelKind kind);                    // "queue" | "object" | "direct"
ChannelKind parse_channel_kind(const std::string& name);  // std::invalid_argument otherwise

struct DeploymentSpec {
  const Network* network = nullptr;  // all four must outlive the Deployment
  const Partition* partition = nullptr;
  const CommPlan* plan = nullptr;
  const Activations* images = nullptr;
  std::vector<int> launch_fanouts{1};  // LaunchTree fan-outs; Σ products = plan->parts
  ChannelKind channel = ChannelKind::kQueue;
  int topics = 8;
  QueueChannelOptions queue;
  ObjectChannelOptions object;  // object.prefix is replaced by "runs/<run_id>"
  std::string run_id = "run";
  std::string function_name = "fsd-worker";
  double report_poll_s = 0.002;  // how often run() checks for reports
  double run_timeout_s = 3600;   // run() gives up (kDeadline) when not every worker reported by then
  // Makes worker p's kernel; empty → SparseKernel over network, partition, plan and images. The
  // simulator's profile mode passes a kernel that sizes blocks and flops from a density profile.
  std::function<std::unique_ptr<WorkerKernel>(int worker)> make_kernel;
};

struct WorkerOutcome {
  int worker = -1;
  double function_start_s = 0, function_end_s = 0;  // the invocation, children's invokes included
  std::optional<WorkerReport> report;               // empty on failure
  std::string error;                                // why, when report is empty
};

struct DeploymentResult {
  std::vector<WorkerOutcome> workers;  // by worker id
  Activations result;                  // Y_L gathered on worker 0
  double start_s = 0, end_s = 0;       // coordinator's view
};

class Deployment {
 public:
  // Throws std::invalid_argument if the spec is incomplete or the tree's size differs from P.
  Deployment(DeploymentSpec spec, cloud::Services services);

  Result<std::string> handle(const std::string& payload_json);
  // Errors: provisioning failures, a failed invoke, any worker's failure (first one named), or
  // kDeadline when a worker never reports (e.g. its invocation payload was rejected).
  Result<DeploymentResult> run();

 private:
  std::unique_ptr<Channel> make_channel(int worker);
  void report(WorkerOutcome outcome);

  DeploymentSpec spec_;
  cloud::Services services_;
  LaunchTree tree_;
  wire::Limits limits_;
  std::optional<QueueLayout> layout_;
  DirectHub hub_;
  std::mutex mu_;  // guards outcomes_ (never held across a service call)
  std::vector<WorkerOutcome> outcomes_;
};

}  // namespace engine
