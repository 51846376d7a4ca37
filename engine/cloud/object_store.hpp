// ObjectStore: buckets of immutable objects (S3 semantics), the medium of ObjectChannel.
//
// Contract on every backend:
// - put is atomic: a reader sees the whole object or none. After put returns, get and list see
//   the object (S3 is strongly consistent since 2020; the sim may add a configured delay).
// - list returns keys under a prefix in lexicographic order, at most max_keys per page, with a
//   continuation token for the next page ("" when done).
// - get of a missing key is ErrorCode::kNotFound; throttling (503 SlowDown) is kUnavailable.
// Implementations are thread-safe: ObjectChannel issues parallel GETs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/common/result.hpp"

namespace engine::cloud {

struct ListPage {
  std::vector<std::string> keys;
  std::vector<std::int64_t> sizes;  // bytes, one per key
  std::string next_token;           // "" when there is no further page
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  virtual Result<void> create_bucket(const std::string& bucket) = 0;
  virtual Result<void> put(const std::string& bucket, const std::string& key, std::string_view bytes) = 0;
  virtual Result<std::string> get(const std::string& bucket, const std::string& key) = 0;
  virtual Result<ListPage> list(const std::string& bucket, const std::string& prefix,
                                const std::string& continuation_token = "", int max_keys = 1000) = 0;
  // Deletes up to 1000 keys; missing keys are not an error.
  virtual Result<void> delete_objects(const std::string& bucket, std::span<const std::string> keys) = 0;
};

}  // namespace engine::cloud
