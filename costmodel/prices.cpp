#include "costmodel/prices.hpp"

#include <cstdlib>
#include <utility>

#include "costmodel/yaml_reader.hpp"
#include "engine/common/input_error.hpp"

namespace cost {

namespace {

// A price may be written in any of several units; exactly one of the keys may appear.
// Returns the price in the first unit (factor 1), or fallback when none appears (required → error).
struct Unit {
  const char* key;
  double to_base;  // base price = value · to_base
};

double read_price(YamlMap& m, std::initializer_list<Unit> units, bool required, double fallback = 0) {
  const Unit* found = nullptr;
  double value = 0;
  for (const Unit& u : units) {
    if (!m.has(u.key)) {
      double ignored = 0;
      m.get(u.key, ignored);  // marks the key as known
      continue;
    }
    if (found) m.fail(u.key, std::string("give one of '") + found->key + "' and '" + u.key + "', not both");
    m.get(u.key, value);
    m.require_non_negative(u.key, value);
    found = &u;
  }
  if (!found) {
    if (!required) return fallback;
    m.fail_here(std::string("missing price '") + m.dotted(units.begin()->key) + "'");
  }
  return value * found->to_base;
}

}  // namespace

const InstancePrice* Prices::instance(const std::string& type) const {
  for (const auto& i : ec2)
    if (i.type == type) return &i;
  return nullptr;
}

Prices parse_prices(const std::string& text, const std::string& path) {
  const YAML::Node root = parse_yaml(text, path);
  if (!root.IsDefined() || root.IsNull()) throw engine::InputError(path, 0, "empty price book");
  YamlMap top(root, path, "");
  Prices p;
  top.get("name", p.name);
  top.require_present("name");
  top.get("source", p.source);
  top.require_present("source");  // every book cites where its numbers come from

  YamlMap lambda = top.child("lambda");
  if (!lambda.present()) top.fail_here("missing section 'lambda'");
  p.lambda_usd_per_gb_s = read_price(lambda, {{"usd_per_gb_s", 1.0}, {"usd_per_128mb_s", 1024.0 / 128.0}}, true);
  p.lambda_arm_usd_per_gb_s = read_price(lambda, {{"arm_usd_per_gb_s", 1.0}}, false);
  p.lambda_usd_per_request = read_price(lambda, {{"usd_per_request", 1.0}, {"usd_per_million_requests", 1e-6}}, true);
  lambda.finish();

  YamlMap sns = top.child("sns");
  if (!sns.present()) top.fail_here("missing section 'sns'");
  p.sns_usd_per_publish = read_price(sns, {{"usd_per_publish", 1.0}, {"usd_per_million_publishes", 1e-6}}, true);
  p.sns_usd_per_gb = read_price(sns, {{"usd_per_gb", 1.0}}, false);
  sns.finish();

  YamlMap sqs = top.child("sqs");
  if (!sqs.present()) top.fail_here("missing section 'sqs'");
  p.sqs_usd_per_request = read_price(sqs, {{"usd_per_request", 1.0}, {"usd_per_million_requests", 1e-6}}, true);
  sqs.finish();

  YamlMap s3 = top.child("s3");
  if (!s3.present()) top.fail_here("missing section 's3'");
  p.s3_usd_per_put = read_price(s3, {{"usd_per_put", 1.0}, {"usd_per_1000_put", 1e-3}}, true);
  p.s3_usd_per_get = read_price(s3, {{"usd_per_get", 1.0}, {"usd_per_1000_get", 1e-3}}, true);
  p.s3_usd_per_list = read_price(s3, {{"usd_per_list", 1.0}, {"usd_per_1000_list", 1e-3}}, true);
  s3.finish();

  YamlMap ec2 = top.child("ec2");
  if (ec2.present()) {
    const std::vector<std::string> types = top.keys_of("ec2");
    for (const auto& type : types) {
      YamlMap inst = ec2.child(type);
      InstancePrice ip;
      ip.type = type;
      inst.get("usd_per_hour", ip.usd_per_hour);
      inst.require_present("usd_per_hour");
      inst.require_non_negative("usd_per_hour", ip.usd_per_hour);
      inst.get("vcpus", ip.vcpus);
      inst.require_present("vcpus");
      inst.require_positive("vcpus", ip.vcpus);
      inst.get("memory_gb", ip.memory_gb);
      inst.require_present("memory_gb");
      inst.require_positive("memory_gb", ip.memory_gb);
      inst.finish();
      p.ec2.push_back(std::move(ip));
    }
    ec2.finish();
  }
  top.finish();
  return p;
}

Prices load_prices(const std::string& path) { return parse_prices(read_text_file(path), path); }

std::string configs_dir() {
  if (const char* env = std::getenv("FSD_CONFIG_DIR"); env && *env) return env;
  return FSD_DEFAULT_CONFIG_DIR;
}

std::string price_book_path(const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".yaml") == 0);
  if (is_path) return name_or_path;
  return configs_dir() + "/prices/" + name_or_path + ".yaml";
}

}  // namespace cost
