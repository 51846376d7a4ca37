#include "engine/worker/deployment.hpp"

#include <cstdio>
#include <map>
#include <stdexcept>

#include "engine/worker/partition_blob.hpp"

namespace engine {

Deployment::Deployment(DeploymentSpec spec, cloud::Services services)
    : spec_(std::move(spec)), services_(services), tree_(spec_.launch_fanouts) {
  if (!spec_.network || !spec_.partition || !spec_.plan || !spec_.images || !services_.runtime)
    throw std::invalid_argument("Deployment: network, partition, plan, images and runtime are required");
  if (tree_.workers() != spec_.plan->parts)
    throw std::invalid_argument("Deployment: the launch tree has " + std::to_string(tree_.workers()) +
                                " workers, the plan " + std::to_string(spec_.plan->parts));
  if (spec_.ship_partition && spec_.reports_bucket.empty())
    throw std::invalid_argument("Deployment: ship_partition needs a reports_bucket");
  limits_ = {spec_.network->neurons, static_cast<int>(spec_.images->rows())};
  spec_.object.prefix = "runs/" + spec_.run_id;
}

namespace {
struct Fnv1a {
  std::uint64_t h = 14695981039346656037ull;
  void bytes(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  }
  template <class T>
  void value(T v) {
    bytes(&v, sizeof v);
  }
  void matrix(const SparseMatrix& m) {
    value<std::int64_t>(m.rows());
    value<std::int64_t>(m.cols());
    for (Eigen::Index r = 0; r < m.outerSize(); ++r)
      for (SparseMatrix::InnerIterator it(m, r); it; ++it) {
        value<std::int64_t>(it.col());
        value<float>(it.value());
      }
  }
};
}  // namespace

std::string Deployment::inputs_digest() const {
  Fnv1a f;
  f.value<std::int32_t>(spec_.partition->parts);
  for (const auto& owners : spec_.partition->owner) {
    f.value<std::uint64_t>(owners.size());
    f.bytes(owners.data(), owners.size() * sizeof(std::int32_t));
  }
  f.matrix(*spec_.images);
  for (const auto& layer : spec_.network->layers) {
    f.matrix(layer.weights);
    f.value<float>(layer.bias);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(f.h));
  return hex;
}

ReportShape Deployment::report_shape() const {
  return {spec_.plan->parts, spec_.network->num_layers(), spec_.network->neurons,
          static_cast<int>(spec_.images->rows())};
}

Result<std::unique_ptr<Channel>> Deployment::make_channel(cloud::Services services, int worker,
                                                          const ChannelResources& r) {
  const int p = spec_.plan->parts;
  auto bad = [](const std::string& what) { return Error{ErrorCode::kInvalidInput, "Deployment::handle", what}; };
  if (r.kind != spec_.channel)
    return bad(std::string("the event's channel is ") + to_string(r.kind) + ", the deployment's " +
               to_string(spec_.channel));
  switch (r.kind) {
    case ChannelKind::kQueue: {
      if (static_cast<int>(r.queues.size()) != p || r.topic_ids.empty())
        return bad("the event names " + std::to_string(r.queues.size()) + " queues for " + std::to_string(p) +
                   " workers");
      QueueLayout layout{spec_.run_id, r.topic_ids, r.queues, {}};
      return std::unique_ptr<Channel>(
          std::make_unique<QueueChannel>(services, std::move(layout), worker, limits_, spec_.queue));
    }
    case ChannelKind::kObject: {
      ObjectChannelOptions o = spec_.object;
      o.bucket = r.bucket;
      o.prefix = r.prefix;
      return std::unique_ptr<Channel>(std::make_unique<ObjectChannel>(services, worker, p, limits_, o));
    }
    case ChannelKind::kDirect:
      return std::unique_ptr<Channel>(
          std::make_unique<DirectChannel>(hub_, worker, p, spec_.queue.retry.receive_timeout_s));
  }
  return bad("unknown channel kind");
}

cloud::Services Deployment::report_services() const {
  cloud::Services s = services_;
  if (spec_.report_store) s.objects = spec_.report_store;
  return s;
}

Result<void> Deployment::send_report(const ReportTarget& target, WorkerOutcome& outcome) {
  if (spec_.before_report) spec_.before_report(outcome);
  if (target.in_process()) return in_process_.send(outcome);
  ObjectStoreReports sink(report_services(), target, report_shape(), spec_.object.retry);
  return sink.send(outcome);
}

Result<void> Deployment::invoke(const LaunchEvent& event) {
  const std::string payload = to_json(event);
  auto ok = with_retry(*services_.runtime, spec_.queue.retry, nullptr, [&] {
    return services_.functions->invoke(spec_.function_name, payload, cloud::InvocationType::kEvent);
  });
  if (!ok) return ok.error();
  return Ok{};
}

Result<std::string> Deployment::handle(const std::string& payload_json) {
  WorkerOutcome out;
  out.function_start_s = services_.runtime->now_s();
  auto event = parse_launch_event(payload_json);
  if (!event) return event.error();
  if (event->run_id != spec_.run_id || !tree_.valid(event->invocation))
    return Error{ErrorCode::kInvalidInput, "Deployment::handle",
                 "invocation not of this run's launch tree (run " + event->run_id + ")"};
  out.worker = tree_.worker_id(event->invocation);
  // A worker elsewhere watches for its run's cancellation (cancel_watch.hpp); in process, the
  // coordinator's own threads end with it.
  cloud::Services services = services_;
  std::unique_ptr<CancelWatch> watch;
  const cloud::Services control = report_services();
  if (!event->reports.in_process()) {
    watch = std::make_unique<CancelWatch>(services_, *control.objects, event->reports.bucket, alive_key(event->run_id),
                                          spec_.cancel);
    services = watch->services();
  }
  // A cancelled run gets no report (its prefix is being emptied); what this worker put goes too.
  auto stopped = [&]() -> Result<std::string> {
    const Result<void> removed = watch->remove_own_objects();
    return Error{ErrorCode::kNotFound, "Deployment::handle",
                 "run " + event->run_id + " cancelled: worker " + std::to_string(out.worker) +
                     " stopped without reporting (" + watch->reason() + ")" +
                     (removed ? "" : "; removing its objects failed: " + removed.error().message())};
  };
  auto fail = [&](const Error& e) -> Result<std::string> {
    if (watch && watch->cancelled()) return stopped();
    out.error = e.message();
    out.function_end_s = services_.runtime->now_s();
    if (auto sent = send_report(event->reports, out); !sent) return sent.error();
    return e;
  };
  for (const Invocation& child : tree_.children(event->invocation)) {
    LaunchEvent next = *event;
    next.invocation = child;
    if (auto ok = invoke(next); !ok) return fail(ok.error());
  }
  if (!event->inputs_digest.empty()) {
    if (const std::string mine = inputs_digest(); mine != event->inputs_digest)
      return fail(Error{ErrorCode::kInvalidInput, "Deployment::handle",
                        "this host rebuilt different inputs (partition, images or weights) than the coordinator: "
                        "digest " +
                            mine + ", the event's " + event->inputs_digest});
  }
  auto channel = make_channel(services, out.worker, event->channel);
  if (!channel) return fail(channel.error());
  std::unique_ptr<WorkerKernel> kernel =
      spec_.make_kernel
          ? spec_.make_kernel(out.worker)
          : std::make_unique<SparseKernel>(*spec_.network, *spec_.partition, *spec_.plan, *spec_.images, out.worker);
  Worker worker(out.worker, *spec_.plan, *kernel, **channel, *services_.runtime);
  auto r = worker.run();
  if (!r) return fail(r.error());
  out.report = std::move(*r);
  out.function_end_s = services_.runtime->now_s();
  if (auto sent = send_report(event->reports, out); !sent)
    return watch && watch->cancelled() ? stopped() : sent.error();
  // The coordinator may have removed the run between this worker's last PUT and now, after its
  // listing of the prefix: then this worker removes its report and its objects itself (one GET per
  // worker and run; S3 is strongly consistent, so one of the two sides sees the other's objects).
  if (watch && !watch->probe("its report was put")) {
    const std::string key =
        ObjectStoreReports(control, event->reports, report_shape(), spec_.object.retry).key_of(out.worker);
    (void)control.objects->delete_objects(event->reports.bucket, std::span<const std::string>(&key, 1));
    (void)watch->remove_own_objects();
  }
  return "{\"worker\":" + std::to_string(out.worker) + "}";
}

Result<DeploymentResult> Deployment::run() {
  cloud::Runtime& rt = *services_.runtime;
  const int p = spec_.plan->parts;
  DeploymentResult result;
  result.start_s = rt.now_s();
  LaunchEvent event;
  event.run_id = spec_.run_id;
  event.origin_unix_s = spec_.origin_unix_s;
  event.config = spec_.worker_config;
  if (!spec_.worker_config.empty()) event.inputs_digest = inputs_digest();
  event.channel.kind = spec_.channel;
  if (spec_.channel == ChannelKind::kQueue) {
    auto layout = provision_queues(services_, spec_.run_id, p, spec_.topics, spec_.queue.retry);
    if (!layout) return layout.error();
    layout_ = std::move(*layout);
    event.channel.topic_ids = layout_->topic_ids;
    event.channel.queues = layout_->queues;
  } else if (spec_.channel == ChannelKind::kObject) {
    auto ok = with_retry(rt, spec_.object.retry, nullptr,
                         [&] { return services_.objects->create_bucket(spec_.object.bucket); });
    if (!ok) return ok.error();
    event.channel.bucket = spec_.object.bucket;
    event.channel.prefix = spec_.object.prefix;
  }
  std::unique_ptr<ObjectStoreReports> remote;
  ReportSource* source = &in_process_;
  if (!spec_.reports_bucket.empty()) {
    event.reports = {spec_.reports_bucket, "runs/" + spec_.run_id + "/reports"};
    const cloud::Services reports = report_services();
    auto ok = with_retry(rt, spec_.object.retry, nullptr,
                         [&] { return reports.objects->create_bucket(spec_.reports_bucket); });
    if (!ok) return ok.error();
    remote = std::make_unique<ObjectStoreReports>(reports, event.reports, report_shape(), spec_.object.retry);
    source = remote.get();
    // The run is alive while this marker exists; removing it cancels the workers (cancel_watch.hpp).
    ok = with_retry(rt, spec_.object.retry, nullptr,
                    [&] { return reports.objects->put(spec_.reports_bucket, alive_key(spec_.run_id), ""); });
    if (!ok) return ok.error();
    if (spec_.ship_partition) {  // data, not control: through the metered services
      const std::string blob = encode_partition(*spec_.partition);
      ok = with_retry(rt, spec_.object.retry, nullptr,
                      [&] { return services_.objects->put(spec_.reports_bucket, partition_key(spec_.run_id), blob); });
      if (!ok) return ok.error();
      event.partition_digest = blob_digest(blob);
    }
  }
  for (const Invocation& root : tree_.root_invocations()) {
    event.invocation = root;
    if (auto ok = invoke(event); !ok) return ok.error();
  }
  // Wait for every worker's report (a failed worker reports too; its peers then time out).
  std::map<int, WorkerOutcome> outcomes;
  while (static_cast<int>(outcomes.size()) < p) {
    // Checked before collecting: a worker that reported and then ended is seen with its report.
    const Result<void> alive = spec_.check_workers ? spec_.check_workers() : Result<void>{};
    auto arrived = source->collect();
    if (!arrived) return arrived.error();
    for (auto& o : *arrived)
      if (o.worker >= 0 && o.worker < p) outcomes.try_emplace(o.worker, std::move(o));  // a repeat is ignored
    if (static_cast<int>(outcomes.size()) >= p) break;
    if (!alive) {
      for (const auto& [w, o] : outcomes)
        if (!o.report)
          return Error{ErrorCode::kInternal, "Deployment::run", "worker " + std::to_string(w) + ": " + o.error};
      return Error{alive.error().code, "Deployment::run",
                   "a worker ended without reporting: " + alive.error().message()};
    }
    if (rt.now_s() - result.start_s > spec_.run_timeout_s)
      return Error{ErrorCode::kDeadline, "Deployment::run",
                   std::to_string(outcomes.size()) + " of " + std::to_string(p) + " workers reported within " +
                       std::to_string(spec_.run_timeout_s) + " s"};
    rt.sleep_s(spec_.report_poll_s);
  }
  result.end_s = rt.now_s();
  if (layout_) {
    if (auto ok = teardown_queues(services_, *layout_, spec_.queue.retry); !ok) return ok.error();
  }
  result.workers.resize(p);
  for (auto& [w, o] : outcomes) result.workers[w] = std::move(o);
  for (const auto& o : result.workers)
    if (!o.report)
      return Error{ErrorCode::kInternal, "Deployment::run", "worker " + std::to_string(o.worker) + ": " + o.error};
  result.result = std::move(*result.workers[0].report->result);
  result.workers[0].report->result.reset();
  return result;
}

}  // namespace engine
