// Bad responses, each with a clear outcome: a loopback FaultServer answers with scripted faults
// (the emulator will not produce them on demand). Retries use 1 ms backoff to keep tests fast.
#include <doctest/doctest.h>

#include "emulator.hpp"
#include "fault_server.hpp"

using namespace engine;
using namespace engine::cloud;
using aws_test::FaultServer;
using aws_test::ScriptedResponse;

namespace {

std::unique_ptr<aws::AwsBackend> backend_for(const FaultServer& server, int max_attempts = 4) {
  aws::AwsBackendOptions options;
  options.retry = {max_attempts, 0.001, 0.002};
  return aws_test::make_backend(server.endpoint(), options);
}

void check_no_secret(const Error& e) {
  CHECK(e.message().find(aws_test::kTestSecret) == std::string::npos);
  CHECK(e.message().find(aws_test::kTestToken) == std::string::npos);
}

const ScriptedResponse kS3Internal{
    500, {}, "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"};

}  // namespace

TEST_CASE("aws: fault http 500 is retried for idempotent requests, then reported") {
  FaultServer server;
  for (int i = 0; i < 4; ++i) server.push(kS3Internal);
  auto backend = backend_for(server);
  auto r = backend->s3().get("bucket", "key");
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK(r.error().retryable());
  CHECK(r.error().where == "s3:GetObject");
  CHECK(r.error().what.find("InternalError") != std::string::npos);
  CHECK(r.error().what.find("after 4 attempts") != std::string::npos);
  CHECK(server.seen().size() == 4);
  auto tally = backend->counter().snapshot().at("s3:GetObject");
  CHECK(tally == aws::RequestTally{4, 4, 3});
  check_no_secret(r.error());
}

TEST_CASE("aws: fault http 503 SlowDown then success: the retry succeeds") {
  FaultServer server;
  server.push({503, {}, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"});
  server.push({200, {}, "payload-bytes"});
  auto backend = backend_for(server);
  auto r = backend->s3().get("bucket", "key");
  REQUIRE(r.has_value());
  CHECK(*r == "payload-bytes");
  CHECK(server.seen().size() == 2);
  CHECK(backend->counter().snapshot().at("s3:GetObject") == aws::RequestTally{2, 1, 1});
}

TEST_CASE("aws: fault a non-idempotent invoke is not repeated on 500 but is on throttling") {
  FaultServer server;
  server.push({500, {{"x-amzn-ErrorType", "ServiceException"}}, R"({"Type":"Service","message":"boom"})"});
  auto backend = backend_for(server);
  auto r = backend->lambda().invoke("worker", "{}", InvocationType::kEvent);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK(r.error().what.find("ServiceException") != std::string::npos);
  CHECK(server.seen().size() == 1);  // a repeat could start a second worker

  server.push({429,
               {{"x-amzn-ErrorType", "TooManyRequestsException"}},
               R"({"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","message":"Rate exceeded"})"});
  server.push({202, {}, ""});
  auto ok = backend->lambda().invoke("worker", R"({"worker":3})", InvocationType::kEvent);
  REQUIRE_MESSAGE(ok.has_value(), (ok ? "" : ok.error().message()));
  CHECK(ok->empty());
  auto seen = server.seen();
  REQUIRE(seen.size() == 3);
  CHECK(seen[2].head.find("POST /2015-03-31/functions/worker/invocations") == 0);
  CHECK(seen[2].head.find("X-Amz-Invocation-Type: Event") != std::string::npos);
  CHECK(seen[2].body == R"({"worker":3})");
}

TEST_CASE("aws: fault 4xx client errors are not retried and name the AWS code") {
  FaultServer server;
  server.push({400,
               {{"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"}},
               R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})"});
  server.push(
      {400,
       {},
       R"({"__type":"com.amazon.coral.validate#ValidationException","message":"Value 99 for MaxNumberOfMessages is invalid"})"});
  auto backend = backend_for(server);
  auto missing = backend->sqs().get_attributes("http://q/000000000000/gone");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kNotFound);
  CHECK(missing.error().what.find("QueueDoesNotExist: The specified queue does not exist.") == 0);
  auto invalid = backend->sqs().receive("http://q/000000000000/q", {});
  REQUIRE_FALSE(invalid.has_value());
  CHECK(invalid.error().code == ErrorCode::kInvalidInput);
  CHECK_FALSE(invalid.error().retryable());
  CHECK(invalid.error().what.find("ValidationException") == 0);
  CHECK(server.seen().size() == 2);
}

TEST_CASE("aws: fault malformed XML and JSON bodies are kInternal, never a crash") {
  FaultServer server;
  auto backend = backend_for(server);
  server.push({200, {}, "<CreateTopicResponse><CreateTopicResult><TopicArn>arn:x"});
  auto topic = backend->sns().create_topic("t");
  REQUIRE_FALSE(topic.has_value());
  CHECK(topic.error().code == ErrorCode::kInternal);
  CHECK(topic.error().what.find("malformed response: XML") == 0);

  server.push({200, {}, "<SomethingElse/>"});
  auto other = backend->sns().create_topic("t");
  REQUIRE_FALSE(other.has_value());
  CHECK(other.error().what == "malformed response: no <CreateTopicResponse>");

  server.push({200, {}, "{\"Messages\": [ {\"Body\": \"x\""});
  auto truncated = backend->sqs().receive("http://q/0/q", {});
  REQUIRE_FALSE(truncated.has_value());
  CHECK(truncated.error().code == ErrorCode::kInternal);

  server.push({200, {}, R"({"Messages": {"Body": "not a list"}})"});
  auto wrong_type = backend->sqs().receive("http://q/0/q", {});
  REQUIRE_FALSE(wrong_type.has_value());
  CHECK(wrong_type.error().what == "malformed response: Messages is not a list");

  server.push({200,
               {},
               "<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a</Key><Size>1</Size></Contents></"
               "ListBucketResult>"});
  auto page = backend->s3().list("b", "");
  REQUIRE_FALSE(page.has_value());
  CHECK(page.error().what == "malformed response: IsTruncated without NextContinuationToken");

  server.push({500, {}, "<Error><Code>Internal"});  // a malformed error body still gives an error
  auto bad_error = backend_for(server, 1)->s3().get("b", "k");
  REQUIRE_FALSE(bad_error.has_value());
  CHECK(bad_error.error().code == ErrorCode::kUnavailable);
  CHECK(bad_error.error().what.find("MalformedErrorResponse") == 0);
}

TEST_CASE("aws: fault a message body that fails its MD5 check is rejected") {
  FaultServer server;
  auto backend = backend_for(server);
  // MD5OfBody of "hello" is 5d41402abc4b2a76b9719d911017c592; the body was altered in transit.
  server.push(
      {200,
       {},
       R"({"Messages":[{"MessageId":"m1","ReceiptHandle":"r1","MD5OfBody":"5d41402abc4b2a76b9719d911017c592","Body":"hellO"}]})"});
  auto r = backend->sqs().receive("http://q/0/q", {});
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInternal);
  CHECK(r.error().what == "message m1: body does not match MD5OfBody");
  server.push(
      {200,
       {},
       R"({"Messages":[{"MessageId":"m1","ReceiptHandle":"r1","MD5OfBody":"5d41402abc4b2a76b9719d911017c592","Body":"hello","Attributes":{"ApproximateReceiveCount":"3"}}]})"});
  auto ok = backend->sqs().receive("http://q/0/q", {});
  REQUIRE(ok.has_value());
  REQUIRE(ok->size() == 1);
  CHECK((*ok)[0].receive_count == 3);
}

TEST_CASE("aws: fault a batch with failed entries re-sends only those, and fails on sender faults") {
  FaultServer server;
  auto backend = backend_for(server);
  server.push(
      {200,
       {},
       R"({"Successful":[{"Id":"0"},{"Id":"2"}],"Failed":[{"Id":"1","Code":"InternalError","SenderFault":false}]})"});
  server.push({200, {}, R"({"Successful":[{"Id":"1"}]})"});
  std::vector<OutgoingMessage> batch = {{"a", {}}, {"b", {}}, {"c", {}}};
  REQUIRE(backend->sqs().send_batch("http://q/0/q", batch).has_value());
  auto seen = server.seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].body.find("\"MessageBody\":\"b\"") != std::string::npos);
  CHECK(seen[1].body.find("\"MessageBody\":\"a\"") == std::string::npos);

  server.push({200,
               {},
               "<PublishBatchResponse><PublishBatchResult><Successful/><Failed><member><Id>0</"
               "Id><Code>InvalidParameter</Code><Message>bad "
               "attribute</Message><SenderFault>true</SenderFault></member></Failed></PublishBatchResult></"
               "PublishBatchResponse>"});
  auto r = backend->sns().publish_batch("arn:aws:sns:us-east-1:0:t", std::span<const OutgoingMessage>(batch.data(), 1));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInvalidInput);
  CHECK(r.error().what == "entry 0: InvalidParameter: bad attribute");
}

TEST_CASE("aws: fault a refused connection is retried even for invoke, then kUnavailable") {
  int port;
  {
    FaultServer closed;  // take a free port, then close it
    port = std::stoi(closed.endpoint().substr(closed.endpoint().rfind(':') + 1));
  }
  aws::AwsBackendOptions options;
  options.retry = {3, 0.001, 0.002};
  auto backend = aws_test::make_backend("http://127.0.0.1:" + std::to_string(port), options);
  auto r = backend->lambda().invoke("f", "{}", InvocationType::kRequestResponse);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kUnavailable);
  CHECK(r.error().what.find("transport: ") == 0);
  CHECK(backend->counter().sent("lambda:Invoke") == 3);
}

TEST_CASE("aws: fault a function error is kInternal with the handler's message") {
  FaultServer server;
  server.push(
      {200, {{"X-Amz-Function-Error", "Unhandled"}}, R"({"errorMessage":"layer 3: boom","errorType":"WorkerError"})"});
  server.push({200, {}, R"({"categories":[1,5]})"});
  auto backend = backend_for(server);
  auto r = backend->lambda().invoke("fsd-worker", "{}", InvocationType::kRequestResponse);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInternal);
  CHECK(r.error().what == "fsd-worker: WorkerError: layer 3: boom");
  auto ok = backend->lambda().invoke("fsd-worker", "{}", InvocationType::kRequestResponse);
  REQUIRE(ok.has_value());
  CHECK(*ok == R"({"categories":[1,5]})");
}

TEST_CASE("aws: secrets never appear in errors, even when a server echoes the request") {
  FaultServer server;
  auto backend = backend_for(server, 1);
  // A broken proxy that reflects the request head (with X-Amz-Security-Token) into its error.
  server.push({502, {}, "placeholder"});
  auto first = backend->s3().get("b", "k");
  REQUIRE_FALSE(first.has_value());
  std::string reflected = server.seen().at(0).head;
  REQUIRE(reflected.find(aws_test::kTestToken) != std::string::npos);  // the token is sent, as it must be
  CHECK(reflected.find(aws_test::kTestSecret) == std::string::npos);   // the secret never is
  server.push(
      {400,
       {},
       "<Error><Code>Echo</Code><Message>" + reflected + " secret=" + aws_test::kTestSecret + "</Message></Error>"});
  auto echoed = backend->s3().get("b", "k");
  REQUIRE_FALSE(echoed.has_value());
  CHECK(echoed.error().what.find("Echo: ") == 0);
  check_no_secret(echoed.error());
  CHECK(echoed.error().what.find("<redacted>") != std::string::npos);
  // The credentials' own description shows neither.
  const auto& creds = backend->credentials();
  CHECK(creds.describe().find(aws_test::kTestSecret) == std::string::npos);
  CHECK(creds.describe().find(aws_test::kTestToken) == std::string::npos);
  CHECK(creds.describe() == "key ...ATOR (session) from environment");
}
