#include "engine/worker/deployment.hpp"

#include <stdexcept>

#include "engine/common/input_error.hpp"
#include "engine/worker/launch_event.hpp"

namespace engine {

const char* to_string(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kQueue: return "queue";
    case ChannelKind::kObject: return "object";
    case ChannelKind::kDirect: return "direct";
  }
  return "?";
}

ChannelKind parse_channel_kind(const std::string& name) {
  if (name == "queue") return ChannelKind::kQueue;
  if (name == "object") return ChannelKind::kObject;
  if (name == "direct") return ChannelKind::kDirect;
  throw std::invalid_argument("unknown channel '" + name + "' (queue | object | direct)");
}

Deployment::Deployment(DeploymentSpec spec, cloud::Services services)
    : spec_(std::move(spec)), services_(services), tree_(spec_.launch_fanouts) {
  if (!spec_.network || !spec_.partition || !spec_.plan || !spec_.images || !services_.runtime)
    throw std::invalid_argument("Deployment: network, partition, plan, images and runtime are required");
  if (tree_.workers() != spec_.plan->parts)
    throw std::invalid_argument("Deployment: the launch tree has " + std::to_string(tree_.workers()) +
                                " workers, the plan " + std::to_string(spec_.plan->parts));
  limits_ = {spec_.network->neurons, static_cast<int>(spec_.images->rows())};
  spec_.object.prefix = "runs/" + spec_.run_id;
}

std::unique_ptr<Channel> Deployment::make_channel(int worker) {
  switch (spec_.channel) {
    case ChannelKind::kQueue: return std::make_unique<QueueChannel>(services_, *layout_, worker, limits_, spec_.queue);
    case ChannelKind::kObject:
      return std::make_unique<ObjectChannel>(services_, worker, spec_.plan->parts, limits_, spec_.object);
    case ChannelKind::kDirect:
      return std::make_unique<DirectChannel>(hub_, worker, spec_.plan->parts, spec_.queue.retry.receive_timeout_s);
  }
  throw std::logic_error("Deployment: unknown channel kind");
}

void Deployment::report(WorkerOutcome outcome) {
  std::lock_guard lock(mu_);
  outcomes_.push_back(std::move(outcome));
}

Result<std::string> Deployment::handle(const std::string& payload_json) {
  WorkerOutcome out;
  out.function_start_s = services_.runtime->now_s();
  auto event = parse_launch_event(payload_json);
  if (!event) return event.error();
  if (event->run_id != spec_.run_id || !tree_.valid(event->invocation))
    return Error{ErrorCode::kInvalidInput, "Deployment::handle", "invocation not of this run's launch tree: " + payload_json};
  out.worker = tree_.worker_id(event->invocation);
  auto fail = [&](const Error& e) {
    out.error = e.message();
    out.function_end_s = services_.runtime->now_s();
    report(out);
    return e;
  };
  for (const Invocation& child : tree_.children(event->invocation)) {
    const std::string payload = to_json(LaunchEvent{spec_.run_id, child});
    auto ok = with_retry(*services_.runtime, spec_.queue.retry, nullptr, [&] {
      return services_.functions->invoke(spec_.function_name, payload, cloud::InvocationType::kEvent);
    });
    if (!ok) return fail(ok.error());
  }
  auto channel = make_channel(out.worker);
  std::unique_ptr<WorkerKernel> kernel =
      spec_.make_kernel ? spec_.make_kernel(out.worker)
                        : std::make_unique<SparseKernel>(*spec_.network, *spec_.partition, *spec_.plan, *spec_.images,
                                                         out.worker);
  Worker worker(out.worker, *spec_.plan, *kernel, *channel, *services_.runtime);
  auto r = worker.run();
  if (!r) return fail(r.error());
  out.report = std::move(*r);
  out.function_end_s = services_.runtime->now_s();
  report(std::move(out));
  return std::string("{}");
}

Result<DeploymentResult> Deployment::run() {
  cloud::Runtime& rt = *services_.runtime;
  const int p = spec_.plan->parts;
  DeploymentResult result;
  result.start_s = rt.now_s();
  if (spec_.channel == ChannelKind::kQueue) {
    auto layout = provision_queues(services_, spec_.run_id, p, spec_.topics, spec_.queue.retry);
    if (!layout) return layout.error();
    layout_ = std::move(*layout);
  } else if (spec_.channel == ChannelKind::kObject) {
    auto ok = with_retry(rt, spec_.object.retry, nullptr, [&] { return services_.objects->create_bucket(spec_.object.bucket); });
    if (!ok) return ok.error();
  }
  for (const Invocation& root : tree_.root_invocations()) {
    const std::string payload = to_json(LaunchEvent{spec_.run_id, root});
    auto ok = with_retry(rt, spec_.queue.retry, nullptr, [&] {
      return services_.functions->invoke(spec_.function_name, payload, cloud::InvocationType::kEvent);
    });
    if (!ok) return ok.error();
  }
  // Wait for every worker's report (a failed worker reports too; its peers then time out).
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (static_cast<int>(outcomes_.size()) >= p) break;
    }
    if (rt.now_s() - result.start_s > spec_.run_timeout_s) {
      std::lock_guard lock(mu_);
      return Error{ErrorCode::kDeadline, "Deployment::run",
                   std::to_string(outcomes_.size()) + " of " + std::to_string(p) + " workers reported within " +
                       std::to_string(spec_.run_timeout_s) + " s"};
    }
    rt.sleep_s(spec_.report_poll_s);
  }
  result.end_s = rt.now_s();
  if (layout_) {
    if (auto ok = teardown_queues(services_, *layout_, spec_.queue.retry); !ok) return ok.error();
  }
  std::lock_guard lock(mu_);
  result.workers.resize(p);
  for (auto& o : outcomes_) {
    if (o.worker < 0 || o.worker >= p) continue;
    result.workers[o.worker] = std::move(o);
  }
  outcomes_.clear();
  for (const auto& o : result.workers)
    if (!o.report) return Error{ErrorCode::kInternal, "Deployment::run", "worker " + std::to_string(o.worker) + ": " + o.error};
  result.result = std::move(*result.workers[0].report->result);
  result.workers[0].report->result.reset();
  return result;
}

}  // namespace engine
