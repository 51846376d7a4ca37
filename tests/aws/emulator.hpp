// Test helpers for the aws suite: the emulator endpoint (AWS_TEST_ENDPOINT, set by
// scripts/with-emulator.sh) and a backend pointed at it, plus run-unique resource names so test
// processes running in parallel against one emulator never share a queue, topic or bucket.
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "engine/aws/aws_backend.hpp"

namespace aws_test {

inline std::optional<std::string> emulator_endpoint() {
  const char* e = std::getenv("AWS_TEST_ENDPOINT");
  if (!e || !*e) return std::nullopt;
  return std::string(e);
}

// Skips the calling test (with a message) when no emulator runs.
#define AWS_REQUIRE_EMULATOR(endpoint_var)                                                   \
  auto endpoint_var##_opt = aws_test::emulator_endpoint();                                   \
  if (!endpoint_var##_opt) {                                                                 \
    MESSAGE("skipped: AWS_TEST_ENDPOINT is not set (run through scripts/with-emulator.sh)"); \
    return;                                                                                  \
  }                                                                                          \
  const std::string endpoint_var = *endpoint_var##_opt

inline const char* kTestSecret = "EMULATOR/secret+KEY-that-must-never-be-printed-9f3a";
inline const char* kTestToken = "EMULATOR-session-token-that-must-never-be-printed-77c1";

inline engine::aws::Environment test_env(const std::string& endpoint) {
  return {{"AWS_ENDPOINT_URL", endpoint},
          {"AWS_REGION", "us-east-1"},
          {"AWS_ACCESS_KEY_ID", "AKIDTESTEMULATOR"},
          {"AWS_SECRET_ACCESS_KEY", kTestSecret},
          {"AWS_SESSION_TOKEN", kTestToken}};
}

inline std::unique_ptr<engine::aws::AwsBackend> make_backend(const std::string& endpoint,
                                                             engine::aws::AwsBackendOptions options = {}) {
  auto b = engine::aws::AwsBackend::from_environment(test_env(endpoint), options);
  REQUIRE(b.has_value());
  return std::move(*b);
}

// "fsdt-<pid>-<n>-<what>": unique per process and call.
inline std::string unique_name(const std::string& what) {
  static std::atomic<int> n{0};
  return "fsdt-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + "-" + what;
}

}  // namespace aws_test
