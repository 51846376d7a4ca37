#include "costmodel/cost.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

namespace cost {

namespace {

constexpr double kBytesPerGb = 1e9;         // data-transfer GB (decimal), as AWS and the paper price it
constexpr double kMbPerGb = 1024.0;         // Lambda GB-s: GB = 1024 MB
constexpr double kPaperChunkBytes = 64000;  // the authors' spreadsheet divides by 64,000

double ec2_cost(const Usage& u, const Prices& p) {
  if (u.ec2_seconds <= 0) return 0;
  const InstancePrice* inst = p.instance(u.ec2_instance_type);
  if (!inst)
    throw std::invalid_argument("price book '" + p.name + "' has no EC2 instance type '" + u.ec2_instance_type + "'");
  return u.ec2_seconds / 3600.0 * inst->usd_per_hour;
}

Cost exact(const Usage& u, const Prices& p) {
  Cost c;
  // Lambda bills each invocation's duration rounded up to 1 ms, times memory in GB.
  double billed_s = u.function_seconds;
  if (!u.worker_seconds.empty()) {
    billed_s = 0;
    for (double s : u.worker_seconds) billed_s += std::ceil(s * 1000.0 - 1e-9) / 1000.0;
  }
  c.lambda_usd = billed_s * (u.memory_mb / kMbPerGb) * p.lambda_usd_per_gb_s +
                 static_cast<double>(u.invocations) * p.lambda_usd_per_request;
  // Every call is billed at least once; chunks beyond the first are in the billed counts.
  const auto billed_pub = std::max(u.sns_billed_publishes, u.sns_publish_calls);
  c.sns_usd = static_cast<double>(billed_pub + u.sns_other_requests) * p.sns_usd_per_publish +
              static_cast<double>(u.sns_publish_bytes) / kBytesPerGb * p.sns_usd_per_gb;
  const auto billed_sqs =
      std::max(u.sqs_billed_requests, u.sqs_receives + u.sqs_deletes + u.sqs_sends + u.sqs_other_requests);
  c.sqs_usd = static_cast<double>(billed_sqs) * p.sqs_usd_per_request;
  c.s3_usd = static_cast<double>(u.s3_puts + u.s3_other_requests) * p.s3_usd_per_put +
             static_cast<double>(u.s3_gets) * p.s3_usd_per_get + static_cast<double>(u.s3_lists) * p.s3_usd_per_list;
  c.ec2_usd = ec2_cost(u, p);
  return c;
}

Cost paper(const Usage& u, const Prices& p) {
  Cost c;
  const double c128 = p.lambda_usd_per_gb_s * (128.0 / kMbPerGb);  // price per 128 MB-second
  // Lambda = (P+1)·c_inv + Z·(M/128)·c_128: P workers plus the coordinator.
  c.lambda_usd = (u.workers + 1) * p.lambda_usd_per_request + u.function_seconds * (u.memory_mb / 128.0) * c128;
  // SNS = ⌈(bytes/calls)/64000⌉·calls·c_pub + bytes·c_byte
  if (u.sns_publish_calls > 0) {
    const double calls = static_cast<double>(u.sns_publish_calls);
    const double chunks = std::ceil(static_cast<double>(u.sns_publish_bytes) / calls / kPaperChunkBytes);
    c.sns_usd = chunks * calls * p.sns_usd_per_publish;
  }
  c.sns_usd += static_cast<double>(u.sns_publish_bytes) / kBytesPerGb * p.sns_usd_per_gb;
  // SQS = polls·c_sqs
  c.sqs_usd = static_cast<double>(u.sqs_receives) * p.sqs_usd_per_request;
  c.s3_usd = static_cast<double>(u.s3_puts) * p.s3_usd_per_put + static_cast<double>(u.s3_gets) * p.s3_usd_per_get +
             static_cast<double>(u.s3_lists) * p.s3_usd_per_list;
  c.ec2_usd = ec2_cost(u, p);
  return c;
}

}  // namespace

Cost cost_of(const Usage& usage, const Prices& prices, Accounting accounting) {
  return accounting == Accounting::kPaper ? paper(usage, prices) : exact(usage, prices);
}

Accounting parse_accounting(const std::string& name) {
  if (name == "exact") return Accounting::kExact;
  if (name == "paper") return Accounting::kPaper;
  throw std::invalid_argument("unknown accounting '" + name + "' (exact | paper)");
}

const char* to_string(Accounting accounting) { return accounting == Accounting::kPaper ? "paper" : "exact"; }

Usage parse_usage(const std::string& text, const std::string& path) {
  const YAML::Node root = parse_yaml(text, path);
  if (!root.IsDefined() || root.IsNull()) throw engine::InputError(path, 0, "empty usage file");
  YamlMap m(root, path, "");
  Usage u;
  auto count = [&m](const char* key, std::int64_t& out) {
    m.get(key, out);
    m.require_non_negative(key, static_cast<double>(out));
  };
  m.get("workers", u.workers);
  m.require_present("workers");
  m.require_positive("workers", u.workers);
  m.get("memory_mb", u.memory_mb);
  m.require_present("memory_mb");
  m.require_positive("memory_mb", u.memory_mb);
  m.get("function_seconds", u.function_seconds);
  m.require_non_negative("function_seconds", u.function_seconds);
  m.get("worker_seconds", u.worker_seconds);
  for (double s : u.worker_seconds)
    if (s < 0) m.fail("worker_seconds", "durations must be ≥ 0");
  if (!u.worker_seconds.empty() && !m.has("function_seconds"))
    for (double s : u.worker_seconds) u.function_seconds += s;
  u.invocations = u.workers + 1;  // the coordinator and P workers, unless metered otherwise
  count("invocations", u.invocations);
  count("sns_publish_calls", u.sns_publish_calls);
  u.sns_billed_publishes = u.sns_publish_calls;  // at least one per call
  count("sns_billed_publishes", u.sns_billed_publishes);
  if (u.sns_billed_publishes < u.sns_publish_calls)
    m.fail("sns_billed_publishes", "must be ≥ sns_publish_calls (every call is billed at least once)");
  count("sns_publish_bytes", u.sns_publish_bytes);
  count("sns_messages", u.sns_messages);
  count("sns_other_requests", u.sns_other_requests);
  count("sqs_receives", u.sqs_receives);
  count("sqs_empty_receives", u.sqs_empty_receives);
  if (u.sqs_empty_receives > u.sqs_receives) m.fail("sqs_empty_receives", "must be ≤ sqs_receives");
  count("sqs_deletes", u.sqs_deletes);
  count("sqs_sends", u.sqs_sends);
  count("sqs_other_requests", u.sqs_other_requests);
  const std::int64_t sqs_calls = u.sqs_receives + u.sqs_deletes + u.sqs_sends + u.sqs_other_requests;
  u.sqs_billed_requests = sqs_calls;
  count("sqs_billed_requests", u.sqs_billed_requests);
  if (u.sqs_billed_requests < sqs_calls)
    m.fail("sqs_billed_requests",
           "must be ≥ receives + deletes + sends + other requests (every request is billed at least once)");
  count("sqs_received_bytes", u.sqs_received_bytes);
  count("s3_puts", u.s3_puts);
  count("s3_gets", u.s3_gets);
  count("s3_lists", u.s3_lists);
  count("s3_deletes", u.s3_deletes);
  count("s3_other_requests", u.s3_other_requests);
  count("s3_put_bytes", u.s3_put_bytes);
  count("s3_get_bytes", u.s3_get_bytes);
  m.get("ec2_seconds", u.ec2_seconds);
  m.require_non_negative("ec2_seconds", u.ec2_seconds);
  m.get("ec2_instance_type", u.ec2_instance_type);
  if (u.ec2_seconds > 0 && u.ec2_instance_type.empty()) m.fail_here("ec2_seconds given without ec2_instance_type");
  m.finish();
  return u;
}

Usage load_usage(const std::string& path) { return parse_usage(read_text_file(path), path); }

}  // namespace cost
