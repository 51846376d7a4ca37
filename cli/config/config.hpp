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
  // For the cost model's analytic profile (used when no profile file is given): the density of
  // Y_0 and of Y_{L−1}, interpolated geometrically in between; nonzeros per row of W.
  double input_density = 0.1;  // n1024 images: 122,713 / (1200·1024) = 0.0999
  double output_density = 0.1;
  int nnz_per_row = 32;  // Graph Challenge / RadiX-Net
  bool operator==(const ModelConfig&) const = default;
};

struct LaunchConfig {
  int bfr = 8;     // branching factor of the launch tree
  int levels = 1;  // P = Σ_{l=1..levels} bfr^l
  bool operator==(const LaunchConfig&) const = default;
};

struct PartitionConfig {
  std::string method = "hypergraph";  // contiguous | random | hypergraph
  std::uint64_t seed = 1;
  double imbalance = 0.05;
  bool operator==(const PartitionConfig&) const = default;
};

struct DeploymentConfig {
  std::string variant = "queue";  // serial | queue | object | server_always_on | server_job_scoped
  int workers = 8;
  LaunchConfig launch;
  int memory_mb = 1000;
  // Every function invocation's timeout: Lambda kills it this long after it starts (its start-up
  // included, as the simulator and the cost model count it). AWS allows 1..900 s.
  double timeout_s = 900;
  PartitionConfig partition;
  std::string instance_type = "c5.2xlarge";  // servers only
  bool operator==(const DeploymentConfig&) const = default;
};

struct QueueChannelConfig {
  int topics = 8;  // SNS topics, publishers sharded over them by sender
  double wait_time_s = 20.0;
  int max_message_bytes = 262144;
  std::string compression = "zstd";  // zstd | none
  int compression_level = 3;
  bool operator==(const QueueChannelConfig&) const = default;
};

struct ObjectChannelConfig {
  std::string bucket = "fsd-runs";
  double poll_interval_s = 0.1;
  int parallel_gets = 8;  // GETs in flight per worker
  int parallel_puts = 0;  // PUTs in flight per worker; 0: as many as parallel_gets
  bool overlap_gets = false;  // true: LIST again while GETs run; false: wait for them first
  bool sleep_after_every_list = false;  // true: also sleep poll_interval_s after the LIST that completes a layer
  bool operator==(const ObjectChannelConfig&) const = default;
};

struct ChannelConfig {
  QueueChannelConfig queue;
  ObjectChannelConfig object;
  bool operator==(const ChannelConfig&) const = default;
};

struct ArrivalConfig {
  std::string kind = "poisson";  // poisson | bursts | trace
  double queries_per_day = 2000;
  int burst_size = 10;         // bursts: queries per burst
  double burst_gap_s = 3600;   // bursts: seconds between bursts
  std::string trace_file;      // trace: Azure Functions 2019 invocations.csv
  std::string trace_function;  // trace: HashFunction to replay (empty: the busiest)
  std::uint64_t seed = 1;
  bool operator==(const ArrivalConfig&) const = default;
};

struct WorkloadConfig {
  ArrivalConfig arrival;
  double duration_s = 86400;
  double max_latency_s = 0;  // latency objective per query for `fsd plan`'s recommendation; 0 = none
  bool operator==(const WorkloadConfig&) const = default;
};

struct Config {
  std::string path;  // where it was loaded from ("<embedded>" for the default)
  ModelConfig model;
  DeploymentConfig deployment;
  ChannelConfig channel;
  WorkloadConfig workload;
  std::string prices = "aws-us-east-1";         // configs/prices/<name>.yaml
  std::string calibration = "aws-lambda-2024";  // configs/calibration/<name>.yaml
  std::string profile;  // a CommProfile file (YAML/JSON) for `fsd plan`; empty → computed (docs/COSTMODEL.md)
  bool operator==(const Config&) const = default;
};

// Loads and validates a config file. Throws engine::InputError on any problem.
Config load_config(const std::string& path);
// Parses config text (path is only used in messages).
Config parse_config(const std::string& text, const std::string& path);
// The defaults of the structs above (configs/default.yaml spells out the same values; a test
// checks they agree), with path "<embedded>".
Config default_config();
// P of a launch tree: Σ_{l=1..levels} bfr^l, or −1 if it exceeds 1,000,000 (no deployment that large).
long long launch_tree_workers(int bfr, int levels);

}  // namespace cli
