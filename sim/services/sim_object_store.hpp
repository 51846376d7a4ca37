// SimObjectStore: S3 buckets in simulated time (engine::cloud::ObjectStore).
//
// put costs one request to "s3-put" carrying the object's bytes; get one to "s3-get" returning
// them; list and delete_objects one to "s3-list" (a page's response carries each key plus
// kListBytesPerKey of XML). Each endpoint has its own latency (first-byte time) and per-connection
// throughput. Strongly consistent: a key is listed and readable as soon as the put's request has
// been applied. Not thread-safe: one SimGrid world on one OS thread; parallel GETs from several
// actors of one host share that host's link.
//
// Request rate limits are per bucket and request class: every bucket has its own token buckets of
// s3_put's rate for PUT and DeleteObjects (S3: 3,500 PUT/COPY/POST/DELETE per second), s3_get's for
// GET (5,500 GET/HEAD) and s3_list's for LIST; exceeding one is ErrorCode::kUnavailable, "503
// SlowDown". S3's limit is per *partitioned prefix*, but a bucket starts as one partition and S3
// splits it only after sustained load (minutes, with 503s meanwhile), longer than the runs
// simulated here, so a bucket is one scope. A modelled worker with object_buckets = N > 1 spreads
// its objects over N buckets, as the published object worker does (S3_BUCKET_MODULO = 10, by target
// worker): a request's scope is its bucket and a hash of its key's folder (up to the last '/'; a
// LIST's prefix) modulo N, so a (layer, target) folder's PUTs, GETs and LISTs share one scope.
#pragma once

#include <map>
#include <string>
#include <string_view>

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
  // The rate limit of `bucket` (and, with object_buckets > 1, the scope of `key`) in one class.
  RateLimit& limit(std::map<std::string, RateLimit>& scopes, const ServiceCalibration& rate,
                   const std::string& bucket, std::string_view key);

  Simulation& sim_;
  Endpoint put_, get_, list_;
  int spread_buckets_;  // the modelled worker's object_buckets
  std::map<std::string, RateLimit> put_limits_, get_limits_, list_limits_;  // by scope
  std::map<std::string, std::map<std::string, std::string>> buckets_;
};

}  // namespace sim
