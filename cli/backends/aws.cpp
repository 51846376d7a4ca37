// The aws backend of `fsd run`: SNS, SQS and S3 through the live AWS clients (real AWS, or an
// emulator named by AWS_ENDPOINT_URL), with credentials and region from the environment or the
// shared credentials file (never printed, never in the record).
//
// Workers run in this process on threads, invoked with the same JSON event a Lambda gets
// (Deployment::handle), because the Deployment gathers its workers' reports in process.
// Run-scoped resources (topics, subscriptions, queues, objects) are removed when the backend is
// destroyed: after the run, after a failure, or on Ctrl-C / SIGTERM.
// FSD_AWS_REQUEST_LOG=<file>: wait() writes the requests the clients sent, per "service:Operation"
// ({"sent","failed","retried"}), so a run record's metered counts can be checked against the wire.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/backends/backend.hpp"
#include "engine/aws/aws_backend.hpp"
#include "engine/aws/run_scope.hpp"
#include "engine/cloud/memory/memory_functions.hpp"
#include "engine/cloud/memory/memory_runtime.hpp"
#include "engine/common/input_error.hpp"

namespace cli {
namespace {

class AwsRunBackend final : public Backend {
 public:
  explicit AwsRunBackend(std::unique_ptr<engine::aws::AwsBackend> aws)
      : aws_(std::move(aws)),
        scope_(aws_->sns(), aws_->sqs(), aws_->s3()),
        functions_(runtime_),
        on_signal_([this] { scope_.cleanup(); }) {}

  ~AwsRunBackend() override {
    functions_.join_all();
    auto report = scope_.cleanup();
    for (const auto& e : report.errors) std::fprintf(stderr, "fsd: aws cleanup: %s\n", e.c_str());
  }

  engine::cloud::Services services() override {
    return {&scope_.pubsub(), &scope_.queue(), &scope_.objects(), &functions_, &runtime_};
  }
  void serve_function(const std::string& name, FunctionHandler handler) override {
    functions_.register_handler(name, std::move(handler));
  }
  void wait() override {
    functions_.join_all();
    if (const char* path = std::getenv("FSD_AWS_REQUEST_LOG"); path && *path) write_request_log(path);
  }

 private:
  void write_request_log(const std::string& path) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [op, t] : aws_->counter().snapshot())
      j[op] = {{"sent", t.sent}, {"failed", t.failed}, {"retried", t.retried}};
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp) << j.dump(1) << '\n';
    std::rename(tmp.c_str(), path.c_str());
  }

  std::unique_ptr<engine::aws::AwsBackend> aws_;
  engine::aws::RunScope scope_;
  engine::cloud::memory::MemoryRuntime runtime_;
  engine::cloud::memory::MemoryFunctions functions_;
  engine::aws::CleanupOnSignal on_signal_;
};

std::unique_ptr<Backend> make_aws_backend(const BackendOptions& o) {
  if (o.throttle_probability > 0 || o.duplicate_probability > 0 || o.reorder_probability > 0 || o.delay_probability > 0)
    throw engine::InputError("--faults: the aws backend injects no faults (the memory backend does)");
  auto aws = engine::aws::AwsBackend::from_environment(engine::aws::process_environment());
  if (!aws) throw engine::InputError("aws backend: " + aws.error().what);
  return std::make_unique<AwsRunBackend>(std::move(*aws));
}

const RegisterBackend reg{"aws", "SNS/SQS/S3 over HTTP (AWS or AWS_ENDPOINT_URL), workers on local threads",
                          make_aws_backend};

}  // namespace
}  // namespace cli
