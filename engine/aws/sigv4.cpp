// SigV4 signing: the four steps of AWS's "Signature Version 4 signing process", one function each.
#include "engine/aws/sigv4.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <ctime>
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

struct Digest {
  unsigned char bytes[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  std::string_view view() const { return {reinterpret_cast<const char*>(bytes), size}; }
};

Digest digest(const EVP_MD* md, std::string_view data) {
  Digest d;
  if (EVP_Digest(data.data(), data.size(), d.bytes, &d.size, md, nullptr) != 1)
    throw std::runtime_error("EVP_Digest failed");
  return d;
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

// HMAC-SHA256 into `out` (32 bytes) with a context each thread keeps and re-keys (EVP_MAC_init
// with a new key starts a new MAC), so no context is allocated per call.
void hmac_sha256_into(std::string_view key, std::string_view data, unsigned char* out) {
  thread_local std::unique_ptr<EVP_MAC_CTX, decltype(&EVP_MAC_CTX_free)> ctx(EVP_MAC_CTX_dup(hmac_sha256_template()),
                                                                             &EVP_MAC_CTX_free);
  std::size_t n = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char*>(key.data()), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), out, &n, 32) != 1 || n != 32)
    throw std::runtime_error("HMAC failed");
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
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

void trim_fold_into(std::string& out, std::string_view v) {
  out.clear();
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

std::string sha256_hex(std::string_view data) { return to_hex(digest(sha256_md(), data).view()); }
std::string md5_hex(std::string_view data) { return to_hex(digest(md5_md(), data).view()); }
std::string md5_base64(std::string_view data) { return base64(digest(md5_md(), data).view()); }
std::array<unsigned char, 16> md5_digest(std::string_view data) {
  const Digest d = digest(md5_md(), data);
  std::array<unsigned char, 16> out;
  std::copy(d.bytes, d.bytes + out.size(), out.begin());
  return out;
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char out[32];
  hmac_sha256_into(key, data, out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

void uri_encode_append(std::string& out, std::string_view s, bool keep_slash) {
  // The query protocol encodes whole message bodies, so this is on the publish path. Each byte's
  // encoding is looked up as 4 bytes (1 or 3 characters, then their count) and stored whole, with
  // no branch per byte (bodies mix kept and escaped characters unpredictably), into a stack buffer
  // that is appended per chunk (so the string is not first grown and zero-filled to 3 × size).
  using Table = std::array<std::uint32_t, 256>;
  static const auto make = [](bool slash) {
    static const char* kHex = "0123456789ABCDEF";
    Table t{};
    for (unsigned c = 0; c < 256; ++c) {
      if (unreserved(static_cast<unsigned char>(c)) || (slash && c == '/'))
        t[c] = c | (1u << 24);
      else
        t[c] = '%' | (std::uint32_t(kHex[c >> 4]) << 8) | (std::uint32_t(kHex[c & 15]) << 16) | (3u << 24);
    }
    return t;
  };
  static const Table kEncode = make(false), kEncodeSlash = make(true);
  const Table& table = keep_slash ? kEncodeSlash : kEncode;
  constexpr std::size_t kChunk = 1024;
  char buf[3 * kChunk + 4];  // + 4: each store writes 4 bytes
  out.reserve(out.size() + s.size() + s.size() / 4);
  for (std::size_t at = 0; at < s.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, s.size() - at);
    char* w = buf;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t e = table[static_cast<unsigned char>(s[at + i])];
      std::memcpy(w, &e, 4);  // little-endian: the characters first (checked at compile time below)
      w += e >> 24;
    }
    out.append(buf, static_cast<std::size_t>(w - buf));
  }
}
static_assert(std::endian::native == std::endian::little, "uri_encode_append stores table entries little-endian");

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
  // Formatted once per second per thread: gmtime_r takes glibc's time-zone lock and strftime
  // parses its format, on every request otherwise.
  thread_local std::time_t last = -1;
  thread_local char buf[32];
  std::time_t t = std::time(nullptr);
  if (t != last) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    last = t;
  }
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

namespace {

// The canonical headers of a request, built without a map or per-header allocations: a request
// signs a handful of headers, so a thread's scratch list (whose strings keep their capacity from
// one request to the next) is sorted by insertion sort, which is stable, so duplicate names keep
// their order when joined by ','.
struct CanonicalHeaders {
  std::vector<std::pair<std::string, std::string>> entries;  // lower-case name, trimmed value
  std::size_t used = 0;

  void clear() { used = 0; }
  void add(std::string_view name, std::string_view value) {
    if (used == entries.size()) entries.emplace_back();
    auto& [n, v] = entries[used++];
    n.assign(name);
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    trim_fold_into(v, value);
  }
  void add(const HeaderList& headers) {
    for (const auto& [name, value] : headers) add(name, value);
  }
  void sort() {
    for (std::size_t i = 1; i < used; ++i)
      for (std::size_t j = i; j > 0 && entries[j].first < entries[j - 1].first; --j) std::swap(entries[j], entries[j - 1]);
  }
  // Appends "name:value\n" per distinct name (duplicates joined by ',') to `block` and
  // "a;b;c" to `names`.
  void append(std::string& block, std::string& names) const {
    for (std::size_t i = 0; i < used; ++i) {
      const auto& [n, v] = entries[i];
      if (i > 0 && n == entries[i - 1].first) {
        block.back() = ',';  // replaces the previous line's '\n'
      } else {
        block += n;
        block += ':';
        if (!names.empty()) names += ';';
        names += n;
      }
      block += v;
      block += '\n';
    }
  }
};

CanonicalHeaders& scratch_headers() {
  thread_local CanonicalHeaders headers;
  headers.clear();
  return headers;
}

// Appends the canonical request (task 1 of the signing process) to `out`, and sets `names` to
// the signed header names; `headers` is already sorted.
void append_canonical_request(std::string& out, std::string& names, std::string_view method, std::string_view path,
                              std::string_view query, const CanonicalHeaders& headers, std::string_view payload_hash,
                              const SigningScope& scope) {
  out.append(method);
  out += '\n';
  // The SNS/SQS path "/" and S3's paths are canonical as they are; others are normalized.
  if (path.empty() || path == "/")
    out += '/';
  else if (scope.s3_path_rules)
    out.append(path);
  else
    out += canonical_uri(path, false);
  out += '\n';
  if (!query.empty()) out += canonical_query(query);
  out += '\n';
  names.clear();
  headers.append(out, names);
  out += '\n';
  out += names;
  out += '\n';
  out.append(payload_hash);
}

}  // namespace

std::pair<std::string, std::string> canonical_headers(const HeaderList& headers) {
  CanonicalHeaders& h = scratch_headers();
  h.add(headers);
  h.sort();
  std::pair<std::string, std::string> out;
  h.append(out.first, out.second);
  return out;
}

std::string canonical_request(const SigningRequest& request, const SigningScope& scope) {
  CanonicalHeaders& h = scratch_headers();
  h.add(request.headers);
  h.sort();
  std::string out, names;
  append_canonical_request(out, names, request.method, request.path, request.query, h, request.payload_sha256_hex,
                           scope);
  return out;
}

namespace {

void append_hex(std::string& out, const unsigned char* bytes, std::size_t n) {
  static const char* kHex = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
}

// "<day>/<region>/<service>/aws4_request"
void append_credential_scope(std::string& out, const SigningScope& scope) {
  out.append(std::string_view(scope.amz_date).substr(0, 8));
  out += '/';
  out += scope.region;
  out += '/';
  out += scope.service;
  out += "/aws4_request";
}

// Task 2: "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex SHA-256 of the canonical request>".
void append_string_to_sign(std::string& out, std::string_view canonical, const SigningScope& scope) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(canonical.data(), canonical.size(), hash, &n, sha256_md(), nullptr) != 1)
    throw std::runtime_error("EVP_Digest failed");
  out += "AWS4-HMAC-SHA256\n";
  out += scope.amz_date;
  out += '\n';
  append_credential_scope(out, scope);
  out += '\n';
  append_hex(out, hash, n);
}

}  // namespace

std::string string_to_sign(const std::string& canonical, const SigningScope& scope) {
  std::string out;
  append_string_to_sign(out, canonical, scope);
  return out;
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
// signs for a few services, and a new day starts a new set. Found by comparing the four parts
// (no key string is built per request).
const std::string& cached_signing_key(const std::string& secret, const SigningScope& scope) {
  struct Entry {
    std::string secret, day, region, service, key;
  };
  thread_local std::vector<Entry> keys;
  const std::string_view day = std::string_view(scope.amz_date).substr(0, 8);
  for (const Entry& e : keys)
    if (e.day == day && e.service == scope.service && e.region == scope.region && e.secret == secret) return e.key;
  if (keys.size() >= 16) keys.clear();
  keys.push_back({secret, std::string(day), scope.region, scope.service, signing_key(secret, scope)});
  return keys.back().key;
}

}  // namespace

void sign_headers(std::string_view method, std::string_view path, std::string_view query, HeaderList& headers,
                  std::string_view payload_sha256_hex, const SigningScope& scope, const Credentials& credentials) {
  const bool token = !credentials.session_token.empty();
  headers.emplace_back("X-Amz-Date", scope.amz_date);
  if (token && scope.sign_session_token) headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  CanonicalHeaders& canonical = scratch_headers();
  canonical.add(headers);
  canonical.sort();
  // Per-thread buffers: a request's canonical request and string to sign reuse the last one's memory.
  thread_local std::string creq, names, sts;
  creq.clear();
  append_canonical_request(creq, names, method, path, query, canonical, payload_sha256_hex, scope);
  sts.clear();
  append_string_to_sign(sts, creq, scope);
  unsigned char signature[32];
  hmac_sha256_into(cached_signing_key(credentials.secret_access_key, scope), sts, signature);
  if (token && !scope.sign_session_token) headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  std::string authorization;
  authorization.reserve(100 + credentials.access_key_id.size() + scope.region.size() + scope.service.size() +
                        names.size());
  authorization += "AWS4-HMAC-SHA256 Credential=";
  authorization += credentials.access_key_id;
  authorization += '/';
  append_credential_scope(authorization, scope);
  authorization += ", SignedHeaders=";
  authorization += names;
  authorization += ", Signature=";
  append_hex(authorization, signature, sizeof signature);
  headers.emplace_back("Authorization", std::move(authorization));
}

HeaderList sign(const SigningRequest& request, const SigningScope& scope, const Credentials& credentials) {
  HeaderList headers = request.headers;
  const std::size_t given = headers.size();
  sign_headers(request.method, request.path, request.query, headers, request.payload_sha256_hex, scope, credentials);
  return HeaderList(std::make_move_iterator(headers.begin() + static_cast<long>(given)),
                    std::make_move_iterator(headers.end()));
}

}  // namespace engine::aws
