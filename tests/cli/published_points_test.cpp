// The published FSD-Inference table fsd validate reads (cli/validate/published_points.hpp) and the
// comparison of a point with a run record (cli/validate/comparison.hpp). Reference numbers are
// typed from issue 6's text (the four targets) and the paper's memory sizes, not read through the
// code under test.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>

#include "cli/validate/comparison.hpp"
#include "cli/validate/published_points.hpp"
#include "engine/common/input_error.hpp"

using cli::validate::PublishedPoint;

namespace {

const PublishedPoint& find(const std::vector<PublishedPoint>& points, const std::string& name) {
  const auto it = std::find_if(points.begin(), points.end(), [&](const PublishedPoint& p) { return p.name == name; });
  REQUIRE_MESSAGE(it != points.end(), name);
  return *it;
}

double count(const PublishedPoint& p, const std::string& quantity) {
  for (const auto& c : p.counts)
    if (c.quantity == quantity) return c.measured;
  FAIL("no count " << quantity << " in " << p.name);
  return 0;
}

const std::string kHeader =
    "name,variant,neurons,workers,bfr,levels,memory_mb,batch_time_s,publish_calls,messages,polls,bytes_sent,"
    "put,get,list,bytes_written,communication_s,computation_s,compression_s,target\n";
const std::string kQueueRow = "q8,queue,1024,8,8,1,1000,63.5,1102,6774,4318,104131260,,,,,60.5,2.8,1.9,yes\n";
const std::string kObjectRow = "o20,object,4096,20,4,2,1500,75.3,,,,,43145,43131,4509,1058971650,69.3,5.9,11.5,no\n";

// The message of the InputError that parsing `text` throws ("" if none).
std::string parse_error(const std::string& text) {
  try {
    cli::validate::parse_published_points(text, "t.csv");
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("published table: 35 points, the issue's four targets with the issue's numbers") {
  const auto points = cli::validate::read_published_points(cli::validate::published_points_path());
  CHECK(points.size() == 35);  // 15 queue (16 runs, c16 is #N/A) + 20 object (RANDOM left out)
  CHECK(std::count_if(points.begin(), points.end(), [](const PublishedPoint& p) { return p.variant == "queue"; }) == 15);
  std::vector<std::string> targets;
  for (const auto& p : points)
    if (p.target) targets.push_back(p.name);
  CHECK(targets == std::vector<std::string>{"c1_1024n_8w_10000bs_SQS", "c3_1024n_20w_10000bs_SQS",
                                            "c1_1024n_8w_10000bs_S3", "c3_1024n_20w_10000bs_S3"});
  // issue 6: queue P=8 63.5 s, 1102 publish calls, 6774 messages, 104,131,260 bytes, 4318 polls ...
  const auto& q8 = find(points, "c1_1024n_8w_10000bs_SQS");
  CHECK(q8.batch_time_s == doctest::Approx(63.5).epsilon(0.001));
  CHECK(q8.workers == 8);
  CHECK(q8.bfr == 8);
  CHECK(count(q8, "publish calls") == 1102);
  CHECK(count(q8, "messages") == 6774);
  CHECK(count(q8, "polls") == 4318);
  CHECK(count(q8, "bytes") == 104131260);
  const auto& q20 = find(points, "c3_1024n_20w_10000bs_SQS");
  CHECK(q20.batch_time_s == doctest::Approx(93.6).epsilon(0.001));
  CHECK((q20.bfr == 4 && q20.levels == 2));
  CHECK(count(q20, "publish calls") == 4866);
  CHECK(count(q20, "messages") == 44257);
  CHECK(count(q20, "polls") == 16676);
  CHECK(count(q20, "bytes") == 294023520);
  const auto& o8 = find(points, "c1_1024n_8w_10000bs_S3");
  CHECK(o8.batch_time_s == doctest::Approx(58.2).epsilon(0.001));
  CHECK(count(o8, "PUT") == 6452);
  CHECK(count(o8, "GET") == 6450);
  CHECK(count(o8, "LIST") == 1615);
  CHECK(count(o8, "bytes written") == 240694300);
  const auto& o20 = find(points, "c3_1024n_20w_10000bs_S3");
  CHECK(o20.batch_time_s == doctest::Approx(67.9).epsilon(0.001));
  CHECK(count(o20, "PUT") == 43790);
  CHECK(count(o20, "GET") == 43785);
  CHECK(count(o20, "LIST") == 4403);
  CHECK(count(o20, "bytes written") == 449245400);
}

TEST_CASE("published table: every point's memory is the paper's for its size, queue points count queue requests") {
  const std::map<int, int> memory_mb{{1024, 1000}, {4096, 1500}, {16384, 2000}, {65536, 4000}};
  const auto points = cli::validate::read_published_points(cli::validate::published_points_path());
  std::map<int, int> per_size;
  for (const auto& p : points) {
    CAPTURE(p.name);
    REQUIRE(memory_mb.count(p.neurons));
    CHECK(p.memory_mb == memory_mb.at(p.neurons));
    ++per_size[p.neurons];
    CHECK(p.counts.size() == 4);
    CHECK(p.counts.front().quantity == (p.variant == "queue" ? "publish calls" : "PUT"));
    // The sheets' phase times are parts of the batch time (communication overlaps the rest).
    CHECK(p.communication_s < p.batch_time_s);
    CHECK(p.computation_s < p.batch_time_s);
  }
  CHECK(per_size == std::map<int, int>{{1024, 9}, {4096, 9}, {16384, 9}, {65536, 8}});
  // The largest run: object P = 84 (bfr 4, 3 levels), 19551.53 s over 84 workers.
  const auto& o84 = find(points, "c20_65536n_84w_10000bs_S3");
  CHECK((o84.bfr == 4 && o84.levels == 3));
  CHECK(o84.batch_time_s == doctest::Approx(19551.53 / 84));
}

TEST_CASE("published table: a well-formed table parses, comments and blank lines skipped") {
  const auto points = cli::validate::parse_published_points("# a comment, with commas\n\n" + kHeader + kQueueRow +
                                                                "# between\n" + kObjectRow,
                                                            "t.csv");
  REQUIRE(points.size() == 2);
  CHECK(points[0].line == 4);
  CHECK(points[1].line == 6);
  CHECK(points[1].variant == "object");
  CHECK(points[1].counts.size() == 4);
  CHECK(count(points[1], "LIST") == 4509);
  CHECK_FALSE(points[1].target);
}

TEST_CASE("compare: mean worker time against the per-worker time, targets only on target points") {
  PublishedPoint p = cli::validate::parse_published_points(kHeader + kQueueRow, "t.csv").front();
  engine::RunRecord r;
  r.worker_records = {{0, 1.0, 61.0, 0}, {1, 2.0, 82.0, 0}};  // 60 s and 80 s: mean 70 s
  r.usage.sns_publish_requests = 1102 * 12 / 10;               // +20%
  r.usage.sns_messages = 6774;
  r.usage.sqs_receive_requests = 4318 * 91 / 100;  // −9%: within the 10% target
  r.usage.sns_payload_bytes = 104131260 * 2;     // bytes: information even on a target point
  const auto rows = cli::validate::compare(p, r);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0].quantity == "batch time s");
  CHECK(rows[0].simulated == doctest::Approx(70.0));
  CHECK(rows[0].error == doctest::Approx(70.0 / 63.5 - 1));
  CHECK(rows[0].ok);  // +10.2% within 15%
  CHECK(rows[1].quantity == "publish calls");
  CHECK_FALSE(rows[1].ok);
  CHECK(rows[2].ok);
  CHECK(rows[3].error == doctest::Approx(3929.0 / 4318 - 1));
  CHECK(rows[3].ok);
  CHECK(rows[4].tolerance == 0);
  CHECK(rows[4].ok);
  p.target = false;  // the same numbers on an out-of-sample point: information only
  for (const auto& row : cli::validate::compare(p, r)) {
    CHECK(row.tolerance == 0);
    CHECK(row.ok);
  }
}

TEST_CASE("published table: malformed rows name the file, the line and the problem") {
  CHECK(parse_error(kHeader + "q8,queue,1024,8,8,1,1000,63.5,1102,6774\n") == "t.csv:2: expected 20 fields, got 10");
  CHECK(parse_error(kHeader + "q8,sqs,1024,8,8,1,1000,63.5,1102,6774,4318,1,,,,,1,1,1,yes\n") ==
        "t.csv:2: variant: expected queue or object, got 'sqs'");
  CHECK(parse_error(kHeader + "q8,queue,1024,20,8,1,1000,63.5,1102,6774,4318,1,,,,,1,1,1,yes\n") ==
        "t.csv:2: workers: 20 is not the launch tree's sum of bfr^l (bfr 8, levels 1)");
  CHECK(parse_error(kHeader + "q8,queue,1024,8,8,1,1000,63.5,1102,6774,4318,1,5,,,,1,1,1,yes\n") ==
        "t.csv:2: put: must be empty for a queue point, got '5'");
  CHECK(parse_error(kHeader + "q8,queue,1024,8,8,1,1000,63.5,1102,,4318,1,,,,,1,1,1,yes\n") ==
        "t.csv:2: messages: expected a count (a whole number >= 0), got ''");
  CHECK(parse_error(kHeader + "q8,queue,1024,8,8,1,1000,63.5s,1102,6774,4318,1,,,,,1,1,1,yes\n") ==
        "t.csv:2: batch_time_s: expected a non-negative number, got '63.5s'");
  CHECK(parse_error(kHeader + "q8,queue,1024,8,8,1,1000,0,1102,6774,4318,1,,,,,1,1,1,yes\n") ==
        "t.csv:2: batch_time_s: must be positive");
  CHECK(parse_error(kHeader + "q8,queue,1024,8,8,1,1000,63.5,1102,6774,4318,1,,,,,1,1,1,maybe\n") ==
        "t.csv:2: target: expected yes or no, got 'maybe'");
  CHECK(parse_error(kHeader + "../x,queue,1024,8,8,1,1000,63.5,1102,6774,4318,1,,,,,1,1,1,yes\n") ==
        "t.csv:2: name: expected letters, digits, '_', '-' or '.' (not first), got '../x'");
  CHECK(parse_error(kHeader + kQueueRow + kQueueRow) == "t.csv:3: name: 'q8' appears twice");
  CHECK(parse_error(kHeader + "\"q8\",queue\n") == "t.csv:2: quotes are not used in this table (no cell holds a comma)");
  CHECK(parse_error("name,variant\n") == "t.csv:1: missing column 'publish_calls'");
  CHECK(parse_error(kHeader.substr(0, kHeader.size() - 1) + ",extra\n" + kQueueRow) == "t.csv:1: unknown column 'extra'");
  CHECK(parse_error("# only a comment\n") == "t.csv: no header line");
  CHECK(parse_error(kHeader) == "t.csv: no points");
}
