// The aws backend of `fsd run`: SNS, SQS and S3 through the live AWS clients (real AWS, or an
// emulator named by AWS_ENDPOINT_URL), with credentials and region from the environment or the
// shared credentials file (never printed, never in the record).
//
// Workers run outside this process, each given exactly the event a Lambda gets (LaunchEvent):
// - by default as local processes (`fsd lambda --event -`, engine::aws::ProcessFunctions), which
//   launch their launch-tree children the same way;
// - with FSD_AWS_LAMBDA_FUNCTION=<name>, as invocations of that deployed Lambda function (Lambda
//   Invoke, InvocationType Event; AWS_ENDPOINT_URL_LAMBDA may point at a local Lambda).
// They rebuild network, partition and plan from the config text in the event and report to S3
// (runs/<run>/reports/<p>.json in the config's bucket), with their metered usage and HTTP requests.
// Reports are the run's control plane: they travel through a second set of clients whose requests
// are neither metered into the record nor in the request log (on both ends), so the record's
// usage is the deployment's own traffic, which `fsd check` compares with the cost model.
// Run-scoped resources (topics, subscriptions, queues, everything under runs/<run>/) are removed
// when the backend is destroyed: after the run, after a failure, or on Ctrl-C / SIGTERM, after
// the worker processes (one process group) have been killed.
// FSD_AWS_REQUEST_LOG=<file>: wait() writes the requests sent by this process's clients plus those
// its workers reported, per "service:Operation" ({"sent","failed","retried","by_workers"}: of the
// sent, those the workers reported), so a run record's metered counts can be checked against the wire.
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/backends/backend.hpp"
#include "engine/aws/aws_backend.hpp"
#include "engine/aws/epoch_runtime.hpp"
#include "engine/aws/process_functions.hpp"
#include "engine/aws/run_scope.hpp"
#include "engine/common/input_error.hpp"

namespace cli {
namespace {

std::string self_executable() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw std::runtime_error("aws backend: cannot find the fsd executable (/proc/self/exe)");
  return std::string(buf, static_cast<std::size_t>(n));
}

class AwsRunBackend final : public Backend {
 public:
  AwsRunBackend(std::unique_ptr<engine::aws::AwsBackend> aws, std::unique_ptr<engine::aws::AwsBackend> control,
                std::string lambda_function)
      : aws_(std::move(aws)),
        control_(std::move(control)),
        lambda_function_(std::move(lambda_function)),
        scope_(aws_->sns(), aws_->sqs(), aws_->s3()),
        runtime_(engine::aws::EpochRuntime::unix_now_s()),
        on_signal_([this] { stop_workers_and_clean(); }) {
    if (lambda_function_.empty())
      processes_ = std::make_unique<engine::aws::ProcessFunctions>(
          std::vector<std::string>{self_executable(), "lambda", "--event", "-"});
  }

  ~AwsRunBackend() override { stop_workers_and_clean(); }

  engine::cloud::Services services() override {
    engine::cloud::Functions* functions =
        processes_ ? static_cast<engine::cloud::Functions*>(processes_.get()) : &aws_->lambda();
    return {&scope_.pubsub(), &scope_.queue(), &scope_.objects(), functions, &runtime_};
  }
  void serve_function(const std::string&, FunctionHandler) override {}  // workers run elsewhere
  void adapt(engine::DeploymentSpec& spec, const std::string& config_text) override {
    spec.reports_bucket = spec.object.bucket;
    spec.report_store = &control_->s3();
    spec.worker_config = config_text;
    spec.origin_unix_s = runtime_.origin_unix_s();
    if (!lambda_function_.empty()) spec.function_name = lambda_function_;
    if (processes_)  // a worker process that died without a report fails the run now, not in an hour
      spec.check_workers = [this]() -> engine::Result<void> {
        processes_->reap();
        const auto errors = processes_->errors();
        if (!errors.empty()) return errors.front();
        return engine::Ok{};
      };
    scope_.remove_prefix_at_cleanup(spec.object.bucket, "runs/" + spec.run_id + "/");
  }
  void add_worker_requests(const std::map<std::string, engine::RequestCount>& requests) override {
    for (const auto& [op, n] : requests) {
      auto& t = worker_requests_[op];
      t.sent += n.sent;
      t.failed += n.failed;
      t.retried += n.retried;
    }
  }
  void stop_workers() override {
    if (processes_) processes_->kill_all();
  }
  void wait() override {
    if (processes_) processes_->join_all();
    if (const char* path = std::getenv("FSD_AWS_REQUEST_LOG"); path && *path) write_request_log(path);
  }

 private:
  void stop_workers_and_clean() {
    if (processes_) processes_->kill_all();  // first: a live worker could put after the cleanup
    auto report = scope_.cleanup();
    for (const auto& e : report.errors) std::fprintf(stderr, "fsd: aws cleanup: %s\n", e.c_str());
  }

  void write_request_log(const std::string& path) {
    std::map<std::string, engine::RequestCount> all = worker_requests_;
    for (const auto& [op, t] : aws_->counter().snapshot()) {
      all[op].sent += t.sent;
      all[op].failed += t.failed;
      all[op].retried += t.retried;
    }
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [op, t] : all) {
      auto w = worker_requests_.find(op);
      j[op] = {{"sent", t.sent},
               {"failed", t.failed},
               {"retried", t.retried},
               {"by_workers", w == worker_requests_.end() ? 0 : w->second.sent}};
    }
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp) << j.dump(1) << '\n';
    std::rename(tmp.c_str(), path.c_str());
  }

  std::unique_ptr<engine::aws::AwsBackend> aws_;
  std::unique_ptr<engine::aws::AwsBackend> control_;  // reports: own counter, not metered, not logged
  std::string lambda_function_;
  engine::aws::RunScope scope_;
  engine::aws::EpochRuntime runtime_;
  std::unique_ptr<engine::aws::ProcessFunctions> processes_;
  std::map<std::string, engine::RequestCount> worker_requests_;
  engine::aws::CleanupOnSignal on_signal_;  // last: destroyed first, no signal after the rest is gone
};

std::unique_ptr<Backend> make_aws_backend(const BackendOptions& o) {
  if (o.throttle_probability > 0 || o.duplicate_probability > 0 || o.reorder_probability > 0 || o.delay_probability > 0)
    throw engine::InputError("--faults: the aws backend injects no faults (the memory backend does)");
  auto aws = engine::aws::AwsBackend::from_environment(engine::aws::process_environment());
  if (!aws) throw engine::InputError("aws backend: " + aws.error().what);
  auto control = engine::aws::AwsBackend::from_environment(engine::aws::process_environment());
  if (!control) throw engine::InputError("aws backend: " + control.error().what);
  const char* function = std::getenv("FSD_AWS_LAMBDA_FUNCTION");
  return std::make_unique<AwsRunBackend>(std::move(*aws), std::move(*control), function ? function : "");
}

const RegisterBackend reg{"aws",
                          "SNS/SQS/S3 over HTTP (AWS or AWS_ENDPOINT_URL); workers as processes "
                          "(fsd lambda --event -) or a Lambda (FSD_AWS_LAMBDA_FUNCTION)",
                          make_aws_backend};

}  // namespace
}  // namespace cli
