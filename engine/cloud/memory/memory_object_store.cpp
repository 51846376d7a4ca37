#include "engine/cloud/memory/memory_object_store.hpp"

namespace engine::cloud::memory {
namespace {
Error no_bucket(const std::string& where, const std::string& bucket) {
  return Error{ErrorCode::kNotFound, where, "no bucket " + bucket};
}
}  // namespace

Result<void> MemoryObjectStore::create_bucket(const std::string& bucket) {
  if (bucket.size() < 3 || bucket.size() > 63)
    return Error{ErrorCode::kInvalidInput, "s3:CreateBucket", "bucket names have 3..63 characters"};
  std::lock_guard lock(mu_);
  buckets_[bucket];
  return Ok{};
}

Result<void> MemoryObjectStore::put(const std::string& bucket, const std::string& key, std::string_view bytes) {
  if (key.empty() || key.size() > 1024)
    return Error{ErrorCode::kInvalidInput, "s3:PutObject", "keys have 1..1024 bytes"};
  std::string copy(bytes);  // copy outside the lock
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return no_bucket("s3:PutObject", bucket);
  b->second[key] = std::move(copy);
  return Ok{};
}

Result<std::string> MemoryObjectStore::get(const std::string& bucket, const std::string& key) {
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return no_bucket("s3:GetObject", bucket);
  auto o = b->second.find(key);
  if (o == b->second.end()) return Error{ErrorCode::kNotFound, "s3:GetObject", "no key " + key};
  return o->second;
}

Result<ListPage> MemoryObjectStore::list(const std::string& bucket, const std::string& prefix,
                                         const std::string& continuation_token, int max_keys) {
  if (max_keys < 1 || max_keys > 1000)
    return Error{ErrorCode::kInvalidInput, "s3:ListObjectsV2", "max-keys must be 1..1000"};
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return no_bucket("s3:ListObjectsV2", bucket);
  ListPage page;
  // The token is the last key returned: the next page starts strictly after it.
  auto it = continuation_token.empty() ? b->second.lower_bound(prefix) : b->second.upper_bound(continuation_token);
  for (; it != b->second.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    if (static_cast<int>(page.keys.size()) == max_keys) {
      page.next_token = page.keys.back();
      break;
    }
    page.keys.push_back(it->first);
    page.sizes.push_back(static_cast<std::int64_t>(it->second.size()));
  }
  return page;
}

Result<void> MemoryObjectStore::delete_objects(const std::string& bucket, std::span<const std::string> keys) {
  if (keys.empty() || keys.size() > 1000)
    return Error{ErrorCode::kInvalidInput, "s3:DeleteObjects", "a request deletes 1..1000 keys"};
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  if (b == buckets_.end()) return no_bucket("s3:DeleteObjects", bucket);
  for (const auto& k : keys) b->second.erase(k);
  return Ok{};
}

std::size_t MemoryObjectStore::object_count(const std::string& bucket) const {
  std::lock_guard lock(mu_);
  auto b = buckets_.find(bucket);
  return b == buckets_.end() ? 0 : b->second.size();
}

}  // namespace engine::cloud::memory
