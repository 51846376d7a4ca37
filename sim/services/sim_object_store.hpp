// SimObjectStore: S3 buckets in simulated time (engine::cloud::ObjectStore).
//
// put costs one request to "s3-put" carrying the object's bytes; get one to "s3-get" returning
// them; list and delete_objects one to "s3-list" (a page's response carries each key plus
// kListBytesPerKey of XML). Each endpoint has its own latency (first-byte time), per-connection
// throughput and request rate limit (S3: 3,500 PUT and 5,500 GET per second per prefix; exceeding
// it is ErrorCode::kUnavailable, "503 SlowDown"). Strongly consistent: a key is listed and
// readable as soon as the put's request has been applied. Not thread-safe: one SimGrid world on
// one OS thread; parallel GETs from several actors of one host share that host's link.
#pragma once

#include <map>
#include <string>

#include "engine/cloud/object_store.hpp"
#include "sim/services/endpoint.hpp"

namespace sim {

class Simulation;

class SimObjectStore : public engine::cloud::ObjectStore {
 public:
  static constexpr std::uint64_t kListBytesPerKey = 150;  // ListObjectsV2 <Contents> element without the key

  explicit SimObjectStore(Simulation& sim);

  engine::Result<void> create_bucket(const std::string& bucket) override;
  engine::Result<void> put(const std::string& bucket, const std::string& key, std::string_view bytes) override;
  engine::Result<std::string> get(const std::string& bucket, const std::string& key) override;
  engine::Result<engine::cloud::ListPage> list(const std::string& bucket, const std::string& prefix,
                                               const std::string& continuation_token = "",
                                               int max_keys = 1000) override;
  engine::Result<void> delete_objects(const std::string& bucket, std::span<const std::string> keys) override;

 private:
  Simulation& sim_;
  Endpoint put_, get_, list_;
  std::map<std::string, std::map<std::string, std::string>> buckets_;
};

}  // namespace sim
