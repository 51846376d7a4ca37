// Deployment: the coordinator and the function handler that start P workers through the launch
// tree on any backend, and collect what they report.
//
//   engine::Deployment dep(spec, services);
//   backend.register_function(spec.function_name, [&](const std::string& p) { return dep.handle(p); });
//   engine::Result<engine::DeploymentResult> r = dep.run();
//
// run() provisions the channel (queue: topics, queues, subscriptions; object: the bucket), invokes
// the tree's root workers (InvocationType::kEvent) with a LaunchEvent that carries everything a
// worker needs (launch_event.hpp: the invocation, the channel's topic ARNs and queue URLs or
// bucket and prefix, where to report, the run's clock origin, spec.worker_config), polls its
// ReportSource until all P workers have reported, then tears the queues down.
// handle() is one invocation, wherever it runs: it parses the LaunchEvent, computes its worker id,
// invokes its children first (so the tree starts in O(levels) invocation latencies), builds its
// channel from the event's resources and a kernel, runs the Worker and sends its WorkerOutcome to
// the event's report target: in process (spec.reports_bucket empty: memory and sim backends, where
// run() and handle() share this object) or S3 objects runs/<run>/reports/<p>.json (workers in other
// processes or Lambdas; their host builds its own Deployment from the same spec and only calls
// handle()). Handles run concurrently; nothing is held across a service call.
// Workers elsewhere (reports in a bucket): run() first puts the run's alive marker there
// (partition_blob.hpp alive_key, through the report store) and, with ship_partition, the partition
// blob (through the metered services: one PUT the cost model counts); handle() watches its calls
// (cancel_watch.hpp), so a worker whose run was cancelled stops without reporting.
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
#include "engine/worker/cancel_watch.hpp"
#include "engine/worker/launch_event.hpp"
#include "engine/worker/report_json.hpp"
#include "engine/worker/report_sink.hpp"
#include "engine/worker/worker.hpp"

namespace engine {

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
  // Workers elsewhere (other processes, Lambdas): they report to S3 objects
  // runs/<run_id>/reports/<p>.json in this bucket. Empty: in process.
  std::string reports_bucket;
  // The store cloud reports go through, on both ends; null → services.objects. The aws backend
  // passes an unmetered client with its own request counter: reports are the run's control plane,
  // outside the channel traffic a record meters and `fsd check` compares with the cost model.
  cloud::ObjectStore* report_store = nullptr;
  // Carried verbatim in every LaunchEvent for hosts that rebuild the inputs (the config YAML).
  std::string worker_config;
  // The run's clock origin (Unix seconds) carried in every LaunchEvent, so that hosts elsewhere
  // report times on the coordinator's clock. 0 in process.
  double origin_unix_s = 0;
  // Polled by run() while it waits for reports: an error (e.g. a worker process that ended without
  // reporting) ends the wait at once instead of at run_timeout_s. Empty: nothing to check.
  std::function<Result<void>()> check_workers;
  // Called by handle() on the worker's host just before its report is sent: a host outside the
  // coordinator's process adds its metered usage and request counts here.
  std::function<void(WorkerOutcome&)> before_report;
  // run() PUTs the partition (partition_blob.hpp) at runs/<run_id>/control/partition in
  // reports_bucket and names its digest in every LaunchEvent, so hosts elsewhere GET it instead of
  // partitioning again (cli/cmd_lambda.cpp). Needs reports_bucket.
  bool ship_partition = false;
  // How a worker elsewhere notices that its run was cancelled (cancel_watch.hpp).
  CancelWatchOptions cancel;
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

  // One worker invocation. Errors: a malformed event or one not of this run's tree
  // (kInvalidInput; nothing is reported, as no worker id can be trusted), a failed child invoke,
  // the worker's failure (both reported first), a failed report, or — a worker elsewhere whose run
  // was cancelled — kNotFound "run <id> cancelled: worker <p> stopped ..." (nothing reported; the
  // objects it put are removed).
  Result<std::string> handle(const std::string& payload_json);
  // Errors: provisioning failures, a failed invoke, a malformed report (kInvalidInput naming it),
  // any worker's failure (first one named), a failed check_workers, or kDeadline when a worker
  // never reports (e.g. its invocation payload was rejected).
  Result<DeploymentResult> run();

  ReportShape report_shape() const;
  // FNV-1a (64 bits, hex) of what every worker must agree on: the partition's owners, the query
  // images and each layer's weights. A worker host elsewhere recomputes its inputs from the config;
  // handle() fails that worker when its digest differs from the event's (e.g. a partitioner that
  // is not deterministic across hosts) instead of computing garbage. Computed when a run has
  // worker_config (cost: one pass over the partition, the images and the weights).
  std::string inputs_digest() const;

 private:
  Result<std::unique_ptr<Channel>> make_channel(cloud::Services services, int worker,
                                                const ChannelResources& resources);
  Result<void> send_report(const ReportTarget& target, WorkerOutcome& outcome);
  Result<void> invoke(const LaunchEvent& event);
  cloud::Services report_services() const;

  DeploymentSpec spec_;
  cloud::Services services_;
  LaunchTree tree_;
  wire::Limits limits_;
  std::optional<QueueLayout> layout_;
  DirectHub hub_;
  InProcessReports in_process_;
};

}  // namespace engine
