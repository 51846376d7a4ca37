// SigV4 signing: the four steps of AWS's "Signature Version 4 signing process", one function each.
#include "engine/aws/sigv4.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <memory>
#include <stdexcept>

namespace engine::aws {

namespace {

// OpenSSL 3 looks an algorithm up in its provider tables ("fetch", with a lock and a property
// query) on every one-shot call given EVP_sha256() or HMAC(); a request signs with a dozen such
// calls, so the algorithms are fetched once and shared (fetched objects are thread-safe).
const EVP_MD* fetched_md(const char* name) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  if (!md) throw std::runtime_error(std::string("EVP_MD_fetch ") + name + " failed");
  return md;  // kept for the process's lifetime
}

std::string digest(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out, &n, md, nullptr) != 1) throw std::runtime_error("EVP_Digest failed");
  return std::string(reinterpret_cast<char*>(out), n);
}

const EVP_MD* sha256_md() {
  static const EVP_MD* md = fetched_md("SHA256");
  return md;
}

const EVP_MD* md5_md() {
  static const EVP_MD* md = fetched_md("MD5");
  return md;
}

// An HMAC context with its digest set, never used itself: each call duplicates it (setting the
// digest by name would fetch it again).
const EVP_MAC_CTX* hmac_sha256_template() {
  static const EVP_MAC_CTX* ctx = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX* c = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);  // the context holds its own reference
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    if (!c || EVP_MAC_CTX_set_params(c, params) != 1) throw std::runtime_error("HMAC-SHA256 setup failed");
    return c;
  }();
  return ctx;
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Removes "." and ".." segments and empty segments ("//"), keeping a trailing slash (RFC 3986 5.2.4
// as AWS applies it to non-S3 paths; see the suite's normalize-path cases).
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view seg = path.substr(i, j - i);
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
    } else if (!seg.empty() && seg != ".") {
      out.push_back(seg);
    }
    i = j + 1;
  }
  std::string result;
  for (auto seg : out) {
    result += '/';
    result.append(seg);
  }
  bool trailing = !path.empty() && path.back() == '/';
  if (path.size() >= 2 && (path.ends_with("/.") || path.ends_with("/.."))) trailing = true;
  if (result.empty() || trailing) result += "/";
  return result;
}

std::string trim_fold(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

}  // namespace

std::string to_hex(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) { return to_hex(digest(sha256_md(), data)); }
std::string md5_hex(std::string_view data) { return to_hex(digest(md5_md(), data)); }
std::string md5_base64(std::string_view data) { return base64(digest(md5_md(), data)); }

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  std::size_t n = 0;
  std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(hmac_sha256_template()),
                                                                &EVP_MAC_CTX_free);
  if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &n, sizeof out) != 1)
    throw std::runtime_error("HMAC failed");
  return std::string(reinterpret_cast<char*>(out), n);
}

void uri_encode_append(std::string& out, std::string_view s, bool keep_slash) {
  // One table lookup per byte into a buffer sized for the worst case (every byte escaped): the
  // query protocol encodes whole message bodies, so this is on the publish path.
  static const auto kKeep = [] {
    std::array<bool, 256> keep{};
    for (int c = 0; c < 256; ++c) keep[c] = unreserved(static_cast<unsigned char>(c));
    return keep;
  }();
  static const char* kHex = "0123456789ABCDEF";
  const std::size_t start = out.size();
  out.resize(start + 3 * s.size());
  char* w = out.data() + start;
  for (unsigned char c : s) {
    if (kKeep[c] || (keep_slash && c == '/')) {
      *w++ = static_cast<char>(c);
    } else {
      *w++ = '%';
      *w++ = kHex[c >> 4];
      *w++ = kHex[c & 15];
    }
  }
  out.resize(static_cast<std::size_t>(w - out.data()));
}

std::string uri_encode(std::string_view s, bool keep_slash) {
  std::string out;
  uri_encode_append(out, s, keep_slash);
  return out;
}

std::string uri_decode(std::string_view s) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string amz_date_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string canonical_uri(std::string_view path, bool s3_path_rules) {
  if (path.empty()) return "/";
  if (s3_path_rules) return std::string(path);
  return uri_encode(normalize_path(path), /*keep_slash=*/true);
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t i = 0;
  while (i < query.size()) {
    std::size_t j = query.find('&', i);
    if (j == std::string_view::npos) j = query.size();
    std::string_view kv = query.substr(i, j - i);
    if (!kv.empty()) {
      std::size_t eq = kv.find('=');
      std::string k(kv.substr(0, eq)), v(eq == std::string_view::npos ? "" : kv.substr(eq + 1));
      params.emplace_back(uri_encode(uri_decode(k), false), uri_encode(uri_decode(v), false));
    }
    i = j + 1;
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

std::pair<std::string, std::string> canonical_headers(const HeaderList& headers) {
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    std::string key = lower(name);
    std::string v = trim_fold(value);
    auto [it, inserted] = merged.emplace(key, v);
    if (!inserted) it->second += "," + v;
  }
  std::string block, names;
  for (const auto& [k, v] : merged) {
    block += k + ":" + v + "\n";
    if (!names.empty()) names += ';';
    names += k;
  }
  return {block, names};
}

std::string canonical_request(const SigningRequest& request, const SigningScope& scope) {
  auto [block, names] = canonical_headers(request.headers);
  return request.method + "\n" + canonical_uri(request.path, scope.s3_path_rules) + "\n" +
         canonical_query(request.query) + "\n" + block + "\n" + names + "\n" + request.payload_sha256_hex;
}

std::string string_to_sign(const std::string& canonical, const SigningScope& scope) {
  std::string date = scope.amz_date.substr(0, 8);
  return "AWS4-HMAC-SHA256\n" + scope.amz_date + "\n" + date + "/" + scope.region + "/" + scope.service +
         "/aws4_request\n" + sha256_hex(canonical);
}

std::string signing_key(const std::string& secret, const SigningScope& scope) {
  std::string k = hmac_sha256("AWS4" + secret, scope.amz_date.substr(0, 8));
  k = hmac_sha256(k, scope.region);
  k = hmac_sha256(k, scope.service);
  return hmac_sha256(k, "aws4_request");
}

namespace {

// signing_key() depends only on the secret, the day, the region and the service, so each thread
// keeps the keys it derived (four HMACs less per request), as the AWS SDKs do. Bounded: a thread
// signs for a few services, and a new day starts a new set.
const std::string& cached_signing_key(const std::string& secret, const SigningScope& scope) {
  thread_local std::map<std::string, std::string> keys;
  std::string id = secret;
  for (std::string_view part : {std::string_view(scope.amz_date).substr(0, 8), std::string_view(scope.region),
                                std::string_view(scope.service)}) {
    id += '\0';
    id.append(part);
  }
  auto it = keys.find(id);
  if (it != keys.end()) return it->second;
  if (keys.size() >= 16) keys.clear();
  return keys.emplace(std::move(id), signing_key(secret, scope)).first->second;
}

}  // namespace

HeaderList sign(const SigningRequest& request, const SigningScope& scope, const Credentials& credentials) {
  SigningRequest r = request;
  HeaderList added;
  added.emplace_back("X-Amz-Date", scope.amz_date);
  r.headers.emplace_back("X-Amz-Date", scope.amz_date);
  if (!credentials.session_token.empty()) {
    added.emplace_back("X-Amz-Security-Token", credentials.session_token);
    if (scope.sign_session_token) r.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  std::string creq = canonical_request(r, scope);
  std::string sts = string_to_sign(creq, scope);
  std::string signature = to_hex(hmac_sha256(cached_signing_key(credentials.secret_access_key, scope), sts));
  auto names = canonical_headers(r.headers).second;
  added.emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                                          scope.amz_date.substr(0, 8) + "/" + scope.region + "/" + scope.service +
                                          "/aws4_request, SignedHeaders=" + names + ", Signature=" + signature);
  return added;
}

}  // namespace engine::aws
