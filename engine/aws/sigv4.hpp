// AWS Signature Version 4 (header-based) request signing, with OpenSSL's SHA-256 and HMAC.
//
// Contract: sign() returns the headers to add (Authorization, X-Amz-Date, and X-Amz-Security-Token
// when the credentials carry a session token) for a request described by SigningRequest; the
// caller sends exactly the method, path, query, headers and payload it signed. Checked against
// AWS's published test suite (tests/aws/data/sigv4). The canonical forms are exposed so tests can
// compare each step (canonical request, string to sign) with the suite's files.
// Pure functions of their inputs (each thread keeps scratch buffers and derived signing keys):
// thread-safe and deterministic.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/aws/credentials.hpp"

namespace engine::aws {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct SigningRequest {
  std::string method;              // "GET", "POST", ...
  std::string path = "/";          // as on the request line (percent-encoded once), without the query
  std::string query;               // as on the request line after '?', "" when none
  HeaderList headers;              // every header to sign; must include Host
  std::string payload_sha256_hex;  // hex SHA-256 of the body (sha256_hex(body))
};

struct SigningScope {
  std::string region;    // "us-east-1"
  std::string service;   // "sns", "sqs", "s3", "lambda"
  std::string amz_date;  // "20150830T123600Z" (UTC); see amz_date_now()
  // S3 signs the path as sent; every other service normalizes it (., .., //) and encodes it again.
  bool s3_path_rules = false;
  // The test suite's post-sts-header-after case: the token is sent but not signed. AWS services
  // accept both; we sign it (the default), as the SDKs do.
  bool sign_session_token = true;
};

std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string to_hex(std::string_view bytes);
std::string md5_base64(std::string_view data);  // S3 Content-MD5
std::string md5_hex(std::string_view data);     // SQS MD5OfBody
std::array<unsigned char, 16> md5_digest(std::string_view data);  // the raw 16 bytes
// RFC 3986 percent-encoding of everything but A-Z a-z 0-9 - . _ ~ (and '/' when keep_slash).
std::string uri_encode(std::string_view s, bool keep_slash);
void uri_encode_append(std::string& out, std::string_view s, bool keep_slash);
std::string uri_decode(std::string_view s);
std::string amz_date_now();  // current UTC time as YYYYMMDD'T'HHMMSS'Z'

std::string canonical_uri(std::string_view path, bool s3_path_rules);
std::string canonical_query(std::string_view query);
// Lower-cased names, values trimmed with inner runs of spaces folded, duplicates joined by ','.
// Returns {canonical headers block (each line ending in '\n'), signed header names "a;b;c"}.
std::pair<std::string, std::string> canonical_headers(const HeaderList& headers);
std::string canonical_request(const SigningRequest& request, const SigningScope& scope);
std::string string_to_sign(const std::string& canonical_request, const SigningScope& scope);
std::string signing_key(const std::string& secret_access_key, const SigningScope& scope);  // raw bytes

// Headers to add to the request: X-Amz-Date, X-Amz-Security-Token (if any), Authorization.
HeaderList sign(const SigningRequest& request, const SigningScope& scope, const Credentials& credentials);
// The same signature without copying the request: signs `headers` (which must include Host) and
// appends those three headers to them. sign() calls it. Each thread reuses its buffers.
void sign_headers(std::string_view method, std::string_view path, std::string_view query, HeaderList& headers,
                  std::string_view payload_sha256_hex, const SigningScope& scope, const Credentials& credentials);

}  // namespace engine::aws
