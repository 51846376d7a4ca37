// fsd partition: partition a network (generated or read from files) by one or more methods and
// worker counts, and report imbalance and volume: activation rows sent per layer and in total
// (the rows of the CommPlan, independent of the inputs), optionally the bytes they carry for a
// batch at a given activation density, and each method's rows as a fraction of random's.
// Progress goes to stderr; the report to stdout (a table, or JSON with --json).
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "cli/options.hpp"
#include "engine/common/input_error.hpp"
#include "engine/model/generate.hpp"
#include "engine/model/network_io.hpp"
#include "engine/partition/partition.hpp"
#include "engine/partition/partition_stats.hpp"
#include "engine/plan/comm_plan.hpp"

namespace {

namespace po = boost::program_options;

template <class T, class Parse>
std::vector<T> split_list(const std::string& flag, const std::string& text, const std::string& expected, Parse parse) {
  std::vector<T> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    try {
      out.push_back(parse(item));
    } catch (const std::exception&) {
      throw engine::InputError("--" + flag + ": expected " + expected + ", got '" + item + "'");
    }
  }
  if (out.empty()) throw engine::InputError("--" + flag + ": empty list");
  return out;
}

struct Run {
  engine::PartitionMethod method;
  int parts;
  double seconds;
  engine::PartitionStats stats;
};

nlohmann::json to_json(const Run& run, std::int64_t images, double density, const Run* random) {
  nlohmann::json j = {{"method", engine::to_string(run.method)},
                      {"parts", run.parts},
                      {"seconds", run.seconds},
                      {"max_imbalance", run.stats.max_imbalance},
                      {"imbalance_per_layer", run.stats.imbalance},
                      {"rows_sent_per_layer", run.stats.rows_sent},
                      {"total_rows_sent", run.stats.total_rows_sent}};
  if (images > 0)
    j["estimated_payload_bytes"] = engine::estimated_payload_bytes(run.stats.total_rows_sent, images, density);
  if (random && random->stats.total_rows_sent > 0)
    j["rows_vs_random"] = static_cast<double>(run.stats.total_rows_sent) / random->stats.total_rows_sent;
  return j;
}

int run_partition(const std::vector<std::string>& args) {
  po::options_description opts("fsd partition [options]");
  std::string weights, methods_text, parts_text;
  int neurons = 0, layers = 0;
  std::uint64_t network_seed = 1, seed = 1;
  double imbalance = 0.05, density = 0.0;
  std::int64_t images = 0;
  opts.add_options()("help,h", "this help")("neurons", po::value(&neurons),
                                            "N: neurons per layer (generated: 16·2^p; files: as named n<N>-l<k>)")(
      "layers", po::value(&layers), "L: layers")(
      "weights", po::value(&weights), "folder of n<N>-l<k>.tsv|.mtx layers; without it a network is generated")(
      "network-seed", po::value(&network_seed)->default_value(1), "seed of the generated network")(
      "method", po::value(&methods_text)->default_value("random,hypergraph"),
      "comma list of contiguous | random | hypergraph")("parts", po::value(&parts_text)->default_value("8"),
                                                        "comma list of worker counts P")(
      "seed", po::value(&seed)->default_value(1), "partitioning seed (random, hypergraph)")(
      "imbalance", po::value(&imbalance)->default_value(0.05, "0.05"), "allowed max part size / mean − 1")(
      "images", po::value(&images)->default_value(0), "batch size for the byte estimate (0: none)")(
      "density", po::value(&density)->default_value(0.0), "fraction of activations nonzero, for the byte estimate")(
      "json", "print JSON instead of a table");
  const po::variables_map vm = cli::parse_options(args, opts);
  if (vm.count("help")) {
    std::cout << opts << "\nExample: fsd partition --neurons 4096 --layers 120 --parts 8,20,62 --json\n";
    return 0;
  }
  if (neurons <= 0 || layers <= 0) throw engine::InputError("--neurons and --layers are required and > 0");
  if (!(imbalance >= 0.0)) throw engine::InputError("--imbalance must be ≥ 0");
  if (images < 0 || !(density >= 0.0 && density <= 1.0))
    throw engine::InputError("--images must be ≥ 0 and --density in [0, 1]");
  const auto methods =
      split_list<engine::PartitionMethod>("method", methods_text, "contiguous | random | hypergraph",
                                          [](const std::string& s) { return engine::parse_partition_method(s); });
  const auto parts_list = split_list<int>("parts", parts_text, "a worker count ≥ 1", [](const std::string& s) {
    std::size_t used = 0;
    const int p = std::stoi(s, &used);
    if (used != s.size() || p < 1) throw std::invalid_argument(s);
    return p;
  });

  engine::Network net;
  if (weights.empty()) {
    if (!engine::is_generatable_size(neurons))
      throw engine::InputError("--neurons " + std::to_string(neurons) +
                               " cannot be generated (16·2^p, p ≥ 1); give --weights");
    std::fprintf(stderr, "generating %d neurons × %d layers (seed %llu)\n", neurons, layers,
                 static_cast<unsigned long long>(network_seed));
    net = engine::generate_network(neurons, layers, network_seed);
  } else {
    std::fprintf(stderr, "reading %d layers from %s\n", layers, weights.c_str());
    net = engine::read_network(weights, neurons, layers);
  }

  std::vector<Run> runs;
  for (int parts : parts_list)
    for (auto method : methods) {
      std::fprintf(stderr, "partitioning: %s, P = %d …\n", engine::to_string(method), parts);
      const auto start = std::chrono::steady_clock::now();
      const auto partition = engine::partition_network(net, {method, parts, seed, imbalance});
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      runs.push_back({method, parts, seconds, engine::partition_stats(net, partition)});
    }
  auto random_for = [&](int parts) -> const Run* {
    for (const auto& r : runs)
      if (r.parts == parts && r.method == engine::PartitionMethod::kRandom) return &r;
    return nullptr;
  };

  if (vm.count("json")) {
    nlohmann::json out = {{"network",
                           {{"neurons", net.neurons},
                            {"layers", net.num_layers()},
                            {"nonzeros", net.total_nnz()},
                            {"source", weights.empty() ? "generated" : weights}}},
                          {"seed", seed},
                          {"imbalance_allowed", imbalance},
                          {"results", nlohmann::json::array()}};
    if (weights.empty()) out["network"]["seed"] = network_seed;
    if (images > 0) out["byte_estimate"] = {{"images", images}, {"density", density}, {"bytes_per_nonzero", 8}};
    for (const auto& r : runs) out["results"].push_back(to_json(r, images, density, random_for(r.parts)));
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("%-11s %5s %14s %13s %11s %9s\n", "method", "P", "rows_sent", "vs_random", "imbalance", "seconds");
  for (const auto& r : runs) {
    const Run* random = random_for(r.parts);
    std::printf("%-11s %5d %14lld ", engine::to_string(r.method), r.parts,
                static_cast<long long>(r.stats.total_rows_sent));
    if (random && random->stats.total_rows_sent > 0)
      std::printf("%13.4f ", static_cast<double>(r.stats.total_rows_sent) / random->stats.total_rows_sent);
    else
      std::printf("%13s ", "-");
    std::printf("%11.4f %9.2f\n", r.stats.max_imbalance, r.seconds);
  }
  if (images > 0)
    for (const auto& r : runs)
      std::printf("%s P = %d: ~%.3g bytes for %lld images at density %g\n", engine::to_string(r.method), r.parts,
                  engine::estimated_payload_bytes(r.stats.total_rows_sent, images, density),
                  static_cast<long long>(images), density);
  return 0;
}

const cli::RegisterCommand reg{"partition", "partition a network; report imbalance and rows sent", run_partition};

}  // namespace
