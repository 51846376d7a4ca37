// Exact and paper accounting against the FSD-Inference authors' published run costs (issue 3:
// 10,000 images, 120 layers, 1024 neurons, 1000 MB) and hand-derived AWS bills.
#include "costmodel/cost.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace {
const std::string kPrices = std::string(FSD_SOURCE_DIR) + "/configs/prices/";
cost::Prices paper_book() { return cost::load_prices(kPrices + "fsd-paper-2024.yaml"); }
cost::Prices aws_book() { return cost::load_prices(kPrices + "aws-us-east-1.yaml"); }
// |a − b| < half a unit in the 10th decimal: the published figures are given to 10 decimals.
bool digits10(double a, double b) { return std::fabs(a - b) < 0.5e-10; }
}  // namespace

TEST_CASE("cost: paper accounting reproduces the published queue run (P=8, bfr 8, 1000 MB)") {
  cost::Usage u;
  u.workers = 8;
  u.memory_mb = 1000;
  u.function_seconds = 568.61206;
  u.sns_publish_calls = 1102;
  u.sns_publish_bytes = 104131260;
  u.sqs_receives = 4318;
  const cost::Cost c = cost::cost_of(u, paper_book(), cost::Accounting::kPaper);
  CHECK(digits10(c.lambda_usd, 0.0093305916));
  CHECK(digits10(c.sns_usd, 0.0104738134));
  CHECK(digits10(c.sqs_usd, 0.0017272));
  CHECK(c.s3_usd == 0);
  CHECK(digits10(c.total_usd(), 0.0215316050));
}

TEST_CASE("cost: paper accounting reproduces the published object run (P=8, 1000 MB)") {
  cost::Usage u;
  u.workers = 8;
  u.memory_mb = 1000;
  u.function_seconds = 514.65564;
  u.s3_puts = 6452;
  u.s3_gets = 6450;
  u.s3_lists = 1615;
  const cost::Cost c = cost::cost_of(u, paper_book(), cost::Accounting::kPaper);
  CHECK(digits10(c.lambda_usd, 0.0084453691));
  CHECK(digits10(c.s3_usd, 0.0454641));
  CHECK(c.sns_usd == 0);
  CHECK(c.sqs_usd == 0);
  CHECK(digits10(c.total_usd(), 0.0539094691));
}

TEST_CASE("cost: exact accounting bills 64 KiB chunks, deletes, 1 ms rounding and EC2 seconds") {
  const cost::Prices p = aws_book();
  cost::Usage u;
  u.workers = 2;
  u.memory_mb = 2048;                        // 2 GB
  u.worker_seconds = {1.0001, 2.0, 0.0004};  // billed 1.001 + 2.000 + 0.001 = 3.002 s
  u.function_seconds = 3.0005;
  u.invocations = 3;
  u.sns_publish_calls = 10;
  u.sns_billed_publishes = 25;  // some calls carried several 64 KiB chunks
  u.sns_publish_bytes = 1'000'000;
  u.sqs_receives = 40;
  u.sqs_deletes = 12;
  u.sqs_sends = 0;
  u.sqs_billed_requests = 70;
  u.s3_puts = 1000;
  u.s3_gets = 2000;
  u.s3_lists = 3000;
  u.ec2_seconds = 7200;
  u.ec2_instance_type = "c5.xlarge";
  const cost::Cost c = cost::cost_of(u, p, cost::Accounting::kExact);
  CHECK(c.lambda_usd == doctest::Approx(3.002 * 2 * 0.0000166667 + 3 * 0.20e-6).epsilon(1e-12));
  CHECK(c.sns_usd == doctest::Approx(25 * 0.50e-6).epsilon(1e-12));  // SNS→SQS and in-region bytes free
  CHECK(c.sqs_usd == doctest::Approx(70 * 0.40e-6).epsilon(1e-12));
  CHECK(c.s3_usd == doctest::Approx(1000 * 0.005e-3 + 2000 * 0.0004e-3 + 3000 * 0.005e-3).epsilon(1e-12));
  CHECK(c.ec2_usd == doctest::Approx(2 * 0.17).epsilon(1e-12));
}

TEST_CASE("cost: exact accounting never bills fewer than one request per call") {
  cost::Usage u;
  u.workers = 1;
  u.memory_mb = 128;
  u.sns_publish_calls = 7;  // billed counts left at 0 by a careless producer
  u.sqs_receives = 5;
  u.sqs_deletes = 2;
  const cost::Cost c = cost::cost_of(u, aws_book(), cost::Accounting::kExact);
  CHECK(c.sns_usd == doctest::Approx(7 * 0.5e-6));
  CHECK(c.sqs_usd == doctest::Approx(7 * 0.4e-6));
}

TEST_CASE("cost: EC2 usage with a type the book does not price is an error") {
  cost::Usage u;
  u.ec2_seconds = 10;
  u.ec2_instance_type = "m7.huge";
  CHECK_THROWS_AS(cost::cost_of(u, aws_book()), std::invalid_argument);
}

TEST_CASE("cost: accounting names parse and print") {
  CHECK(cost::parse_accounting("paper") == cost::Accounting::kPaper);
  CHECK(std::string(cost::to_string(cost::Accounting::kExact)) == "exact");
  CHECK_THROWS_AS(cost::parse_accounting("approximate"), std::invalid_argument);
}

TEST_CASE("cost: usages add and scale count by count") {
  cost::Usage a, b;
  a.workers = 8;
  a.memory_mb = 1000;
  a.function_seconds = 2.5;
  a.worker_seconds = {1.0, 1.5};
  a.s3_puts = 7;
  a.sqs_receives = 3;
  b.workers = 4;
  b.memory_mb = 2000;
  b.function_seconds = 1;
  b.worker_seconds = {1.0};
  b.s3_puts = 5;
  b.ec2_seconds = 10;
  b.ec2_instance_type = "c5.xlarge";
  const cost::Usage s = a + b;
  CHECK(s.workers == 8);
  CHECK(s.memory_mb == 2000);
  CHECK(s.function_seconds == 3.5);
  CHECK(s.worker_seconds == std::vector<double>{1.0, 1.5, 1.0});
  CHECK(s.s3_puts == 12);
  CHECK(s.sqs_receives == 3);
  CHECK(s.ec2_instance_type == "c5.xlarge");
  const cost::Usage t = cost::scaled(a, 1000);
  CHECK(t.s3_puts == 7000);
  CHECK(t.function_seconds == 2500);
  CHECK(t.worker_seconds.empty());
  cost::Usage c = b;
  c.ec2_instance_type = "c5.9xlarge";
  CHECK_THROWS_AS(b + c, std::invalid_argument);
}
