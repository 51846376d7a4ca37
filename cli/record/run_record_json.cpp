#include "cli/record/run_record_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "engine/common/input_error.hpp"

namespace cli {
namespace {
using nlohmann::json;

// Every counter of MeteredUsage and ChannelStats, by name: one list for writing and reading.
#define FSD_USAGE_INTS(X)                                                                                 \
  X(sns_publish_requests) X(sns_publish_billed) X(sns_messages) X(sns_payload_bytes) X(sns_other_requests) \
  X(sqs_send_requests) X(sqs_send_billed) X(sqs_receive_requests) X(sqs_receive_billed) X(sqs_empty_receives) \
  X(sqs_messages_received) X(sqs_received_bytes) X(sqs_delete_requests) X(sqs_other_requests)            \
  X(s3_put_requests) X(s3_put_bytes) X(s3_get_requests) X(s3_get_bytes) X(s3_list_requests)              \
  X(s3_delete_requests) X(s3_other_requests) X(lambda_invocations) X(sns_errors) X(sqs_errors)            \
  X(s3_errors) X(lambda_errors)
#define FSD_USAGE_DOUBLES(X) X(lambda_gb_s) X(lambda_duration_s)
#define FSD_TRAFFIC_INTS(X)                                                                            \
  X(blocks_posted) X(empty_markers) X(rows_posted) X(nnz_posted) X(row_bytes_posted) X(frame_bytes_posted) \
  X(wire_bytes_posted) X(messages_posted) X(duplicates_dropped) X(retries)

// Strict reader of one JSON object: knows its key path for messages, rejects unknown keys.
class Obj {
 public:
  Obj(const json& j, std::string where, const std::string& path) : j_(j), where_(std::move(where)), path_(path) {
    if (!j.is_object()) fail("", "expected an object");
  }
  ~Obj() noexcept(false) {
    if (std::uncaught_exceptions()) return;
    for (const auto& [k, v] : j_.items())
      if (!used_.count(k)) fail(k, "unknown key");
  }
  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw engine::InputError(path_, 0, where_ + (key.empty() ? "" : (where_.empty() ? "" : ".") + key) + ": " + what);
  }
  const json& at(const std::string& key) {
    used_.insert(key);
    auto it = j_.find(key);
    if (it == j_.end()) fail(key, "missing");
    return *it;
  }
  std::string str(const std::string& key) {
    const json& v = at(key);
    if (!v.is_string()) fail(key, "expected a string");
    return v.get<std::string>();
  }
  std::int64_t count(const std::string& key) {
    const json& v = at(key);
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0) fail(key, "expected a count ≥ 0");
    return v.get<std::int64_t>();
  }
  int small(const std::string& key) {
    const std::int64_t v = count(key);
    if (v > 1'000'000'000) fail(key, "too large");
    return static_cast<int>(v);
  }
  double num(const std::string& key) {
    const json& v = at(key);
    if (!v.is_number() || !std::isfinite(v.get<double>())) fail(key, "expected a number");
    return v.get<double>();
  }
  const json& array(const std::string& key) {
    const json& v = at(key);
    if (!v.is_array()) fail(key, "expected an array");
    return v;
  }
  bool has(const std::string& key) const { return j_.contains(key); }  // for optional keys
  std::string sub(const std::string& key) const { return where_.empty() ? key : where_ + "." + key; }
  const std::string& path() const { return path_; }

 private:
  const json& j_;
  std::string where_;
  const std::string& path_;
  std::set<std::string> used_;
};

std::vector<std::int64_t> counts(Obj& o, const std::string& key) {
  std::vector<std::int64_t> out;
  for (const json& v : o.array(key)) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < 0) o.fail(key, "expected counts ≥ 0");
    out.push_back(v.get<std::int64_t>());
  }
  return out;
}
}  // namespace

json record_to_json(const RecordFile& rec) {
  const engine::RunRecord& r = rec.run;
  json usage = json::object(), traffic = json::object();
#define X(f) usage[#f] = r.usage.f;
  FSD_USAGE_INTS(X) FSD_USAGE_DOUBLES(X)
#undef X
#define X(f) traffic[#f] = r.traffic.f;
  FSD_TRAFFIC_INTS(X)
#undef X
  json layers = json::array(), workers = json::array();
  for (const auto& l : r.layer_records)
    layers.push_back({{"layer", l.layer}, {"start_s", l.start_s}, {"end_s", l.end_s}, {"max_compute_s", l.max_compute_s},
                      {"max_wait_s", l.max_wait_s}, {"input_nnz", l.input_nnz}, {"pair_bytes", l.pair_bytes}});
  for (const auto& w : r.worker_records)
    workers.push_back({{"worker", w.worker}, {"start_s", w.start_s}, {"end_s", w.end_s}, {"flops", w.flops}});
  json run = {{"run_id", r.run_id},       {"backend", r.backend},     {"channel", r.channel},
              {"workers", r.workers},     {"layers", r.layers},       {"neurons", r.neurons},
              {"images", r.images},       {"memory_mb", r.memory_mb}, {"wall_s", r.wall_s},
              {"layer_records", layers},  {"worker_records", workers}, {"usage", usage},
              {"traffic", traffic},       {"categories", r.categories}, {"final_nnz", r.final_nnz}};
  // Server baselines only (sim/servers): written when set, so function records stay as they were.
  if (r.usage.ec2_instance_seconds != 0) run["usage"]["ec2_instance_seconds"] = r.usage.ec2_instance_seconds;
  if (r.servers != engine::RunServers{}) {
    const engine::RunServers& s = r.servers;
    run["servers"] = {{"instance_type", s.instance_type},   {"instances", s.instances},
                      {"window_s", s.window_s},             {"queries", s.queries},
                      {"latency_mean_s", s.latency_mean_s}, {"latency_p95_s", s.latency_p95_s},
                      {"queue_delay_mean_s", s.queue_delay_mean_s}, {"queue_delay_max_s", s.queue_delay_max_s}};
    if (r.channel == "serial")  // the serial function's stream (sim/servers/serial_sim.hpp)
      run["servers"].update({{"cold_starts", s.cold_starts}, {"throttles", s.throttles}, {"failed", s.failed}});
  }
  return {{"format", kRunRecordFormat}, {"config_path", rec.config_path}, {"config_yaml", rec.config_yaml}, {"run", run}};
}

RecordFile record_from_json(const json& j, const std::string& path) {
  RecordFile rec;
  Obj top(j, "", path);
  if (top.str("format") != kRunRecordFormat) top.fail("format", std::string("expected \"") + kRunRecordFormat + "\"");
  rec.config_path = top.str("config_path");
  rec.config_yaml = top.str("config_yaml");
  Obj run(top.at("run"), "run", path);
  engine::RunRecord& r = rec.run;
  r.run_id = run.str("run_id");
  r.backend = run.str("backend");
  r.channel = run.str("channel");
  r.workers = run.small("workers");
  r.layers = run.small("layers");
  r.neurons = run.small("neurons");
  r.images = run.small("images");
  r.memory_mb = run.small("memory_mb");
  r.wall_s = run.num("wall_s");
  const std::size_t pairs = static_cast<std::size_t>(r.workers) * r.workers;
  for (const json& lj : run.array("layer_records")) {
    Obj o(lj, run.sub("layer_records[" + std::to_string(r.layer_records.size()) + "]"), path);
    engine::RunLayer l;
    l.layer = o.small("layer");
    l.start_s = o.num("start_s");
    l.end_s = o.num("end_s");
    l.max_compute_s = o.num("max_compute_s");
    l.max_wait_s = o.num("max_wait_s");
    l.input_nnz = o.count("input_nnz");
    l.pair_bytes = counts(o, "pair_bytes");
    if (l.pair_bytes.size() != pairs) o.fail("pair_bytes", "expected workers² = " + std::to_string(pairs) + " entries");
    r.layer_records.push_back(std::move(l));
  }
  if (static_cast<int>(r.layer_records.size()) != r.layers + 1) run.fail("layer_records", "expected layers + 1 entries");
  for (const json& wj : run.array("worker_records")) {
    Obj o(wj, run.sub("worker_records[" + std::to_string(r.worker_records.size()) + "]"), path);
    r.worker_records.push_back({o.small("worker"), o.num("start_s"), o.num("end_s"), o.num("flops")});
  }
  if (static_cast<int>(r.worker_records.size()) != r.workers) run.fail("worker_records", "expected one per worker");
  {
    Obj u(run.at("usage"), "run.usage", path);
#define X(f) r.usage.f = u.count(#f);
    FSD_USAGE_INTS(X)
#undef X
#define X(f) r.usage.f = u.num(#f);
    FSD_USAGE_DOUBLES(X)
#undef X
    if (u.has("ec2_instance_seconds")) {
      r.usage.ec2_instance_seconds = u.num("ec2_instance_seconds");
      if (r.usage.ec2_instance_seconds < 0) u.fail("ec2_instance_seconds", "expected a number ≥ 0");
    }
  }
  {
    Obj t(run.at("traffic"), "run.traffic", path);
#define X(f) r.traffic.f = t.count(#f);
    FSD_TRAFFIC_INTS(X)
#undef X
  }
  for (std::int64_t c : counts(run, "categories")) {
    if (c >= r.images) run.fail("categories", "image " + std::to_string(c) + " out of range");
    r.categories.push_back(static_cast<std::int32_t>(c));
  }
  r.final_nnz = run.count("final_nnz");
  if (run.has("servers")) {
    Obj s(run.at("servers"), "run.servers", path);
    engine::RunServers& v = r.servers;
    v.instance_type = s.str("instance_type");
    v.instances = s.small("instances");
    v.queries = s.count("queries");
    for (auto [key, out] : {std::pair{"window_s", &v.window_s}, {"latency_mean_s", &v.latency_mean_s},
                            {"latency_p95_s", &v.latency_p95_s}, {"queue_delay_mean_s", &v.queue_delay_mean_s},
                            {"queue_delay_max_s", &v.queue_delay_max_s}}) {
      *out = s.num(key);
      if (*out < 0) s.fail(key, "expected a number ≥ 0");
    }
    // The serial function's stream runs no instance type; its counts are optional keys.
    if (v.instance_type.empty() && r.channel != "serial") s.fail("instance_type", "must not be empty");
    for (auto [key, out] : {std::pair{"cold_starts", &v.cold_starts}, {"throttles", &v.throttles}, {"failed", &v.failed}})
      if (s.has(key)) *out = s.count(key);
    if (v.failed > v.queries) s.fail("failed", "more than the queries");
  }
  return rec;
}

RecordFile parse_record(const std::string& text, const std::string& path) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    const std::size_t at = std::min<std::size_t>(e.byte, text.size());
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + at, '\n'));
    std::string what = e.what();
    throw engine::InputError(path, line, "malformed JSON: " + what.substr(what.find(':') == std::string::npos ? 0 : what.rfind(": ") + 2));
  }
  return record_from_json(j, path);
}

RecordFile read_record(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw engine::InputError(path, 0, "cannot open");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_record(ss.str(), path);
}

void write_record(const RecordFile& record, const std::string& path) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + tmp);
    out << record_to_json(record).dump(1) << '\n';
    if (!out.flush()) throw std::runtime_error("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot rename " + tmp + " to " + path);
  }
}

}  // namespace cli
