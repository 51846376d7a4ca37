// Credentials, region and endpoints from the environment and the shared credentials file.
#include "engine/aws/credentials.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

using namespace engine;
using namespace engine::aws;

namespace {

struct TempFile {
  std::filesystem::path path;
  explicit TempFile(const std::string& text) {
    path = std::filesystem::temp_directory_path() /
           ("fsd-creds-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    std::ofstream(path) << text;
  }
  ~TempFile() { std::filesystem::remove(path); }
};

}  // namespace

TEST_CASE("aws: credentials from the environment take precedence over the file") {
  TempFile file("[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = filesecret\n");
  auto c = load_credentials({{"AWS_ACCESS_KEY_ID", "ENVKEY1234"},
                             {"AWS_SECRET_ACCESS_KEY", "envsecret"},
                             {"AWS_SESSION_TOKEN", "tok"},
                             {"AWS_SHARED_CREDENTIALS_FILE", file.path.string()}});
  REQUIRE(c.has_value());
  CHECK(c->access_key_id == "ENVKEY1234");
  CHECK(c->secret_access_key == "envsecret");
  CHECK(c->session_token == "tok");
  CHECK(c->source == "environment");
}

TEST_CASE("aws: credentials from the shared file under the chosen profile") {
  TempFile file(
      "# comment\n[default]\naws_access_key_id = DEFAULTKEY\naws_secret_access_key = defaultsecret\n\n"
      "[ci]\n; another comment\naws_access_key_id=CIKEY\naws_secret_access_key = ci/secret+x\naws_session_token = "
      "citoken\nregion = eu-west-1\n");
  auto d = load_credentials({{"AWS_SHARED_CREDENTIALS_FILE", file.path.string()}});
  REQUIRE(d.has_value());
  CHECK(d->access_key_id == "DEFAULTKEY");
  CHECK(d->session_token.empty());
  auto ci = load_credentials({{"AWS_SHARED_CREDENTIALS_FILE", file.path.string()}, {"AWS_PROFILE", "ci"}});
  REQUIRE(ci.has_value());
  CHECK(ci->access_key_id == "CIKEY");
  CHECK(ci->secret_access_key == "ci/secret+x");
  CHECK(ci->session_token == "citoken");
  CHECK(ci->source == file.path.string() + " [ci]");
  // HOME/.aws/credentials is the default location.
  auto home = std::filesystem::temp_directory_path() / ("fsd-home-" + std::to_string(::getpid()));
  std::filesystem::create_directories(home / ".aws");
  std::filesystem::copy_file(file.path, home / ".aws/credentials", std::filesystem::copy_options::overwrite_existing);
  auto h = load_credentials({{"HOME", home.string()}});
  std::filesystem::remove_all(home);
  REQUIRE(h.has_value());
  CHECK(h->access_key_id == "DEFAULTKEY");
}

TEST_CASE("aws: credentials errors name the file and line, never a value") {
  TempFile broken("[default]\naws_access_key_id = K\nthis line has no equals sign secretvalue\n");
  auto b = load_credentials({{"AWS_SHARED_CREDENTIALS_FILE", broken.path.string()}});
  REQUIRE_FALSE(b.has_value());
  CHECK(b.error().code == ErrorCode::kInvalidInput);
  CHECK(b.error().what == broken.path.string() + ":3: expected key = value");
  TempFile partial("[default]\naws_access_key_id = K\n");
  auto p = load_credentials({{"AWS_SHARED_CREDENTIALS_FILE", partial.path.string()}, {"AWS_PROFILE", "default"}});
  REQUIRE_FALSE(p.has_value());
  CHECK(p.error().what.find("[default] has no aws_access_key_id and aws_secret_access_key") != std::string::npos);
  auto none = load_credentials({{"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}});
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().what.find("/nonexistent/credentials") != std::string::npos);
  // Only a key id without its secret does not count as environment credentials.
  auto half = load_credentials({{"AWS_ACCESS_KEY_ID", "K"}, {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/c"}});
  CHECK_FALSE(half.has_value());
}

TEST_CASE("aws: region and per-service endpoints from the environment") {
  auto defaults = load_settings({});
  CHECK(defaults.region == "us-east-1");
  CHECK_FALSE(defaults.custom_endpoints);
  CHECK(defaults.endpoint("sqs") == "https://sqs.us-east-1.amazonaws.com");
  auto s = load_settings({{"AWS_DEFAULT_REGION", "eu-west-1"},
                          {"AWS_ENDPOINT_URL", "http://127.0.0.1:4566/"},
                          {"AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9001"}});
  CHECK(s.region == "eu-west-1");
  CHECK(s.custom_endpoints);
  CHECK(s.endpoint("sns") == "http://127.0.0.1:4566");
  CHECK(s.endpoint("s3") == "http://127.0.0.1:4566");
  CHECK(s.endpoint("lambda") == "http://127.0.0.1:9001");
  CHECK(load_settings({{"AWS_REGION", "ap-south-1"}, {"AWS_DEFAULT_REGION", "eu-west-1"}}).region == "ap-south-1");
}
