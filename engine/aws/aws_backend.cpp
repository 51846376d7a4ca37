#include "engine/aws/aws_backend.hpp"

namespace engine::aws {

AwsBackend::AwsBackend(Credentials credentials, AwsSettings settings, AwsBackendOptions options)
    : credentials_(std::make_shared<const Credentials>(std::move(credentials))),
      settings_(std::move(settings)),
      options_(options),
      http_(std::make_shared<HttpClient>(options.connect_timeout_s)),
      counter_(std::make_shared<RequestCounter>()) {
  sns_ = std::make_unique<SnsClient>(make("sns"));
  sqs_ = std::make_unique<SqsClient>(make("sqs"));
  s3_ = std::make_unique<S3Client>(make("s3"), /*path_style=*/settings_.custom_endpoints);
  lambda_ = std::make_unique<LambdaClient>(make("lambda"));
}

Result<std::unique_ptr<AwsBackend>> AwsBackend::from_environment(const Environment& env, AwsBackendOptions options) {
  auto credentials = load_credentials(env);
  if (!credentials) return credentials.error();
  return std::make_unique<AwsBackend>(std::move(*credentials), load_settings(env), options);
}

std::shared_ptr<ServiceClient> AwsBackend::make(const std::string& service) {
  return std::make_shared<ServiceClient>(
      http_, credentials_, ServiceConfig{service, settings_.region, settings_.endpoint(service), options_.retry},
      counter_);
}

cloud::Services AwsBackend::services(cloud::Runtime* runtime) {
  return cloud::Services{sns_.get(), sqs_.get(), s3_.get(), lambda_.get(), runtime};
}

}  // namespace engine::aws
