// deploy/template.yaml, read (no AWS account here, and fauxqs checks no IAM): the worker role and
// the coordinator policy grant exactly what the code calls, scoped to what the code names —
// the report keys ObjectStoreReports writes and the object channel's keys must fall under the
// resources granted for them, and nothing is granted on "*".
#include <doctest/doctest.h>
#include <fnmatch.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

#include "engine/worker/partition_blob.hpp"
#include "engine/worker/report_sink.hpp"

namespace {

struct Statement {
  std::string sid;
  std::set<std::string> actions;
  std::string resource;  // the Fn::Sub text or a GetAtt marker
};

std::vector<Statement> statements(const YAML::Node& document) {
  std::vector<Statement> out;
  for (const auto& s : document["Statement"]) {
    Statement st;
    st.sid = s["Sid"].as<std::string>();
    if (s["Action"].IsSequence())
      for (const auto& a : s["Action"]) st.actions.insert(a.as<std::string>());
    else
      st.actions.insert(s["Action"].as<std::string>());
    const auto r = s["Resource"];
    st.resource = r.IsMap() && r["Fn::Sub"] ? r["Fn::Sub"].as<std::string>() : "GetAtt";
    out.push_back(st);
  }
  return out;
}

// The object-key part of an S3 resource ARN "arn:...:s3:::${RunBucket}/<pattern>".
std::string key_pattern(const std::string& resource) {
  const std::string bucket = "${RunBucket}/";
  const auto at = resource.find(bucket);
  REQUIRE(at != std::string::npos);
  return resource.substr(at + bucket.size());
}

bool matches(const std::string& pattern, const std::string& key) {
  return ::fnmatch(pattern.c_str(), key.c_str(), 0) == 0;  // IAM's '*' also spans '/'
}

}  // namespace

TEST_CASE("aws: the IAM template grants workers and coordinator only what the code uses") {
  const YAML::Node t = YAML::LoadFile(FSD_SOURCE_DIR "/deploy/template.yaml");
  const auto worker = statements(t["Resources"]["WorkerRole"]["Properties"]["Policies"][0]["PolicyDocument"]);
  const auto coordinator = statements(t["Resources"]["CoordinatorPolicy"]["Properties"]["PolicyDocument"]);

  std::set<std::string> worker_actions;
  for (const auto& s : worker) {
    CAPTURE(s.sid);
    worker_actions.insert(s.actions.begin(), s.actions.end());
    CHECK(s.resource.find(":*\"") == std::string::npos);
    CHECK(s.resource != "*");
  }
  const std::set<std::string> want_worker{"logs:CreateLogStream", "logs:PutLogEvents", "sns:Publish",
                                          "sqs:ReceiveMessage",   "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                                          "sqs:GetQueueUrl",      "s3:PutObject",      "s3:GetObject",
                                          "s3:DeleteObject",      "s3:ListBucket",     "lambda:InvokeFunction"};
  CHECK(worker_actions == want_worker);

  // The report: put (and deleted by a cancelled worker), never read, exactly where
  // ObjectStoreReports writes it; the run's control objects: read only.
  const engine::ObjectStoreReports reports({}, {"bucket", "runs/run-7/reports"}, {});
  const std::string report_key = reports.key_of(5);
  const std::string channel_key = "runs/run-7/L000003/T000001/S000002";  // object_channel.hpp's layout
  int report_grants = 0, channel_grants = 0, control_grants = 0;
  for (const auto& s : worker) {
    if (s.resource.find(":s3:::${RunBucket}/") == std::string::npos) continue;
    CAPTURE(s.sid);
    const std::string pattern = key_pattern(s.resource);
    if (matches(pattern, report_key)) {
      ++report_grants;
      CHECK(s.actions == std::set<std::string>{"s3:PutObject", "s3:DeleteObject"});  // never reads reports
    }
    for (const std::string& key : {engine::partition_key("run-7"), engine::alive_key("run-7")})
      if (matches(pattern, key)) {
        ++control_grants;
        CHECK(s.actions == std::set<std::string>{"s3:GetObject"});
      }
    if (matches(pattern, channel_key)) {
      ++channel_grants;
      CHECK(s.actions == std::set<std::string>{"s3:PutObject", "s3:GetObject", "s3:DeleteObject"});
    }
  }
  CHECK(report_grants == 1);
  CHECK(channel_grants == 1);
  CHECK(control_grants == 2);

  // Invoking: the worker only its own function (its launch-tree children).
  for (const auto& s : worker)
    if (s.actions.count("lambda:InvokeFunction"))
      CHECK(s.resource.find(":function:${FunctionName}") != std::string::npos);

  // The coordinator never moves rows (workers do) but provisions, invokes and reads reports.
  std::set<std::string> coordinator_actions;
  for (const auto& s : coordinator) coordinator_actions.insert(s.actions.begin(), s.actions.end());
  for (const char* never : {"sns:Publish", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"}) {
    CAPTURE(never);
    CHECK(coordinator_actions.count(never) == 0);
  }
  // It puts only the run's control objects (partition, alive marker), never a channel key.
  for (const auto& s : coordinator) {
    if (!s.actions.count("s3:PutObject")) continue;
    CAPTURE(s.sid);
    CHECK(s.actions == std::set<std::string>{"s3:PutObject"});
    const std::string pattern = key_pattern(s.resource);
    CHECK(matches(pattern, engine::partition_key("run-7")));
    CHECK(matches(pattern, engine::alive_key("run-7")));
    CHECK_FALSE(matches(pattern, channel_key));
    CHECK_FALSE(matches(pattern, report_key));
  }
  for (const char* needs : {"sns:CreateTopic", "sns:Subscribe", "sns:Unsubscribe", "sns:DeleteTopic", "sqs:CreateQueue",
                            "sqs:SetQueueAttributes", "sqs:DeleteQueue", "s3:CreateBucket", "s3:ListBucket",
                            "s3:GetObject", "s3:DeleteObject", "lambda:InvokeFunction"}) {
    CAPTURE(needs);
    CHECK(coordinator_actions.count(needs) == 1);
  }
}
