// Config: one deployment config schema for `fsd plan`, `run`, `simulate` and `sweep`.
//
// The defaults live here and only here; configs/example.yaml lists every key with a comment.
// load_config() is strict: an unknown key, a wrong type, a zero or negative size, or a worker
// count that does not match the launch tree throws engine::InputError naming "path:line: key: what".
// YAML is parsed in cli/ only; the engine and the cost model receive these plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cli {

struct ModelConfig {
  int neurons = 1024;
  int layers = 120;
  std::string weights_dir;          // Graph Challenge TSV/MTX layers; empty → generate
  std::uint64_t generate_seed = 1;  // used when weights_dir is empty
  std::string images_path;          // sparse-images TSV/MTX; empty → fashion_mnist or generated
  int fashion_mnist_count = 0;      // > 0: inputs from Debian's Fashion-MNIST, resized to √N×√N
  int input_count = 1000;           // images in the query batch
  int batch_size = 1000;            // images per query batch
};

struct LaunchConfig {
  int bfr = 8;     // branching factor of the launch tree
  int levels = 1;  // P = Σ_{l=1..levels} bfr^l
};

struct PartitionConfig {
  std::string method = "hypergraph";  // contiguous | random | hypergraph
  std::uint64_t seed = 1;
  double imbalance = 0.05;
};

struct DeploymentConfig {
  std::string variant = "queue";  // serial | queue | object | server_always_on | server_job_scoped
  int workers = 8;
  LaunchConfig launch;
  int memory_mb = 1000;
  PartitionConfig partition;
  std::string instance_type = "c5.2xlarge";  // servers only
};

struct QueueChannelConfig {
  int topics = 8;  // SNS topics, publishers sharded over them by sender
  double wait_time_s = 20.0;
  int max_message_bytes = 262144;
  std::string compression = "zstd";  // zstd | none
  int compression_level = 3;
};

struct ObjectChannelConfig {
  std::string bucket = "fsd-runs";
  double poll_interval_s = 0.1;
  int parallel_gets = 8;
};

struct ChannelConfig {
  QueueChannelConfig queue;
  ObjectChannelConfig object;
};

struct ArrivalConfig {
  std::string kind = "poisson";  // poisson | bursts | trace
  double queries_per_day = 2000;
  int burst_size = 10;         // bursts: queries per burst
  double burst_gap_s = 3600;   // bursts: seconds between bursts
  std::string trace_file;      // trace: Azure Functions 2019 invocations.csv
  std::string trace_function;  // trace: HashFunction to replay (empty: the busiest)
  std::uint64_t seed = 1;
};

struct WorkloadConfig {
  ArrivalConfig arrival;
  double duration_s = 86400;
};

struct Config {
  std::string path;  // where it was loaded from ("<embedded>" for the default)
  ModelConfig model;
  DeploymentConfig deployment;
  ChannelConfig channel;
  WorkloadConfig workload;
  std::string prices = "aws-us-east-1";          // configs/prices/<name>.yaml
  std::string calibration = "aws-lambda-2024";   // configs/calibration/<name>.yaml
};

// Loads and validates a config file. Throws engine::InputError on any problem.
Config load_config(const std::string& path);
// Parses config text (path is only used in messages).
Config parse_config(const std::string& text, const std::string& path);
// The embedded default (configs/default.yaml compiled in).
Config default_config();

}  // namespace cli
