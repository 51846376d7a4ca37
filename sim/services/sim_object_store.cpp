// SimObjectStore: a sorted map per bucket; list pages walk it from the prefix (or the token, the
// last key returned) in key order.
#include "sim/services/sim_object_store.hpp"

#include "sim/simulation.hpp"

using engine::Error;
using engine::ErrorCode;
using engine::Result;

namespace sim {

SimObjectStore::SimObjectStore(Simulation& sim)
    : sim_(sim),
      put_(sim.endpoint("s3-put"), sim.calibration().s3_put, sim.worker_calibration().request_overhead_s),
      get_(sim.endpoint("s3-get"), sim.calibration().s3_get, sim.worker_calibration().request_overhead_s),
      list_(sim.endpoint("s3-list"), sim.calibration().s3_list, sim.worker_calibration().request_overhead_s),
      spread_buckets_(sim.worker_calibration().object_buckets) {}

RateLimit& SimObjectStore::limit(std::map<std::string, RateLimit>& scopes, const ServiceCalibration& rate,
                                 const std::string& bucket, std::string_view key) {
  std::string scope = bucket;
  if (spread_buckets_ > 1) {
    const auto slash = key.rfind('/');
    const std::string_view folder = key.substr(0, slash == std::string_view::npos ? 0 : slash);
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a: the same scope on every platform and run
    for (const char ch : folder) h = (h ^ static_cast<unsigned char>(ch)) * 1099511628211ull;
    scope += "#" + std::to_string(h % static_cast<std::uint64_t>(spread_buckets_));
  }
  return scopes.try_emplace(std::move(scope), rate).first->second;
}

Result<void> SimObjectStore::create_bucket(const std::string& bucket) {
  put_.control();
  buckets_.try_emplace(bucket);
  return engine::Ok{};
}

Result<void> SimObjectStore::put(const std::string& bucket, const std::string& key, std::string_view bytes) {
  ++sim_.stats().s3_puts;
  sim_.charge_compress(bytes.size());
  sim_.charge_object(bytes.size());
  if (!put_.arrive(bytes.size(), limit(put_limits_, sim_.calibration().s3_put, bucket, key))) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, "s3:PutObject", "503 SlowDown"};
  }
  put_.work();
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) {
    put_.reply(0);
    return Error{ErrorCode::kNotFound, "s3:PutObject", "no bucket " + bucket};
  }
  b->second[key] = std::string(bytes);
  put_.reply(0);
  return engine::Ok{};
}

Result<std::string> SimObjectStore::get(const std::string& bucket, const std::string& key) {
  ++sim_.stats().s3_gets;
  if (!get_.arrive(0, limit(get_limits_, sim_.calibration().s3_get, bucket, key))) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, "s3:GetObject", "503 SlowDown"};
  }
  get_.work();
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) {
    get_.reply(0);
    return Error{ErrorCode::kNotFound, "s3:GetObject", "no bucket " + bucket};
  }
  auto it = b->second.find(key);
  if (it == b->second.end()) {
    get_.reply(0);
    return Error{ErrorCode::kNotFound, "s3:GetObject", "no key " + key};
  }
  std::string value = it->second;  // copy now: the object may be replaced while the response travels
  get_.reply(value.size());
  sim_.charge_decompress(value.size());
  sim_.charge_object(value.size());
  return value;
}

Result<engine::cloud::ListPage> SimObjectStore::list(const std::string& bucket, const std::string& prefix,
                                                     const std::string& continuation_token, int max_keys) {
  if (max_keys < 1 || max_keys > 1000)
    return Error{ErrorCode::kInvalidInput, "s3:ListObjectsV2", "max_keys must be 1..1000"};
  ++sim_.stats().s3_lists;
  if (!list_.arrive(0, limit(list_limits_, sim_.calibration().s3_list, bucket, prefix))) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, "s3:ListObjectsV2", "503 SlowDown"};
  }
  list_.work();
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) {
    list_.reply(0);
    return Error{ErrorCode::kNotFound, "s3:ListObjectsV2", "no bucket " + bucket};
  }
  engine::cloud::ListPage page;
  std::uint64_t response_bytes = 0;
  auto it = continuation_token.empty() ? b->second.lower_bound(prefix) : b->second.upper_bound(continuation_token);
  for (; it != b->second.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (static_cast<int>(page.keys.size()) == max_keys) {
      page.next_token = page.keys.back();
      break;
    }
    page.keys.push_back(it->first);
    page.sizes.push_back(static_cast<std::int64_t>(it->second.size()));
    response_bytes += it->first.size() + kListBytesPerKey;
  }
  list_.reply(response_bytes);
  return page;
}

Result<void> SimObjectStore::delete_objects(const std::string& bucket, std::span<const std::string> keys) {
  if (keys.size() > 1000) return Error{ErrorCode::kInvalidInput, "s3:DeleteObjects", "at most 1000 keys"};
  ++sim_.stats().s3_deletes;
  std::uint64_t request_bytes = 0;
  for (const auto& k : keys) request_bytes += k.size();
  // The published workers never delete their objects: under their protocol this call is free.
  const bool timed = sim_.worker_calibration().protocol != WorkerProtocol::kPublished;
  // DeleteObjects is a POST: S3 counts it in the PUT/COPY/POST/DELETE class.
  if (timed && !list_.arrive(request_bytes, limit(put_limits_, sim_.calibration().s3_put, bucket,
                                                   keys.empty() ? std::string_view{} : keys.front()))) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, "s3:DeleteObjects", "503 SlowDown"};
  }
  if (timed) list_.work();
  auto b = buckets_.find(bucket);
  if (b != buckets_.end())
    for (const auto& k : keys) b->second.erase(k);
  if (timed) list_.reply(0);
  return engine::Ok{};
}

}  // namespace sim
