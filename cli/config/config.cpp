// Strict parsing of the deployment config (see config.hpp); keys are the struct members' names,
// so a dotted key ("deployment.launch.bfr") names one member everywhere (configs, sweeps, errors).
#include "cli/config/config.hpp"

#include <sstream>
#include <string>
#include <vector>

#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

namespace cli {

namespace {

using cost::YamlMap;

void positive(YamlMap& m, const char* key, int& out) {
  m.get(key, out);
  m.require_positive(key, out);
}
void positive(YamlMap& m, const char* key, double& out) {
  m.get(key, out);
  m.require_positive(key, out);
}
std::string num(double x) {
  std::ostringstream s;
  s << x;
  return s.str();
}
void in_range(YamlMap& m, const char* key, double& out, double lo, double hi, const char* unit) {
  m.get(key, out);
  if (out < lo || out > hi) m.fail(key, "must be in [" + num(lo) + ", " + num(hi) + "]" + unit + ", got " + num(out));
}
void int_range(YamlMap& m, const char* key, int& out, int lo, int hi, const char* unit) {
  m.get(key, out);
  if (out < lo || out > hi)
    m.fail(key, "must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]" + unit + ", got " +
                    std::to_string(out));
}

void read_model(YamlMap m, ModelConfig& c) {
  positive(m, "neurons", c.neurons);
  positive(m, "layers", c.layers);
  m.get("weights_dir", c.weights_dir);
  m.get("generate_seed", c.generate_seed);
  if (m.has("weights_dir") && m.has("generate_seed"))
    m.fail("generate_seed", "give weights_dir or generate_seed, not both");
  m.get("images_path", c.images_path);
  m.get("fashion_mnist_count", c.fashion_mnist_count);
  m.require_non_negative("fashion_mnist_count", c.fashion_mnist_count);
  if (!c.images_path.empty() && c.fashion_mnist_count > 0)
    m.fail("fashion_mnist_count", "give images_path or fashion_mnist_count, not both");
  positive(m, "input_count", c.input_count);
  positive(m, "batch_size", c.batch_size);
  in_range(m, "input_density", c.input_density, 1e-12, 1, "");
  in_range(m, "output_density", c.output_density, 1e-12, 1, "");
  positive(m, "nnz_per_row", c.nnz_per_row);
  if (c.nnz_per_row > c.neurons) m.fail("nnz_per_row", "cannot exceed neurons");
  m.finish();
}

void read_deployment(YamlMap m, DeploymentConfig& c) {
  m.get("variant", c.variant);
  m.require_one_of("variant", c.variant, {"serial", "queue", "object", "server_always_on", "server_job_scoped"});
  m.get("workers", c.workers);
  m.require_positive("workers", c.workers);
  {
    YamlMap launch = m.child("launch");
    positive(launch, "bfr", c.launch.bfr);
    positive(launch, "levels", c.launch.levels);
    launch.finish();
  }
  const long long p = launch_tree_workers(c.launch.bfr, c.launch.levels);
  const std::string tree = "bfr " + std::to_string(c.launch.bfr) + ", " + std::to_string(c.launch.levels) +
                           (c.launch.levels == 1 ? " level" : " levels");
  if (p < 0) m.fail("launch", "launch tree (" + tree + ") has more than 1,000,000 workers");
  if (!m.has("workers")) {
    c.workers = static_cast<int>(p);  // implied by the launch tree
  } else if (c.workers != p) {
    m.fail("workers", std::to_string(c.workers) + " does not match the launch tree (" + tree +
                          " gives P = " + std::to_string(p) + ")");
  }
  // AWS Lambda memory limits (docs.aws.amazon.com/lambda, 2024): 128 MB to 10,240 MB.
  int_range(m, "memory_mb", c.memory_mb, 128, 10240, " MB");
  // AWS Lambda function timeout: 1 s to 900 s (15 minutes).
  in_range(m, "timeout_s", c.timeout_s, 1, 900, " s");
  {
    YamlMap part = m.child("partition");
    part.get("method", c.partition.method);
    part.require_one_of("method", c.partition.method, {"contiguous", "random", "hypergraph"});
    part.get("seed", c.partition.seed);
    in_range(part, "imbalance", c.partition.imbalance, 0, 1, "");
    part.finish();
  }
  m.get("instance_type", c.instance_type);
  if (c.instance_type.empty()) m.fail("instance_type", "must not be empty");
  m.finish();
}

void check_workers_fit(YamlMap m, const ModelConfig& model, const DeploymentConfig& d) {
  // Every worker owns at least one neuron of every layer.
  if (d.workers > model.neurons)
    m.fail(m.has("workers") ? "workers" : "launch",
           "P = " + std::to_string(d.workers) + " workers exceed model.neurons = " + std::to_string(model.neurons));
}

void read_channel(YamlMap m, ChannelConfig& c) {
  {
    YamlMap q = m.child("queue");
    positive(q, "topics", c.queue.topics);
    // SQS long polling waits 0..20 s.
    in_range(q, "wait_time_s", c.queue.wait_time_s, 0, 20, " s");
    // SNS/SQS messages are at most 256 KiB; below 1 KiB the attributes would not fit.
    int_range(q, "max_message_bytes", c.queue.max_message_bytes, 1024, 262144, " bytes");
    q.get("compression", c.queue.compression);
    q.require_one_of("compression", c.queue.compression, {"zstd", "none"});
    int_range(q, "compression_level", c.queue.compression_level, 1, 22, " (zstd levels)");
    q.finish();
  }
  {
    YamlMap o = m.child("object");
    o.get("bucket", c.object.bucket);
    if (c.object.bucket.empty()) o.fail("bucket", "must not be empty");
    positive(o, "poll_interval_s", c.object.poll_interval_s);
    positive(o, "parallel_gets", c.object.parallel_gets);
    o.get("parallel_puts", c.object.parallel_puts);
    o.require_non_negative("parallel_puts", c.object.parallel_puts);
    o.get("overlap_gets", c.object.overlap_gets);
    o.get("sleep_after_every_list", c.object.sleep_after_every_list);
    o.finish();
  }
  m.finish();
}

void read_workload(YamlMap m, WorkloadConfig& c) {
  {
    YamlMap a = m.child("arrival");
    a.get("kind", c.arrival.kind);
    a.require_one_of("kind", c.arrival.kind, {"poisson", "bursts", "trace"});
    positive(a, "queries_per_day", c.arrival.queries_per_day);
    positive(a, "burst_size", c.arrival.burst_size);
    positive(a, "burst_gap_s", c.arrival.burst_gap_s);
    a.get("trace_file", c.arrival.trace_file);
    a.get("trace_function", c.arrival.trace_function);
    if (c.arrival.kind == "trace" && c.arrival.trace_file.empty()) a.fail("kind", "trace needs trace_file");
    a.get("seed", c.arrival.seed);
    a.finish();
  }
  positive(m, "duration_s", c.duration_s);
  m.get("max_latency_s", c.max_latency_s);
  m.require_non_negative("max_latency_s", c.max_latency_s);
  m.finish();
}

}  // namespace

long long launch_tree_workers(int bfr, int levels) {
  if (bfr <= 0 || levels <= 0) return -1;
  long long p = 0, level = 1;
  for (int l = 1; l <= levels; ++l) {
    level *= bfr;
    p += level;
    if (p > 1'000'000) return -1;
  }
  return p;
}

Config parse_config(const std::string& text, const std::string& path) {
  const YAML::Node root = cost::parse_yaml(text, path);
  Config c;
  c.path = path;
  if (!root.IsDefined() || root.IsNull()) throw engine::InputError(path, 0, "empty config");
  YamlMap top(root, path, "");
  read_model(top.child("model"), c.model);
  read_deployment(top.child("deployment"), c.deployment);
  if (top.has("deployment"))
    check_workers_fit(top.child("deployment"), c.model, c.deployment);
  else if (c.deployment.workers > c.model.neurons)
    top.fail_here("deployment.workers: the default P = " + std::to_string(c.deployment.workers) +
                  " workers exceed model.neurons = " + std::to_string(c.model.neurons));
  read_channel(top.child("channel"), c.channel);
  read_workload(top.child("workload"), c.workload);
  top.get("prices", c.prices);
  if (c.prices.empty()) top.fail("prices", "must name a price book");
  top.get("calibration", c.calibration);
  top.get("profile", c.profile);
  top.finish();
  return c;
}

Config load_config(const std::string& path) { return parse_config(cost::read_text_file(path), path); }

Config default_config() {
  Config c;
  c.path = "<embedded>";
  return c;
}

}  // namespace cli
