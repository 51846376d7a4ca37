// MemoryObjectStore: S3 buckets in process memory (strongly consistent, as S3 since 2020).
// Objects are immutable byte strings; list is lexicographic with pages and continuation tokens;
// delete_objects takes ≤ 1000 keys. Thread-safe: one mutex, never held while copying is avoidable.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "engine/cloud/object_store.hpp"

namespace engine::cloud::memory {

class MemoryObjectStore final : public ObjectStore {
 public:
  Result<void> create_bucket(const std::string& bucket) override;
  Result<void> put(const std::string& bucket, const std::string& key, std::string_view bytes) override;
  Result<std::string> get(const std::string& bucket, const std::string& key) override;
  Result<ListPage> list(const std::string& bucket, const std::string& prefix, const std::string& continuation_token,
                        int max_keys) override;
  Result<void> delete_objects(const std::string& bucket, std::span<const std::string> keys) override;

  std::size_t object_count(const std::string& bucket) const;  // for tests

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::map<std::string, std::string>> buckets_;
};

}  // namespace engine::cloud::memory
