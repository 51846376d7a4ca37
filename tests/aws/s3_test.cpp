// S3Client against the fauxqs emulator: the object channel's operations.
#include <doctest/doctest.h>

#include <algorithm>

#include "emulator.hpp"

using namespace engine;
using namespace engine::cloud;

TEST_CASE("aws: s3 put, get, list with continuation, delete") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& s3 = backend->s3();
  const std::string bucket = aws_test::unique_name("bkt");
  REQUIRE(s3.create_bucket(bucket).has_value());
  REQUIRE(s3.create_bucket(bucket).has_value());  // again: already ours, not an error

  // Binary payload with every byte value, and keys that need encoding.
  std::string payload;
  for (int i = 0; i < 256 * 4; ++i) payload += static_cast<char>(i & 255);
  std::vector<std::string> keys;
  for (int i = 0; i < 7; ++i) keys.push_back("run 1/layer-" + std::to_string(i) + "/from+0 to=1&x");
  for (const auto& k : keys) REQUIRE(s3.put(bucket, k, payload + k).has_value());
  REQUIRE(s3.put(bucket, "other/empty", "").has_value());

  for (const auto& k : keys) {
    auto g = s3.get(bucket, k);
    REQUIRE_MESSAGE(g.has_value(), (g ? "" : g.error().message()));
    CHECK(*g == payload + k);
  }
  auto empty = s3.get(bucket, "other/empty");
  REQUIRE(empty.has_value());
  CHECK(empty->empty());

  // Pages of 3 under the prefix: 3 + 3 + 1, lexicographic, with sizes.
  std::vector<std::string> listed;
  std::string token;
  int pages = 0;
  do {
    auto page = s3.list(bucket, "run 1/", token, 3);
    REQUIRE_MESSAGE(page.has_value(), (page ? "" : page.error().message()));
    CHECK(page->keys.size() <= 3);
    for (std::size_t i = 0; i < page->keys.size(); ++i) {
      listed.push_back(page->keys[i]);
      CHECK(page->sizes[i] == static_cast<std::int64_t>(payload.size() + page->keys[i].size()));
    }
    token = page->next_token;
    ++pages;
  } while (!token.empty() && pages < 10);
  CHECK(pages == 3);
  auto sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  CHECK(listed == sorted);

  keys.push_back("never/was/there");
  REQUIRE(s3.delete_objects(bucket, keys).has_value());
  auto after = s3.list(bucket, "run 1/");
  REQUIRE(after.has_value());
  CHECK(after->keys.empty());
  auto other = s3.list(bucket, "");
  REQUIRE(other.has_value());
  CHECK(other->keys == std::vector<std::string>{"other/empty"});
}

TEST_CASE("aws: s3 missing object and bucket are kNotFound with the AWS code") {
  AWS_REQUIRE_EMULATOR(endpoint);
  auto backend = aws_test::make_backend(endpoint);
  auto& s3 = backend->s3();
  const std::string bucket = aws_test::unique_name("bkt");
  REQUIRE(s3.create_bucket(bucket).has_value());
  auto g = s3.get(bucket, "nope");
  REQUIRE_FALSE(g.has_value());
  CHECK(g.error().code == ErrorCode::kNotFound);
  CHECK(g.error().what.find("NoSuchKey") != std::string::npos);
  auto nb = s3.get(aws_test::unique_name("nobucket"), "k");
  REQUIRE_FALSE(nb.has_value());
  CHECK(nb.error().code == ErrorCode::kNotFound);
  // Not retried: a 404 is the caller's answer, one request each.
  CHECK(backend->counter().sent("s3:GetObject") == 2);
}
