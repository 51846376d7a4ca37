// Strict YAML loading of a Calibration: every key required, no unknown key, every number positive
// (probabilities in [0, 1]). Errors name the file and the 1-based line of the offending node.
#include "sim/calibration.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>

#include "engine/common/input_error.hpp"

namespace sim {
namespace {

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& what) const {
    throw engine::InputError(path_, node.Mark().is_null() ? 0 : node.Mark().line + 1, what);
  }

  // Visits every key of a map exactly once; each must be known, each known one present.
  void map(const YAML::Node& node, const std::string& where,
           const std::map<std::string, std::function<void(const YAML::Node&, const std::string&)>>& fields) const {
    if (!node.IsMap()) fail(node, where + ": expected a map");
    for (const auto& kv : node) {
      const auto key = kv.first.as<std::string>();
      if (!fields.count(key)) fail(kv.first, where + "." + key + ": unknown key");
    }
    for (const auto& [key, read] : fields) {
      const YAML::Node child = node[key];
      if (!child) fail(node, where + "." + key + ": missing");
      read(child, where + "." + key);
    }
  }

  double number(const YAML::Node& node, const std::string& where, double min_value, bool inclusive) const {
    if (!node.IsScalar()) fail(node, where + ": expected a number");
    double v = 0;
    try {
      v = node.as<double>();
    } catch (const YAML::Exception&) {
      fail(node, where + ": expected a number, got '" + node.Scalar() + "'");
    }
    if (!(inclusive ? v >= min_value : v > min_value))
      fail(node, where + ": must be " + (inclusive ? ">= " : "> ") + std::to_string(min_value));
    return v;
  }

  auto positive(double* out) const {
    return [this, out](const YAML::Node& n, const std::string& w) { *out = number(n, w, 0, false); };
  }
  auto non_negative(double* out) const {
    return [this, out](const YAML::Node& n, const std::string& w) { *out = number(n, w, 0, true); };
  }
  auto positive_int(int* out) const {
    return [this, out](const YAML::Node& n, const std::string& w) {
      const double v = number(n, w, 1, true);
      if (v != static_cast<int>(v)) fail(n, w + ": expected an integer");
      *out = static_cast<int>(v);
    };
  }
  auto probability(double* out) const {
    return [this, out](const YAML::Node& n, const std::string& w) {
      *out = number(n, w, 0, true);
      if (*out > 1) fail(n, w + ": must be <= 1");
    };
  }

  auto service(ServiceCalibration* s) const {
    return [this, s](const YAML::Node& n, const std::string& w) {
      map(n, w,
          {{"latency_s", non_negative(&s->latency_s)},
           {"service_time_s", non_negative(&s->service_time_s)},
           {"service_jitter_s", non_negative(&s->service_jitter_s)},
           {"bytes_per_s", positive(&s->bytes_per_s)},
           {"requests_per_s", positive(&s->requests_per_s)},
           {"burst_requests", positive(&s->burst_requests)}});
    };
  }

  auto worker(WorkerCalibration* c) const {
    return [this, c](const YAML::Node& n, const std::string& w) {
      map(n, w,
          {{"flops_per_s_per_vcpu", positive(&c->flops_per_s_per_vcpu)},
           {"compress_bytes_per_s_per_vcpu", positive(&c->compress_bytes_per_s_per_vcpu)},
           {"decompress_bytes_per_s_per_vcpu", positive(&c->decompress_bytes_per_s_per_vcpu)},
           {"compression_ratio", positive(&c->compression_ratio)},
           {"request_overhead_s", non_negative(&c->request_overhead_s)},
           {"message_vcpu_s", non_negative(&c->message_vcpu_s)},
           {"message_body_s_per_mb", non_negative(&c->message_body_s_per_mb)},
           {"object_vcpu_s", non_negative(&c->object_vcpu_s)},
           {"object_vcpu_s_per_mb", non_negative(&c->object_vcpu_s_per_mb)},
           {"publish_threads", positive_int(&c->publish_threads)},
           {"object_buckets", positive_int(&c->object_buckets)},
           {"protocol", [this, c](const YAML::Node& n, const std::string& w) {
              const std::string v = n.IsScalar() ? n.Scalar() : "";
              if (v == "channel") c->protocol = WorkerProtocol::kChannel;
              else if (v == "published") c->protocol = WorkerProtocol::kPublished;
              else fail(n, w + ": expected channel or published, got '" + v + "'");
            }}});
    };
  }

 private:
  std::string path_;
};

}  // namespace

Calibration parse_calibration(const std::string& text, const std::string& path) {
  Calibration c;
  c.path = path;
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw engine::InputError(path, e.mark.line + 1, e.msg);
  }
  const Reader r(path);
  auto& l = c.lambda;
  r.map(root, "calibration",
        {{"lambda",
          [&](const YAML::Node& n, const std::string& w) {
            r.map(n, w,
                  {{"mb_per_vcpu", r.positive(&l.mb_per_vcpu)},
                   {"max_vcpus", r.positive_int(&l.max_vcpus)},
                   {"max_memory_mb", r.positive_int(&l.max_memory_mb)},
                   {"min_memory_mb", r.positive_int(&l.min_memory_mb)},
                   {"link_latency_s", r.non_negative(&l.link_latency_s)},
                   {"link_bytes_per_s", r.positive(&l.link_bytes_per_s)},
                   {"cold_start_s", r.non_negative(&l.cold_start_s)},
                   {"warm_start_s", r.non_negative(&l.warm_start_s)},
                   {"concurrency_limit", r.positive_int(&l.concurrency_limit)},
                   {"invoke", r.service(&l.invoke)}});
          }},
         {"sns",
          [&](const YAML::Node& n, const std::string& w) {
            r.map(n, w,
                  {{"publish", r.service(&c.sns.publish)},
                   {"delivery_latency_s", r.non_negative(&c.sns.delivery_latency_s)},
                   {"delivery_jitter_s", r.non_negative(&c.sns.delivery_jitter_s)},
                   {"duplicate_probability", r.probability(&c.sns.duplicate_probability)}});
          }},
         {"sqs", r.service(&c.sqs)},
         {"s3",
          [&](const YAML::Node& n, const std::string& w) {
            r.map(n, w, {{"put", r.service(&c.s3_put)}, {"get", r.service(&c.s3_get)}, {"list", r.service(&c.s3_list)}});
          }},
         {"seed",
          [&](const YAML::Node& n, const std::string& w) {
            c.seed = static_cast<std::uint64_t>(r.number(n, w, 0, true));
          }},
         {"workers",
          [&](const YAML::Node& n, const std::string& w) {
            r.map(n, w, {{"fsd", r.worker(&c.fsd)}, {"python", r.worker(&c.python)}});
          }}});
  if (l.min_memory_mb > l.max_memory_mb)
    r.fail(root["lambda"], "calibration.lambda: min_memory_mb > max_memory_mb");
  return c;
}

Calibration load_calibration(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw engine::InputError(path, 0, "cannot open calibration file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_calibration(ss.str(), path);
}

double vcpus_for_memory(const LambdaCalibration& lambda, int memory_mb) {
  if (memory_mb < lambda.min_memory_mb || memory_mb > lambda.max_memory_mb)
    throw std::invalid_argument("sim::vcpus_for_memory(): memory_mb " + std::to_string(memory_mb) + " outside [" +
                                std::to_string(lambda.min_memory_mb) + ", " + std::to_string(lambda.max_memory_mb) +
                                "]");
  return std::min(memory_mb / lambda.mb_per_vcpu, static_cast<double>(lambda.max_vcpus));
}

int cores_for_memory(const LambdaCalibration& lambda, int memory_mb) {
  const double vcpus = vcpus_for_memory(lambda, memory_mb);
  return std::min(static_cast<int>(std::ceil(vcpus - 1e-9)), lambda.max_vcpus);
}

}  // namespace sim
