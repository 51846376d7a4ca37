#include "engine/channel/object_channel.hpp"

#include <atomic>
#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

namespace engine {
namespace {
Error protocol(const std::string& what) { return Error{ErrorCode::kInvalidInput, "ObjectChannel::receive", what}; }

std::string layer_target_prefix(const std::string& prefix, int layer, int target) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "/L%06d/T%06d/", layer, target);
  return prefix + buf;
}

// Parses the "S<source:6>" tail of a key under the layer/target prefix; −1 if malformed.
int parse_source(const std::string& key, std::size_t prefix_size) {
  if (key.size() != prefix_size + 7 || key[prefix_size] != 'S') return -1;
  int v = 0;
  for (std::size_t i = prefix_size + 1; i < key.size(); ++i) {
    if (key[i] < '0' || key[i] > '9') return -1;
    v = v * 10 + (key[i] - '0');
  }
  return v;
}
}  // namespace

std::string object_key(const std::string& prefix, int layer, int source, int target) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "S%06d", source);
  return layer_target_prefix(prefix, layer, target) + buf;
}

ObjectChannel::ObjectChannel(cloud::Services services, int self, int workers, wire::Limits limits,
                             ObjectChannelOptions options)
    : services_(services), self_(self), workers_(workers), limits_(limits), options_(std::move(options)) {
  if (self < 0 || self >= workers || workers > 999999) throw std::invalid_argument("ObjectChannel: bad worker id");
  if (options_.parallel_gets < 1) throw std::invalid_argument("ObjectChannel: parallel_gets must be ≥ 1");
  if (options_.parallel_puts < 0) throw std::invalid_argument("ObjectChannel: parallel_puts must be ≥ 0");
  if (options_.parallel_puts == 0) options_.parallel_puts = options_.parallel_gets;
}

Result<void> ObjectChannel::post(int layer, int target, const RowBlock& block) {
  if (target < 0 || target >= workers_ || target == self_)
    return Error{ErrorCode::kInvalidInput, "ObjectChannel::post", "bad target " + std::to_string(target)};
  std::string frame;
  ++stats_.blocks_posted;
  if (block.empty()) {
    ++stats_.empty_markers;
  } else {
    frame = wire::encode_block({layer, self_, target}, block, options_.compress, options_.compression_level);
    stats_.rows_posted += static_cast<std::int64_t>(block.rows());
    stats_.nnz_posted += block.nnz();
    stats_.row_bytes_posted += block.row_bytes();
    stats_.frame_bytes_posted += static_cast<std::int64_t>(frame.size());
  }
  pending_.emplace_back(object_key(options_.prefix, layer, self_, target), std::move(frame));
  return Ok{};
}

Result<void> ObjectChannel::flush() {
  if (pending_.empty()) return Ok{};
  cloud::Runtime& rt = *services_.runtime;
  const auto pending = std::move(pending_);
  pending_.clear();
  // parallel_puts tasks each take the next unsent object (a pool, as an SDK's upload threads do);
  // each object's result and retries go to its own slot, so no lock is held across a call.
  const std::size_t n = pending.size();
  std::vector<std::optional<Result<void>>> put(n);
  std::vector<std::int64_t> retries(n, 0);
  std::atomic<std::size_t> next{0};
  auto uploader = [this, &rt, &pending, &put, &retries, &next, n] {
    for (std::size_t i = next++; i < n; i = next++) {
      const auto& [key, frame] = pending[i];
      put[i] = with_retry(rt, options_.retry, &retries[i],
                          [&] { return services_.objects->put(options_.bucket, key, frame); });
    }
  };
  const std::size_t tasks_wanted = std::min<std::size_t>(options_.parallel_puts, n);
  if (tasks_wanted == 1) {
    uploader();
  } else {
    std::vector<std::unique_ptr<cloud::Task>> tasks;
    for (std::size_t t = 0; t < tasks_wanted; ++t) tasks.push_back(rt.spawn("put", uploader));
    for (auto& t : tasks) t->join();
  }
  std::optional<Error> first_error;
  for (std::size_t i = 0; i < n; ++i) {
    stats_.retries += retries[i];
    if (!*put[i]) {
      if (!first_error) first_error = put[i]->error();
      continue;
    }
    ++stats_.messages_posted;
    stats_.wire_bytes_posted += static_cast<std::int64_t>(pending[i].second.size());
  }
  if (first_error) return *first_error;
  return Ok{};
}

Result<void> ObjectChannel::receive(int layer, std::span<const int> sources, const BlockHandler& on_block) {
  cloud::Runtime& rt = *services_.runtime;
  const std::set<int> expected(sources.begin(), sources.end());
  const std::string prefix = layer_target_prefix(options_.prefix, layer, self_);
  std::set<int> seen;
  std::vector<std::string> keys_to_delete;
  double last_progress_s = rt.now_s();
  while (seen.size() < expected.size()) {
    // 1. Discover: list the whole layer/target prefix.
    std::vector<std::pair<int, std::string>> to_get;  // (source, key)
    std::size_t progress = 0;
    std::string token;
    do {
      auto page = with_retry(rt, options_.retry, &stats_.retries,
                             [&] { return services_.objects->list(options_.bucket, prefix, token, 1000); });
      if (!page) return page.error();
      if (page->sizes.size() != page->keys.size()) return protocol("list returned keys and sizes that disagree");
      for (std::size_t i = 0; i < page->keys.size(); ++i) {
        const std::string& key = page->keys[i];
        const int source = parse_source(key, prefix.size());
        if (source < 0) return protocol("unexpected key " + key);
        if (!expected.count(source))
          return protocol("layer " + std::to_string(layer) + " expects no block from worker " + std::to_string(source) +
                          " (" + key + ")");
        if (seen.count(source)) continue;
        seen.insert(source);
        keys_to_delete.push_back(key);
        ++progress;
        if (page->sizes[i] == 0) {
          on_block(source, RowBlock{});  // the empty marker: nothing to fetch
        } else {
          to_get.emplace_back(source, key);
        }
      }
      token = page->next_token;
    } while (!token.empty());
    // 2. Fetch new objects, parallel_gets at a time; each task writes only its own slot.
    for (std::size_t begin = 0; begin < to_get.size(); begin += options_.parallel_gets) {
      const std::size_t n = std::min<std::size_t>(options_.parallel_gets, to_get.size() - begin);
      std::vector<std::optional<Result<std::string>>> got(n);
      std::vector<std::int64_t> retries(n, 0);
      std::vector<std::unique_ptr<cloud::Task>> tasks;
      for (std::size_t i = 0; i < n; ++i) {
        const std::string& key = to_get[begin + i].second;
        auto fetch = [this, &rt, &got, &retries, i, key] {
          got[i] =
              with_retry(rt, options_.retry, &retries[i], [&] { return services_.objects->get(options_.bucket, key); });
        };
        if (n == 1) {
          fetch();
        } else {
          tasks.push_back(rt.spawn("get", fetch));
        }
      }
      for (auto& t : tasks) t->join();
      for (std::size_t i = 0; i < n; ++i) {
        stats_.retries += retries[i];
        const auto& [source, key] = to_get[begin + i];
        if (!*got[i]) return got[i]->error();
        auto block = wire::decode_block(**got[i], {layer, source, self_}, limits_);
        if (!block) return protocol("object " + key + ": " + block.error().what);
        on_block(source, std::move(*block));
      }
    }
    if (seen.size() == expected.size()) break;
    if (progress > 0) {
      last_progress_s = rt.now_s();
    } else if (rt.now_s() - last_progress_s > options_.retry.receive_timeout_s) {
      return Error{ErrorCode::kDeadline, "ObjectChannel::receive",
                   "layer " + std::to_string(layer) + ": " + std::to_string(expected.size() - seen.size()) +
                       " block(s) missing"};
    }
    rt.sleep_s(options_.poll_interval_s);
  }
  // 3. The layer is complete: delete what this worker received.
  for (std::size_t b = 0; b < keys_to_delete.size(); b += 1000) {
    const std::size_t n = std::min<std::size_t>(1000, keys_to_delete.size() - b);
    const std::span<const std::string> batch(keys_to_delete.data() + b, n);
    auto ok = with_retry(rt, options_.retry, &stats_.retries,
                         [&] { return services_.objects->delete_objects(options_.bucket, batch); });
    if (!ok) return ok;
  }
  return Ok{};
}

}  // namespace engine
