// S3Client: engine::cloud::ObjectStore over Amazon S3's REST API: CreateBucket, PutObject,
// GetObject, ListObjectsV2 (continuation tokens), DeleteObjects.
//
// Addressing: path-style (endpoint/bucket/key) when the endpoint is custom (an emulator),
// virtual-hosted (bucket.s3.<region>.amazonaws.com/key) on AWS. Payloads are signed (their SHA-256
// is in x-amz-content-sha256). create_bucket treats BucketAlreadyOwnedByYou as success; a
// DeleteObjects entry error fails the call with its code. Thread-safe (parallel GETs are expected).
#pragma once

#include <memory>

#include "engine/aws/service_client.hpp"
#include "engine/cloud/object_store.hpp"

namespace engine::aws {

class S3Client : public cloud::ObjectStore {
 public:
  S3Client(std::shared_ptr<ServiceClient> service, bool path_style);

  Result<void> create_bucket(const std::string& bucket) override;
  Result<void> put(const std::string& bucket, const std::string& key, std::string_view bytes) override;
  Result<std::string> get(const std::string& bucket, const std::string& key) override;
  Result<cloud::ListPage> list(const std::string& bucket, const std::string& prefix,
                               const std::string& continuation_token = "", int max_keys = 1000) override;
  Result<void> delete_objects(const std::string& bucket, std::span<const std::string> keys) override;

 private:
  AwsRequest request(const std::string& operation, const std::string& method, const std::string& bucket,
                     const std::string& key) const;
  std::shared_ptr<ServiceClient> service_;
  bool path_style_;
};

}  // namespace engine::aws
