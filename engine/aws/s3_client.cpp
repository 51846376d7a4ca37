// S3 over REST with XML bodies.
#include "engine/aws/s3_client.hpp"

#include <pugixml.hpp>

namespace engine::aws {

namespace {

Error malformed(const std::string& where, const std::string& what) {
  return Error{ErrorCode::kInternal, where, "malformed response: " + what};
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

S3Client::S3Client(std::shared_ptr<ServiceClient> service, bool path_style)
    : service_(std::move(service)), path_style_(path_style) {}

AwsRequest S3Client::request(const std::string& operation, const std::string& method, const std::string& bucket,
                             const std::string& key) const {
  AwsRequest r;
  r.operation = operation;
  r.method = method;
  std::string encoded_key = uri_encode(key, /*keep_slash=*/true);
  if (path_style_) {
    r.path = '/';
    r.path += uri_encode(bucket, false);
    if (!key.empty()) r.path += '/';
    r.path += encoded_key;
  } else {
    r.host_prefix = bucket + ".";
    r.path = '/';
    r.path += encoded_key;
  }
  return r;
}

Result<void> S3Client::create_bucket(const std::string& bucket) {
  AwsRequest r = request("CreateBucket", "PUT", bucket, "");
  const std::string& region = service_->config().region;
  if (region != "us-east-1")  // us-east-1 rejects a LocationConstraint naming itself
    r.body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
             region + "</LocationConstraint></CreateBucketConfiguration>";
  auto response = service_->call(r, parse_xml_error);
  if (!response) {
    if (response.error().what.rfind("BucketAlreadyOwnedByYou", 0) == 0) return Ok{};
    return response.error();
  }
  return Ok{};
}

Result<void> S3Client::put(const std::string& bucket, const std::string& key, std::string_view bytes) {
  AwsRequest r = request("PutObject", "PUT", bucket, key);
  r.headers = {{"Content-Type", "application/octet-stream"}};
  r.body_ref = bytes;  // sent from the caller's buffer, not copied
  auto response = service_->call(r, parse_xml_error);  // a PUT of the same bytes is idempotent
  if (!response) return response.error();
  return Ok{};
}

Result<std::string> S3Client::get(const std::string& bucket, const std::string& key) {
  AwsRequest r = request("GetObject", "GET", bucket, key);
  auto response = service_->call(r, parse_xml_error);
  if (!response) return response.error();
  return std::move(response->body);
}

Result<cloud::ListPage> S3Client::list(const std::string& bucket, const std::string& prefix,
                                       const std::string& continuation_token, int max_keys) {
  const std::string where = "s3:ListObjectsV2";
  AwsRequest r = request("ListObjectsV2", "GET", bucket, "");
  if (!path_style_) r.path = "/";
  // Parameters in the order canonical_query would sort them (any order is valid on the wire).
  if (!continuation_token.empty()) r.query += "continuation-token=" + uri_encode(continuation_token, false) + "&";
  r.query += "list-type=2&max-keys=" + std::to_string(std::max(1, std::min(max_keys, 1000)));
  r.query += "&prefix=" + uri_encode(prefix, false);
  auto response = service_->call(r, parse_xml_error);
  if (!response) return response.error();
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(response->body.data(), response->body.size());
  if (!parsed) return malformed(where, std::string("XML: ") + parsed.description());
  pugi::xml_node root = doc.child("ListBucketResult");
  if (!root) return malformed(where, "no <ListBucketResult>");
  cloud::ListPage page;
  for (pugi::xml_node c : root.children("Contents")) {
    std::string key = c.child_value("Key");
    if (key.empty()) return malformed(where, "an entry without Key");
    page.keys.push_back(std::move(key));
    page.sizes.push_back(std::strtoll(c.child_value("Size"), nullptr, 10));
  }
  if (std::string(root.child_value("IsTruncated")) == "true") {
    page.next_token = root.child_value("NextContinuationToken");
    if (page.next_token.empty()) return malformed(where, "IsTruncated without NextContinuationToken");
  }
  return page;
}

Result<void> S3Client::delete_objects(const std::string& bucket, std::span<const std::string> keys) {
  const std::string where = "s3:DeleteObjects";
  if (keys.empty()) return Ok{};
  if (keys.size() > 1000)
    return Error{ErrorCode::kInvalidInput, where, "at most 1000 keys, got " + std::to_string(keys.size())};
  AwsRequest r = request("DeleteObjects", "POST", bucket, "");
  if (!path_style_) r.path = "/";
  r.query = "delete=";
  r.body = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>true</Quiet>";
  for (const auto& k : keys) r.body += "<Object><Key>" + xml_escape(k) + "</Key></Object>";
  r.body += "</Delete>";
  r.headers = {{"Content-Type", "application/xml"}, {"Content-MD5", md5_base64(r.body)}};
  auto response = service_->call(r, parse_xml_error);
  if (!response) return response.error();
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(response->body.data(), response->body.size());
  if (!parsed) return malformed(where, std::string("XML: ") + parsed.description());
  pugi::xml_node root = doc.child("DeleteResult");
  if (!root) return malformed(where, "no <DeleteResult>");
  for (pugi::xml_node e : root.children("Error")) {
    std::string code = e.child_value("Code");
    if (code == "NoSuchKey") continue;  // missing keys are not an error
    return Error{
        is_throttling_code(code) || code == "InternalError" ? ErrorCode::kUnavailable : ErrorCode::kInvalidInput, where,
        std::string(e.child_value("Key")) + ": " + code + ": " + e.child_value("Message")};
  }
  return Ok{};
}

}  // namespace engine::aws
