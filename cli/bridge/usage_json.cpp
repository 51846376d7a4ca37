#include "cli/bridge/usage_json.hpp"

#include "engine/common/input_error.hpp"

namespace cli {

namespace {
// One table of (key, member) for every count, so writing and reading cannot drift apart.
struct CountField {
  const char* key;
  std::int64_t cost::Usage::*member;
};
constexpr CountField kCounts[] = {
    {"invocations", &cost::Usage::invocations},
    {"sns_publish_calls", &cost::Usage::sns_publish_calls},
    {"sns_billed_publishes", &cost::Usage::sns_billed_publishes},
    {"sns_publish_bytes", &cost::Usage::sns_publish_bytes},
    {"sns_messages", &cost::Usage::sns_messages},
    {"sns_other_requests", &cost::Usage::sns_other_requests},
    {"sqs_receives", &cost::Usage::sqs_receives},
    {"sqs_empty_receives", &cost::Usage::sqs_empty_receives},
    {"sqs_deletes", &cost::Usage::sqs_deletes},
    {"sqs_sends", &cost::Usage::sqs_sends},
    {"sqs_other_requests", &cost::Usage::sqs_other_requests},
    {"sqs_billed_requests", &cost::Usage::sqs_billed_requests},
    {"sqs_received_bytes", &cost::Usage::sqs_received_bytes},
    {"s3_puts", &cost::Usage::s3_puts},
    {"s3_gets", &cost::Usage::s3_gets},
    {"s3_lists", &cost::Usage::s3_lists},
    {"s3_deletes", &cost::Usage::s3_deletes},
    {"s3_other_requests", &cost::Usage::s3_other_requests},
    {"s3_put_bytes", &cost::Usage::s3_put_bytes},
    {"s3_get_bytes", &cost::Usage::s3_get_bytes},
};
}  // namespace

nlohmann::json usage_to_json(const cost::Usage& u) {
  nlohmann::json j;
  j["workers"] = u.workers;
  j["memory_mb"] = u.memory_mb;
  j["function_seconds"] = u.function_seconds;
  if (!u.worker_seconds.empty()) j["worker_seconds"] = u.worker_seconds;
  for (const auto& f : kCounts) j[f.key] = u.*f.member;
  j["ec2_seconds"] = u.ec2_seconds;
  j["ec2_instance_type"] = u.ec2_instance_type;
  return j;
}

cost::Usage usage_from_json(const nlohmann::json& j, const std::string& path) {
  auto fail = [&](const std::string& key, const std::string& what) {
    throw engine::InputError(path, 0, "usage." + key + ": " + what);
  };
  if (!j.is_object()) throw engine::InputError(path, 0, "usage: expected an object");
  cost::Usage u;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    const nlohmann::json& v = it.value();
    auto integer = [&]() -> std::int64_t {
      if (!v.is_number_integer()) fail(key, "expected an integer");
      const auto x = v.get<std::int64_t>();
      if (x < 0) fail(key, "must be ≥ 0");
      return x;
    };
    auto number = [&]() -> double {
      if (!v.is_number()) fail(key, "expected a number");
      const double x = v.get<double>();
      if (!(x >= 0)) fail(key, "must be ≥ 0");
      return x;
    };
    if (key == "workers") {
      u.workers = static_cast<int>(std::min<std::int64_t>(integer(), 1 << 30));
    } else if (key == "memory_mb") {
      u.memory_mb = static_cast<int>(std::min<std::int64_t>(integer(), 1 << 30));
    } else if (key == "function_seconds") {
      u.function_seconds = number();
    } else if (key == "worker_seconds") {
      if (!v.is_array()) fail(key, "expected a list of numbers");
      for (const auto& e : v) {
        if (!e.is_number() || !(e.get<double>() >= 0)) fail(key, "expected numbers ≥ 0");
        u.worker_seconds.push_back(e.get<double>());
      }
    } else if (key == "ec2_seconds") {
      u.ec2_seconds = number();
    } else if (key == "ec2_instance_type") {
      if (!v.is_string()) fail(key, "expected a string");
      u.ec2_instance_type = v.get<std::string>();
    } else {
      bool known = false;
      for (const auto& f : kCounts)
        if (key == f.key) {
          u.*f.member = integer();
          known = true;
        }
      if (!known) fail(key, "unknown key");
    }
  }
  return u;
}

nlohmann::json cost_to_json(const cost::Cost& c) {
  return {{"lambda_usd", c.lambda_usd}, {"sns_usd", c.sns_usd}, {"sqs_usd", c.sqs_usd},
          {"s3_usd", c.s3_usd},         {"ec2_usd", c.ec2_usd}, {"total_usd", c.total_usd()}};
}

nlohmann::json prediction_to_json(const cost::Prediction& p) {
  return {{"variant", cost::to_string(p.variant)},
          {"feasible", p.feasible},
          {"infeasible_reason", p.infeasible_reason},
          {"latency_s", p.latency_s},
          {"provision_s", p.provision_s},
          {"compute_s", p.compute_s},
          {"comm_s", p.comm_s},
          {"usd_per_query", p.usd_per_query},
          {"usd_per_1000_queries", 1000 * p.usd_per_query},
          {"usd_per_day", p.usd_per_day},
          {"cost", cost_to_json(p.cost)},
          {"usage", usage_to_json(p.usage)}};
}

}  // namespace cli
