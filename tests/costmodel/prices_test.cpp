// Price books: the shipped books hold the issue's numbers; bad books and usage files are
// rejected with "path:line: key: problem".
#include "costmodel/prices.hpp"

#include <doctest/doctest.h>

#include <string>

#include "costmodel/cost.hpp"
#include "engine/common/input_error.hpp"

namespace {
const std::string kPrices = std::string(FSD_SOURCE_DIR) + "/configs/prices/";
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "";
}
const std::string kBook = R"(name: t
source: test
lambda: {usd_per_gb_s: 1, usd_per_request: 2}
sns: {usd_per_publish: 3}
sqs: {usd_per_request: 4}
s3: {usd_per_put: 5, usd_per_get: 6, usd_per_list: 7}
)";
}  // namespace

TEST_CASE("prices: aws-us-east-1 holds the published unit prices") {
  const cost::Prices p = cost::load_prices(kPrices + "aws-us-east-1.yaml");
  CHECK(p.name == "aws-us-east-1");
  CHECK(p.lambda_usd_per_gb_s == 0.0000166667);
  CHECK(p.lambda_arm_usd_per_gb_s == 0.0000133334);
  CHECK(p.lambda_usd_per_request == doctest::Approx(0.20e-6).epsilon(1e-15));
  CHECK(p.sns_usd_per_publish == doctest::Approx(0.50e-6).epsilon(1e-15));
  CHECK(p.sns_usd_per_gb == 0);
  CHECK(p.sqs_usd_per_request == doctest::Approx(0.40e-6).epsilon(1e-15));
  CHECK(p.s3_usd_per_put == doctest::Approx(0.005e-3).epsilon(1e-15));
  CHECK(p.s3_usd_per_get == doctest::Approx(0.0004e-3).epsilon(1e-15));
  CHECK(p.s3_usd_per_list == doctest::Approx(0.005e-3).epsilon(1e-15));
  REQUIRE(p.instance("c5.9xlarge"));
  CHECK(p.instance("c5.xlarge")->usd_per_hour == 0.17);
  CHECK(p.instance("c5.2xlarge")->usd_per_hour == 0.34);
  CHECK(p.instance("c5.4xlarge")->usd_per_hour == 0.68);
  CHECK(p.instance("c5.9xlarge")->usd_per_hour == 1.53);
  CHECK(p.instance("c5.9xlarge")->vcpus == 36);
  CHECK(p.instance("m5.large") == nullptr);
}

TEST_CASE("prices: fsd-paper-2024 converts the per-128 MB-second price") {
  const cost::Prices p = cost::load_prices(kPrices + "fsd-paper-2024.yaml");
  CHECK(p.lambda_usd_per_gb_s == doctest::Approx(8 * 2.1e-6).epsilon(1e-15));
  CHECK(p.sns_usd_per_gb == 0.09);
  CHECK(p.s3_usd_per_put == 5.3e-6);
  CHECK(p.s3_usd_per_get == 4.2e-7);
  CHECK(p.s3_usd_per_list == 5.3e-6);
}

TEST_CASE("prices: names resolve to books under configs/prices") {
  CHECK(cost::price_book_path("a/b.yaml") == "a/b.yaml");
  CHECK(cost::price_book_path("x.yaml") == "x.yaml");
  const std::string p = cost::price_book_path("aws-us-east-1");
  CHECK(p.size() > 26);
  CHECK(p.substr(p.size() - 26) == "/prices/aws-us-east-1.yaml");
}

TEST_CASE("prices: bad books") {
  CHECK(error_of([] { cost::parse_prices(kBook, "b.yaml"); }) == "");
  CHECK(error_of([] { cost::parse_prices(kBook + "extra: 1\n", "b.yaml"); }) == "b.yaml:7: extra: unknown key");
  CHECK(error_of([] {
          cost::parse_prices("name: t\nsource: s\nlambda: {usd_per_gb_s: -1, usd_per_request: 2}\n", "b.yaml");
        }) == "b.yaml:3: lambda.usd_per_gb_s: must be ≥ 0, got -1");
  CHECK(error_of([] {
          cost::parse_prices("name: t\nsource: s\nlambda: {usd_per_gb_s: 1, usd_per_128mb_s: 1, usd_per_request: 2}\n",
                             "b.yaml");
        }) == "b.yaml:3: lambda.usd_per_128mb_s: give one of 'usd_per_gb_s' and 'usd_per_128mb_s', not both");
  CHECK(error_of([] { cost::parse_prices("name: t\nsource: s\nlambda: {usd_per_request: 2}\n", "b.yaml"); }) ==
        "b.yaml:3: lambda: missing price 'lambda.usd_per_gb_s'");
  CHECK(error_of([] { cost::parse_prices("name: t\nlambda: {}\n", "b.yaml"); }) ==
        "b.yaml:1: missing required key 'source'");
  CHECK(error_of([] {
          cost::parse_prices(kBook + "ec2:\n  c5.large: {usd_per_hour: x, vcpus: 2, memory_gb: 4}\n", "b.yaml");
        }) == "b.yaml:8: ec2.c5.large.usd_per_hour: expected a number, got 'x'");
  CHECK(error_of([] { cost::load_prices("/nonexistent.yaml"); }) == "/nonexistent.yaml: cannot read the file");
}

TEST_CASE("prices: usage files are strict and fill billed counts from calls") {
  const cost::Usage u = cost::parse_usage(
      "workers: 8\nmemory_mb: 1000\nfunction_seconds: 1.5\nsns_publish_calls: 7\n"
      "sqs_receives: 3\nsqs_deletes: 2\n",
      "u.yaml");
  CHECK(u.invocations == 9);  // P + coordinator unless metered
  CHECK(u.sns_billed_publishes == 7);
  CHECK(u.sqs_billed_requests == 5);
  CHECK(error_of([] { cost::parse_usage("workers: 8\nmemory_mb: 1000\ns3_putz: 1\n", "u.yaml"); }) ==
        "u.yaml:3: s3_putz: unknown key");
  CHECK(error_of([] { cost::parse_usage("workers: 8\nmemory_mb: 1000\ns3_puts: -1\n", "u.yaml"); }) ==
        "u.yaml:3: s3_puts: must be ≥ 0, got -1");
  CHECK(error_of([] { cost::parse_usage("workers: 0\nmemory_mb: 1000\n", "u.yaml"); }) ==
        "u.yaml:1: workers: must be > 0, got 0");
  CHECK(error_of([] {
          cost::parse_usage("workers: 2\nmemory_mb: 1000\nsns_publish_calls: 5\nsns_billed_publishes: 4\n", "u.yaml");
        }) == "u.yaml:4: sns_billed_publishes: must be ≥ sns_publish_calls (every call is billed at least once)");
}
