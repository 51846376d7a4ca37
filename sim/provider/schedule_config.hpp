// ScheduleConfig: the provider scheduler's YAML config (`fsd schedule CONFIG.yaml`); every key is
// listed with its unit and default in configs/provider/azure-rollout.yaml. Defaults live here.
// load_schedule_config() is strict: an unknown key, a wrong type or an out-of-range value throws
// engine::InputError "path:line: key: problem". Relative paths are resolved against the config
// file's folder. Plain values; thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace provider {

struct ClusterConfig {
  int servers = 40;
  double vcpus = 8;                // per server
  std::int64_t memory_mb = 16384;  // per server
  double bandwidth_mb_per_s = 50;  // image download bandwidth per server (1 MB = 1e6 bytes)
  double cache_mb = 64;            // LRU block cache per server (1 MB = 1e6 bytes)
};

struct TraceConfig {
  std::string dir;         // Azure Functions 2019 sample folder (invocations, durations, memory)
  int start_minute = 600;  // replayed window of the day
  int minutes = 120;
  double scale = 1.0;      // queries per traced invocation
  std::uint64_t seed = 1;  // placement of invocations within their minute
};

struct ImagesConfig {
  std::int64_t block_kb = 64;             // 32..1024, 1 KB = 1024 bytes
  std::string source = "graphchallenge";  // graphchallenge | synthetic
  std::string graphchallenge_dir;
  int layers = 30;
  int retrained_layers = 3;
  double synthetic_size_mb = 8;
  double synthetic_shared_fraction = 0.5;
  std::uint64_t seed = 1;
};

struct PolicyConfig {
  std::string name = "hybrid";       // first_fit | best_fit | worst_fit | cache_aware | learned | hybrid
  std::string greedy = "first_fit";  // the hybrid allocator's greedy finder
  std::string weights;               // policy weights file; empty: an untrained network from `seed`
};

struct TrainingConfig {
  int episodes = 40;
  int start_minute = 0;  // training window (keep it apart from the replayed one)
  int minutes = 120;
  int hidden = 16;
  double learning_rate = 0.05;
  double gamma = 0.0;  // discount of later rewards in the return
  double open_penalty_s = 1.0;
  double reject_penalty_s = 0.5;
  std::uint64_t seed = 1;
};

struct ScheduleConfig {
  std::string path;  // the file it came from
  ClusterConfig cluster;
  TraceConfig trace;
  ImagesConfig images;
  double rollout_start_minute = 30;  // from the start of the replayed window
  double rollout_window_minutes = 30;
  double container_start_s = 0.25;
  double keep_alive_s = 120;
  double sla_s = 1.0;
  double sample_interval_s = 60;
  PolicyConfig policy;
  TrainingConfig training;
  std::uint64_t seed = 1;  // rollout draws
};

ScheduleConfig load_schedule_config(const std::string& path);

}  // namespace provider
