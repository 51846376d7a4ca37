// Prices: one price book (a region at a date) loaded from configs/prices/<name>.yaml.
//
// All prices are US dollars per unit named in the member; the YAML file may state a price in the
// unit its source used (e.g. usd_per_128mb_s) and load_prices() converts it once, so cost code
// never guesses units. Validation on load: unknown keys, wrong types, negative prices, a missing
// required price → engine::InputError "path:line: key: problem". Plain value type.
#pragma once

#include <string>
#include <vector>

namespace cost {

struct InstancePrice {
  std::string type;         // e.g. "c5.2xlarge"
  double usd_per_hour = 0;  // on-demand, Linux
  int vcpus = 0;            // instance spec (not a price), used by the server latency model
  double memory_gb = 0;     // instance spec, used to check the model fits
  bool operator==(const InstancePrice&) const = default;
};

struct Prices {
  std::string name;    // book name, e.g. "aws-us-east-1"
  std::string source;  // where the numbers come from (URL or paper) and the date read

  // Lambda
  double lambda_usd_per_gb_s = 0;      // x86_64, per GB-second (GB = 1024 MB)
  double lambda_arm_usd_per_gb_s = 0;  // arm64; 0 = not offered in this book
  double lambda_usd_per_request = 0;   // per invocation
  // SNS
  double sns_usd_per_publish = 0;  // per billed publish (64 KB chunk)
  double sns_usd_per_gb = 0;       // data out, per GB (10^9 bytes); 0 when in-region is free
  // SQS (standard queues)
  double sqs_usd_per_request = 0;  // per billed request (64 KB chunk; a batch of ≤ 10 is one)
  // S3 (standard)
  double s3_usd_per_put = 0;   // PUT, COPY, POST
  double s3_usd_per_get = 0;   // GET
  double s3_usd_per_list = 0;  // LIST
  // EC2 on-demand
  std::vector<InstancePrice> ec2;

  // The instance entry of that type, or nullptr.
  const InstancePrice* instance(const std::string& type) const;
  bool operator==(const Prices&) const = default;
};

Prices load_prices(const std::string& path);
Prices parse_prices(const std::string& text, const std::string& path);

// Resolves a book name ("aws-us-east-1") or a path ("my/prices.yaml") to a file path:
// a name containing '/' or ending in ".yaml" is a path; otherwise <configs_dir>/prices/<name>.yaml,
// where configs_dir is $FSD_CONFIG_DIR if set, else the source tree's configs/ (compiled in).
std::string price_book_path(const std::string& name_or_path);
// The configs directory used above.
std::string configs_dir();

}  // namespace cost
