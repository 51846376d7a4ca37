#include "engine/channel/object_channel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stdexcept>
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

namespace {
// One object the receive pool fetches: written by the task that took it, read by the receiving
// task once `done` is set (release/acquire).
struct Fetch {
  Fetch(int source, std::string key) : source(source), key(std::move(key)) {}
  int source;
  std::string key;
  std::optional<Result<RowBlock>> block;
  std::int64_t retries = 0;
  std::atomic<bool> done{false};
};

// The background GETs of one receive(): at most `limit` tasks, each taking the next queued object
// until none is left (a thread pool, as the published worker's ThreadPoolExecutor). The mutex guards
// the queue's shape and the task count only; it is never held across a service call.
struct GetPool {
  std::mutex mu;
  std::deque<Fetch> fetches;  // appended by the receiving task only; elements never move
  std::size_t next = 0;       // index of the next object to fetch
  int active = 0;             // tasks running
  bool stop = false;          // an error: take no more objects
  std::vector<std::unique_ptr<cloud::Task>> tasks;
  ~GetPool() { join(); }
  void join() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    for (auto& t : tasks) t->join();
    tasks.clear();
  }
};
}  // namespace

Result<void> ObjectChannel::receive(int layer, std::span<const int> sources, const BlockHandler& on_block) {
  cloud::Runtime& rt = *services_.runtime;
  const std::set<int> expected(sources.begin(), sources.end());
  const std::string prefix = layer_target_prefix(options_.prefix, layer, self_);
  std::set<int> seen;
  std::vector<std::string> keys_to_delete;
  GetPool pool;  // its destructor joins the GET tasks on every return path
  std::size_t delivered = 0;  // fetches [0, delivered) whose order is settled ...
  std::vector<bool> handed;   // ... and, per fetch, whether on_block has had it

  // A GET task: fetch and decode queued objects until none is left.
  auto fetcher = [this, &rt, &pool, layer] {
    for (;;) {
      Fetch* f;
      {
        std::lock_guard lock(pool.mu);
        if (pool.stop || pool.next == pool.fetches.size()) {
          --pool.active;
          return;
        }
        f = &pool.fetches[pool.next++];
      }
      auto bytes = with_retry(rt, options_.retry, &f->retries,
                              [&] { return services_.objects->get(options_.bucket, f->key); });
      if (!bytes) {
        f->block = bytes.error();
      } else {
        auto block = wire::decode_block(*bytes, {layer, f->source, self_}, limits_);
        if (block) f->block = std::move(*block);
        else f->block = protocol("object " + f->key + ": " + block.error().what);
      }
      f->done.store(true, std::memory_order_release);
    }
  };
  // Queues objects to fetch and starts tasks up to parallel_gets; the lock makes "a task saw an
  // empty queue and ended" and "an object was queued" ordered, so no object is left unfetched.
  auto enqueue = [&](const std::vector<std::pair<int, std::string>>& to_get) {
    int start = 0;
    {
      std::lock_guard lock(pool.mu);
      for (const auto& [source, key] : to_get) pool.fetches.emplace_back(source, key);
      const int queued = static_cast<int>(pool.fetches.size() - pool.next);
      start = std::min(options_.parallel_gets - pool.active, queued);
      if (start > 0) pool.active += start;
    }
    handed.resize(handed.size() + to_get.size(), false);
    for (int t = 0; t < start; ++t) pool.tasks.push_back(rt.spawn("get", fetcher));
  };
  // Hands every finished fetch to on_block (in the order they were listed among those finished);
  // the first failed one is the error. Returns how many were handed over.
  auto deliver_finished = [&]() -> Result<std::size_t> {
    std::size_t n = 0;
    for (std::size_t i = delivered; i < handed.size(); ++i) {
      if (handed[i]) continue;
      Fetch& f = pool.fetches[i];
      if (!f.done.load(std::memory_order_acquire)) continue;
      stats_.retries += f.retries;
      if (!*f.block) return f.block->error();
      handed[i] = true;
      ++n;
      on_block(f.source, std::move(**f.block));
    }
    while (delivered < handed.size() && handed[delivered]) ++delivered;
    return n;
  };

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
    // 2. Queue the new objects' GETs in the background: they do not hold up the next LIST.
    if (!to_get.empty()) enqueue(to_get);
    if (!options_.overlap_gets) {  // wait for this listing's GETs before listing again
      for (auto& t : pool.tasks) t->join();
      pool.tasks.clear();
    }
    auto handed_over = deliver_finished();
    if (!handed_over) return handed_over.error();
    if (seen.size() == expected.size()) {
      if (options_.sleep_after_every_list) rt.sleep_s(options_.poll_interval_s);
      break;
    }
    if (progress > 0 || *handed_over > 0) {
      last_progress_s = rt.now_s();
    } else if (rt.now_s() - last_progress_s > options_.retry.receive_timeout_s) {
      return Error{ErrorCode::kDeadline, "ObjectChannel::receive",
                   "layer " + std::to_string(layer) + ": " + std::to_string(expected.size() - seen.size()) +
                       " block(s) missing"};
    }
    rt.sleep_s(options_.poll_interval_s);
  }
  // Every source is listed: wait for the GETs still running (each task ends when the queue is empty).
  for (auto& t : pool.tasks) t->join();
  pool.tasks.clear();
  auto rest = deliver_finished();
  if (!rest) return rest.error();
  if (delivered != handed.size()) throw std::logic_error("ObjectChannel::receive: a fetch never finished");
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
