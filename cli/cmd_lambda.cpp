// fsd lambda: the fsd binary as an AWS Lambda custom runtime (provided.al2023; deploy/bootstrap
// execs it), and as a local worker process (`fsd lambda --event -`: one event on stdin, its result
// on stdout; how `fsd run --backend aws` starts workers without Lambda).
//
// Two kinds of event:
// - a LaunchEvent (engine/worker/launch_event.hpp; it has a "run" key): ONE WORKER of a
//   distributed run. The handler rebuilds network and images from the config text in the event,
//   GETs the coordinator's partition (engine/worker/partition_blob.hpp; partitions itself only
//   for an event that names none), makes the CommPlan, invokes its
//   launch-tree children (inside Lambda: Lambda Invoke of $AWS_LAMBDA_FUNCTION_NAME, InvocationType
//   Event; locally: child processes of this same command), runs the Worker over the channel the
//   event names, and PUTs its report — timings, its metered usage and HTTP request counts, and on
//   worker 0 the gathered result — to S3 for the coordinator. Result: {"worker":p}.
// - the serial variant, {"weights": DIR, "neurons": N, "layers": L, "images": FILE, "count": C}:
//   the whole network in one function; result {"categories": [1-based ids], "images": B,
//   "seconds": inference time}. A warm sandbox keeps the last network it read.
// Relative paths (serial weights/images, the config's files) are inside the package: Lambda runs
// us in $LAMBDA_TASK_ROOT. A bad event or file is that invocation's error (errorType "invalid
// input"); the runtime loop goes on. Credentials come from the environment only (Lambda's role).
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/config/config.hpp"
#include "cli/options.hpp"
#include "cli/record/deployment_inputs.hpp"
#include "engine/aws/aws_backend.hpp"
#include "engine/aws/epoch_runtime.hpp"
#include "engine/aws/lambda_runtime.hpp"
#include "engine/aws/process_functions.hpp"
#include "engine/cloud/meter.hpp"
#include "engine/common/input_error.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/network_io.hpp"
#include "engine/worker/deployment.hpp"
#include "engine/worker/launch_event.hpp"
#include "engine/worker/partition_blob.hpp"
#include "engine/worker/report_sink.hpp"

namespace {

namespace po = boost::program_options;

std::string in_package(const std::string& path) {
  const char* root = std::getenv("LAMBDA_TASK_ROOT");
  if (path.empty() || path[0] == '/' || !root || !*root) return path;
  return std::string(root) + "/" + path;
}

// The serial variant's network, kept by a warm sandbox between invocations: only a cold start
// reads the weights, as the simulator and the studies' warm/cold model assume. The runtime loop
// serves one invocation at a time, so no lock is needed.
const engine::Network& cached_network(const std::string& weights, int neurons, int layers) {
  struct Cached {
    std::string weights;
    int neurons = 0, layers = 0;
    std::optional<engine::Network> net;
  };
  static Cached cache;
  if (!cache.net || cache.weights != weights || cache.neurons != neurons || cache.layers != layers) {
    cache.net.reset();  // a failed read leaves nothing stale behind
    cache.net = engine::read_network(weights, neurons, layers);
    cache.weights = weights;
    cache.neurons = neurons;
    cache.layers = layers;
  }
  return *cache.net;
}

engine::Result<std::string> serial_inference(const std::string& event_json) {
  const std::string where = "fsd lambda";
  auto event = nlohmann::json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& what) { return engine::Error{engine::ErrorCode::kInvalidInput, where, what}; };
  if (!event.is_object()) return bad("event is not a JSON object");
  for (const auto& [key, value] : event.items())
    if (key != "weights" && key != "neurons" && key != "layers" && key != "images" && key != "count")
      return bad("unknown event key '" + key + "'");
  auto text = [&](const char* k) {
    return event.contains(k) && event[k].is_string() ? event[k].get<std::string>() : "";
  };
  auto number = [&](const char* k) {
    return event.contains(k) && event[k].is_number_integer() ? event[k].get<int>() : 0;
  };
  const std::string weights = in_package(text("weights")), images_path = in_package(text("images"));
  const int neurons = number("neurons"), layers = number("layers"), count = number("count");
  if (weights.empty() || images_path.empty() || neurons < 1 || layers < 1)
    return bad("event needs weights, images (strings) and neurons, layers (integers ≥ 1)");
  try {
    const engine::Network& net = cached_network(weights, neurons, layers);
    const engine::Activations images = images_path.find("idx3-ubyte") != std::string::npos
                                           ? engine::read_idx_images(images_path, neurons, std::max(count, 1))
                                           : engine::read_images(images_path, neurons);
    const auto start = std::chrono::steady_clock::now();
    const engine::Activations y = engine::infer(net, images);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::vector<std::int32_t> cats = engine::categories(y);
    for (auto& c : cats) ++c;
    return nlohmann::json{{"categories", cats}, {"images", images.rows()}, {"seconds", seconds}}.dump();
  } catch (const engine::InputError& e) {
    return bad(e.what());
  }
}

std::string self_executable() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string("fsd");
}

// One worker of a distributed run (see the file comment). in_lambda: children through Lambda Invoke.
engine::Result<std::string> serve_worker(const std::string& payload, bool in_lambda) {
  auto event = engine::parse_launch_event(payload);
  if (!event) return event.error();
  try {
    const cli::Config config = cli::parse_config(event->config, "<launch event config>");
    if (config.deployment.variant != engine::to_string(event->channel.kind))
      return engine::Error{engine::ErrorCode::kInvalidInput, "fsd lambda",
                           "the event's channel is " + std::string(engine::to_string(event->channel.kind)) +
                               ", its config's variant " + config.deployment.variant};
    const engine::Network net = cli::load_network(config);
    const engine::Activations images = cli::load_images(config);

    auto aws = engine::aws::AwsBackend::from_environment(engine::aws::process_environment());
    if (!aws) return aws.error();
    auto control = engine::aws::AwsBackend::from_environment(engine::aws::process_environment());
    if (!control) return control.error();
    engine::aws::EpochRuntime runtime(event->origin_unix_s);
    std::unique_ptr<engine::aws::ProcessFunctions> children;
    engine::cloud::Functions* functions = &(*aws)->lambda();
    if (!in_lambda) {
      children = std::make_unique<engine::aws::ProcessFunctions>(
          std::vector<std::string>{self_executable(), "lambda", "--event", "-"});
      functions = children.get();
    }
    engine::cloud::Meter meter({&(*aws)->sns(), &(*aws)->sqs(), &(*aws)->s3(), functions, &runtime});

    // The coordinator's partition, computed once: one metered GET instead of partitioning again.
    engine::Partition partition;
    if (!event->partition_digest.empty()) {
      auto got = engine::fetch_partition(*meter.services().objects, (*control)->s3(), event->reports.bucket,
                                         event->run_id, event->partition_digest,
                                         {config.deployment.workers, net.num_layers() + 1, net.neurons});
      if (!got) {
        if (got.error().code == engine::ErrorCode::kNotFound) return got.error();  // cancelled: no report
        // Any other failure fails the run now, through this worker's report, not at its timeout.
        const engine::LaunchTree tree(std::vector<int>(config.deployment.launch.levels, config.deployment.launch.bfr));
        if (tree.valid(event->invocation)) {
          engine::WorkerOutcome out;
          out.worker = tree.worker_id(event->invocation);
          out.error = got.error().message();
          out.function_start_s = out.function_end_s = runtime.now_s();
          engine::ObjectStoreReports sink(
              {nullptr, nullptr, &(*control)->s3(), nullptr, &runtime}, event->reports,
              {config.deployment.workers, net.num_layers(), net.neurons, static_cast<int>(images.rows())});
          (void)sink.send(out);  // the invocation's own error below says what went wrong either way
        }
        return got.error();
      }
      partition = std::move(*got);
    } else {
      partition = cli::partition_for(config, net);
    }
    const engine::CommPlan plan = engine::make_comm_plan(net, partition);
    engine::DeploymentSpec spec =
        cli::deployment_spec(config, event->channel.kind, net, partition, plan, images, event->run_id);
    if (const char* name = std::getenv("AWS_LAMBDA_FUNCTION_NAME"); name && *name) spec.function_name = name;
    spec.report_store = &(*control)->s3();  // the report: control plane, not in the counts it carries
    spec.before_report = [&](engine::WorkerOutcome& o) {
      o.usage = meter.usage();
      for (const auto& [op, t] : (*aws)->counter().snapshot()) o.requests[op] = {t.sent, t.failed, t.retried};
    };
    engine::Deployment deployment(spec, meter.services());
    auto r = deployment.handle(payload);
    if (children) children->join_all();  // a local worker ends after the children it started
    return r;
  } catch (const engine::InputError& e) {
    return engine::Error{engine::ErrorCode::kInvalidInput, "fsd lambda", e.what()};
  } catch (const std::invalid_argument& e) {  // a config whose tree and plan disagree
    return engine::Error{engine::ErrorCode::kInvalidInput, "fsd lambda", e.what()};
  }
}

engine::Result<std::string> serve_event(const std::string& payload, bool in_lambda) {
  const auto j = nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("run")) return serve_worker(payload, in_lambda);
  return serial_inference(payload);
}

int run_lambda(const std::vector<std::string>& args) {
  po::options_description opts(
      "fsd lambda [--max-invocations N]   (inside Lambda: run by the bootstrap)\n"
      "fsd lambda --event FILE|-           (one event, result on stdout: a local worker process)");
  int max_invocations = 0;
  std::string event_path;
  opts.add_options()("help,h", "this help")("max-invocations", po::value(&max_invocations)->default_value(0),
                                            "stop after N invocations (0: serve until stopped)")(
      "event", po::value(&event_path), "serve this one event (- : stdin) instead of the Runtime API");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nServes AWS Lambda invocations through the Runtime API ($AWS_LAMBDA_RUNTIME_API).\n";
    return 0;
  }
  if (vm.count("event")) {
    std::string payload;
    if (event_path == "-") {
      std::stringstream ss;
      ss << std::cin.rdbuf();
      payload = ss.str();
    } else {
      std::ifstream in(event_path, std::ios::binary);
      if (!in) throw engine::InputError(event_path, 0, "cannot read the event file");
      std::stringstream ss;
      ss << in.rdbuf();
      payload = ss.str();
    }
    auto r = serve_event(payload, /*in_lambda=*/false);
    if (!r) {
      std::cerr << "fsd lambda: " << r.error().message() << "\n";
      return r.error().code == engine::ErrorCode::kInvalidInput ? 2 : 1;
    }
    std::cout << *r << "\n";
    return 0;
  }
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  engine::aws::LambdaRuntimeOptions options{api ? api : "", max_invocations};
  auto served = engine::aws::run_lambda_runtime(
      options, [](const std::string& payload) { return serve_event(payload, /*in_lambda=*/true); });
  if (!served) {
    std::cerr << "fsd lambda: " << served.error().message() << "\n";
    return served.error().code == engine::ErrorCode::kInvalidInput ? 2 : 1;
  }
  return 0;
}

const cli::RegisterCommand reg{"lambda", "serve AWS Lambda invocations (custom runtime; see deploy/)", run_lambda};

}  // namespace
