// fsd lambda: the fsd binary as an AWS Lambda custom runtime (provided.al2023; deploy/bootstrap
// execs it). Serves invocations from the Runtime API at $AWS_LAMBDA_RUNTIME_API until Lambda stops
// the sandbox (or --max-invocations). Each invocation is one serial inference (the "serial"
// deployment variant: the whole network in one function), with the event
//   {"weights": DIR, "neurons": N, "layers": L, "images": FILE, "count": C (IDX only)}
// where relative paths are inside the package ($LAMBDA_TASK_ROOT); the result is
//   {"categories": [1-based image ids], "images": B, "seconds": inference time}.
// A bad event or file is that invocation's error (errorType "invalid input"); the loop goes on.
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "engine/aws/lambda_runtime.hpp"
#include "engine/common/input_error.hpp"
#include "engine/infer/infer.hpp"
#include "engine/infer/layer_kernel.hpp"
#include "engine/model/idx.hpp"
#include "engine/model/network_io.hpp"

namespace {

namespace po = boost::program_options;

std::string in_package(const std::string& path) {
  const char* root = std::getenv("LAMBDA_TASK_ROOT");
  if (path.empty() || path[0] == '/' || !root || !*root) return path;
  return std::string(root) + "/" + path;
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
    const engine::Network net = engine::read_network(weights, neurons, layers);
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

int run_lambda(const std::vector<std::string>& args) {
  po::options_description opts("fsd lambda [--max-invocations N]  (inside Lambda: run by the bootstrap)");
  int max_invocations = 0;
  opts.add_options()("help,h", "this help")("max-invocations", po::value(&max_invocations)->default_value(0),
                                            "stop after N invocations (0: serve until stopped)");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nServes AWS Lambda invocations through the Runtime API ($AWS_LAMBDA_RUNTIME_API).\n";
    return 0;
  }
  const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
  engine::aws::LambdaRuntimeOptions options{api ? api : "", max_invocations};
  auto served = engine::aws::run_lambda_runtime(options, serial_inference);
  if (!served) {
    std::cerr << "fsd lambda: " << served.error().message() << "\n";
    return served.error().code == engine::ErrorCode::kInvalidInput ? 2 : 1;
  }
  return 0;
}

const cli::RegisterCommand reg{"lambda", "serve AWS Lambda invocations (custom runtime; see deploy/)", run_lambda};

}  // namespace
