// Credentials and endpoint settings of the AWS backend, read from the environment the way the AWS
// CLI and SDKs read them:
// - AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the shared credentials file
//   (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) under profile AWS_PROFILE (default
//   "default");
// - region: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1;
// - endpoint of a service: AWS_ENDPOINT_URL_<SERVICE> (SNS, SQS, S3, LAMBDA), else AWS_ENDPOINT_URL,
//   else https://<service>.<region>.amazonaws.com.
// Secrets never leave this type except into a signature: Credentials has no printer, and
// describe() shows only the key id's last 4 characters. Values, no shared state: thread-safe.
#pragma once

#include <map>
#include <string>

#include "engine/common/result.hpp"

namespace engine::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;     // "" for long-term keys
  std::string source;            // "environment" or "<file> [profile]" (no secret in it)
  std::string describe() const;  // "key ...ABCD from <source>" for logs
};

// Where a variable comes from; tests pass a map instead of the process environment.
using Environment = std::map<std::string, std::string>;
Environment process_environment();

// Reads credentials from env, then the shared file. kInvalidInput if neither has them or the file
// is malformed (the message names the file and line, never a value).
Result<Credentials> load_credentials(const Environment& env);

struct AwsSettings {
  std::string region = "us-east-1";
  std::map<std::string, std::string> endpoints;  // lower-case service name → "scheme://host[:port]"
  bool custom_endpoints = false;                 // any endpoint came from AWS_ENDPOINT_URL*: S3 uses path-style
  std::string endpoint(const std::string& service) const;  // falls back to the public AWS endpoint
};
AwsSettings load_settings(const Environment& env);

}  // namespace engine::aws
