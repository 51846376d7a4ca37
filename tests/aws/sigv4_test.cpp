// SigV4 signing against AWS's published test suite (tests/aws/data/sigv4, see PROVENANCE.md):
// for every case, our canonical request, string to sign and Authorization header must equal the
// suite's .creq, .sts and .authz files byte for byte.
#include "engine/aws/sigv4.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace engine::aws;

namespace {

const fs::path kSuite = fs::path(FSD_SOURCE_DIR) / "tests/aws/data/sigv4";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), "cannot read " << p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct SuiteCase {
  std::string name;
  SigningRequest request;
  std::string amz_date;
  std::string body;
  bool token_in_request = false;
};

// Parses a .req file: request line, headers (a line starting with whitespace continues the
// previous header as another value), blank line, body.
SuiteCase parse_req(const fs::path& dir) {
  SuiteCase c;
  c.name = dir.filename().string();
  std::string text = slurp(dir / (c.name + ".req"));
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  auto sp1 = line.find(' ');
  auto sp2 = line.rfind(" HTTP/");
  c.request.method = line.substr(0, sp1);
  std::string target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  auto q = target.find('?');
  c.request.path = target.substr(0, q);
  c.request.query = q == std::string::npos ? "" : target.substr(q + 1);
  std::string last_name;
  while (std::getline(in, line)) {
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') {
      c.request.headers.emplace_back(last_name, line);
      continue;
    }
    auto colon = line.find(':');
    last_name = line.substr(0, colon);
    std::string value = line.substr(colon + 1);
    if (last_name == "X-Amz-Date") {
      c.amz_date = value;
      continue;  // sign() adds it
    }
    if (last_name == "X-Amz-Security-Token") {
      c.token_in_request = true;
      continue;  // sign() adds it from the credentials
    }
    c.request.headers.emplace_back(last_name, value);
  }
  std::stringstream rest;
  rest << in.rdbuf();
  c.body = rest.str();
  c.request.payload_sha256_hex = sha256_hex(c.body);
  return c;
}

const Credentials kCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "suite"};
const std::string kToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUu"
    "wthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQc"
    "HNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/o"
    "LxBA==";

std::vector<fs::path> case_dirs() {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::recursive_directory_iterator(kSuite)) {
    if (e.is_regular_file() && e.path().extension() == ".req") dirs.push_back(e.path().parent_path());
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

}  // namespace

TEST_CASE("aws: sigv4 passes every case of the AWS test suite") {
  auto dirs = case_dirs();
  REQUIRE(dirs.size() >= 30);  // 31 cases as published (2015 suite, get-space twice)
  for (const auto& dir : dirs) {
    SuiteCase c = parse_req(dir);
    CAPTURE(c.name);
    REQUIRE(c.amz_date == "20150830T123600Z");
    SigningScope scope{"us-east-1", "service", c.amz_date, /*s3_path_rules=*/false};
    Credentials creds = kCredentials;
    if (c.token_in_request) {
      creds.session_token = kToken;
      scope.sign_session_token = c.name == "post-sts-header-before";
    }
    // The suite's canonical request includes X-Amz-Date (and the token when signed).
    SigningRequest with_date = c.request;
    with_date.headers.emplace_back("X-Amz-Date", c.amz_date);
    if (c.token_in_request && scope.sign_session_token) with_date.headers.emplace_back("X-Amz-Security-Token", kToken);
    std::string creq = canonical_request(with_date, scope);
    CHECK(creq == slurp(dir / (c.name + ".creq")));
    // Signature step alone: HMAC of the suite's own string to sign under our signing key.
    std::string expected_authz = slurp(dir / (c.name + ".authz"));
    std::string suite_sts = slurp(dir / (c.name + ".sts"));
    CHECK(expected_authz.substr(expected_authz.find("Signature=") + 10) ==
          to_hex(hmac_sha256(signing_key(creds.secret_access_key, scope), suite_sts)));
    // In two published cases the .sts/.authz were computed from an older request (no
    // Content-Length; "charset=utf8") while .req/.creq were updated: sha256(.creq) is not the
    // hash in .sts. Our canonical request matches their .creq (checked above); the full chain is
    // checked on every other case.
    if (c.name == "post-x-www-form-urlencoded" || c.name == "post-x-www-form-urlencoded-parameters") {
      CHECK(sha256_hex(slurp(dir / (c.name + ".creq"))) != suite_sts.substr(suite_sts.rfind('\n') + 1));
      continue;
    }
    CHECK(string_to_sign(creq, scope) == suite_sts);
    HeaderList added = sign(c.request, scope, creds);
    std::string authz;
    for (const auto& [k, v] : added)
      if (k == "Authorization") authz = v;
    CHECK(authz == expected_authz);
  }
}

TEST_CASE("aws: sigv4 signing key matches the documented derivation example") {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4":
  // secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
  SigningScope scope{"us-east-1", "iam", "20120215T000000Z"};
  CHECK(to_hex(signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", scope)) ==
        "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST_CASE("aws: sigv4 S3 paths are signed as sent, other services normalize them") {
  CHECK(canonical_uri("/my-object//example//photo.user", true) == "/my-object//example//photo.user");
  CHECK(canonical_uri("/my-object//example//photo.user", false) == "/my-object/example/photo.user");
  // A key encoded once on the wire (space → %20) is encoded again for non-S3 services only.
  CHECK(canonical_uri("/a%20b", true) == "/a%20b");
  CHECK(canonical_uri("/a%20b", false) == "/a%2520b");
  CHECK(uri_encode("a b/c~d*", false) == "a%20b%2Fc~d%2A");
  CHECK(uri_decode("a%20b%2fc%zz") == "a b/c%zz");
}

TEST_CASE("aws: uri_encode escapes every byte as RFC 3986 says, across its internal chunks") {
  // Reference: the rule written out per byte (unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~").
  auto reference = [](const std::string& s, bool keep_slash) {
    std::string out;
    char hex[4];
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
        out += static_cast<char>(c);
      } else {
        std::snprintf(hex, sizeof hex, "%%%02X", c);
        out += hex;
      }
    }
    return out;
  };
  std::string all;
  for (int round = 0; round < 12; ++round)  // 3072 bytes: several chunks, each byte value 12 times
    for (int c = 0; c < 256; ++c) all += static_cast<char>((c * 7 + round) & 255);
  for (bool keep_slash : {false, true}) {
    CHECK(uri_encode(all, keep_slash) == reference(all, keep_slash));
    std::string appended = "prefix&";
    uri_encode_append(appended, all, keep_slash);
    CHECK(appended == "prefix&" + reference(all, keep_slash));
  }
  CHECK(uri_encode("", false).empty());
}

TEST_CASE("aws: md5_hex gives RFC 1321's test vectors") {
  // RFC 1321, appendix A.5.
  CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
}
