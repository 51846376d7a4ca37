// AwsBackend: the live cloud backend as one object: credentials, settings, one connection pool,
// one request counter and the four protocol clients (SNS, SQS, S3, Lambda) sharing them.
//
//   auto backend = engine::aws::AwsBackend::from_environment(engine::aws::process_environment());
//   if (!backend) { ... backend.error().message() ... }        // no credentials: kInvalidInput
//   engine::cloud::Services s = (*backend)->services(&runtime);  // non-owning, backend outlives it
//
// The counter sees every HTTP request the clients send (retries included), per "service:Operation".
// Thread-safe: the clients are; the backend itself is immutable after construction.
#pragma once

#include <memory>

#include "engine/aws/lambda_client.hpp"
#include "engine/aws/s3_client.hpp"
#include "engine/aws/sns_client.hpp"
#include "engine/aws/sqs_client.hpp"
#include "engine/cloud/services.hpp"

namespace engine::aws {

struct AwsBackendOptions {
  RetryPolicy retry;
  double connect_timeout_s = 5.0;
};

class AwsBackend {
 public:
  AwsBackend(Credentials credentials, AwsSettings settings, AwsBackendOptions options = {});
  static Result<std::unique_ptr<AwsBackend>> from_environment(const Environment& env, AwsBackendOptions options = {});

  SnsClient& sns() { return *sns_; }
  SqsClient& sqs() { return *sqs_; }
  S3Client& s3() { return *s3_; }
  LambdaClient& lambda() { return *lambda_; }
  RequestCounter& counter() { return *counter_; }
  const AwsSettings& settings() const { return settings_; }
  const Credentials& credentials() const { return *credentials_; }

  cloud::Services services(cloud::Runtime* runtime);

 private:
  std::shared_ptr<ServiceClient> make(const std::string& service);
  std::shared_ptr<const Credentials> credentials_;
  AwsSettings settings_;
  AwsBackendOptions options_;
  std::shared_ptr<HttpClient> http_;
  std::shared_ptr<RequestCounter> counter_;
  std::unique_ptr<SnsClient> sns_;
  std::unique_ptr<SqsClient> sqs_;
  std::unique_ptr<S3Client> s3_;
  std::unique_ptr<LambdaClient> lambda_;
};

}  // namespace engine::aws
