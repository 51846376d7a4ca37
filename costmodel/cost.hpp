// Cost: dollars of a Usage under a price book, itemised per service.
//
// Two accountings (docs/COSTMODEL.md states both with their symbols):
//  - kExact: what AWS bills: Lambda GB-s (each invocation rounded up to 1 ms when per-invocation
//    durations are known) + requests; SNS per billed 64 KiB publish chunk (+ data out if the book
//    prices it); SQS per billed request (every 64 KiB chunk, receives incl. empty, deletes, sends);
//    S3 PUT/GET/LIST (DELETE free); EC2 seconds at the hourly price; SNS→SQS delivery free.
//  - kPaper: the FSD-Inference authors' spreadsheet: Lambda = (P+1)·c_inv + Z·(M/128)·c_128;
//    SNS = ⌈(bytes/calls)/64000⌉·calls·c_pub + bytes·c_byte; SQS = receives·c_sqs;
//    S3 = PUT·c_put + GET·c_get + LIST·c_list; EC2 as exact.
// Pure functions, thread-safe.
#pragma once

#include <string>

#include "costmodel/prices.hpp"
#include "costmodel/usage.hpp"

namespace cost {

enum class Accounting { kExact, kPaper };

struct Cost {
  double lambda_usd = 0;
  double sns_usd = 0;
  double sqs_usd = 0;
  double s3_usd = 0;
  double ec2_usd = 0;
  double total_usd() const { return lambda_usd + sns_usd + sqs_usd + s3_usd + ec2_usd; }
  bool operator==(const Cost&) const = default;
};

// Throws std::invalid_argument if usage names an EC2 instance type the book does not price
// (with ec2_seconds > 0).
Cost cost_of(const Usage& usage, const Prices& prices, Accounting accounting = Accounting::kExact);

Accounting parse_accounting(const std::string& name);  // "exact" | "paper"; std::invalid_argument otherwise
const char* to_string(Accounting accounting);

// Usage file (YAML) for `fsd cost --usage`: keys are Usage's member names; strict like configs.
Usage load_usage(const std::string& path);
Usage parse_usage(const std::string& text, const std::string& path);

}  // namespace cost
