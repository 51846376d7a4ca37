// Cluster: the provider's servers (vCPUs, memory, download bandwidth, block cache) and what runs
// on them. Capacities are integers (milli-vCPUs, MB) so that packing is exact and hand-checkable.
//
// A server is "open" while it runs at least one container; a closed server keeps its cache (the
// disk survives while the machine idles), so placing on it again is cheaper than on a fresh one.
// CPU follows memory as in AWS Lambda: one vCPU per 1769 MB.
// Deterministic; not thread-safe (one simulation owns it).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/provider/block_cache.hpp"
#include "sim/provider/image_catalog.hpp"

namespace provider {

// AWS Lambda: "at 1,769 MB, a function has the equivalent of one vCPU" (Lambda developer guide,
// memory configuration, 2020-12). Rounded up to whole milli-vCPUs.
inline constexpr std::int64_t kLambdaMbPerVcpu = 1769;
std::int64_t millicpus_for_memory(std::int64_t memory_mb);

struct ServerSpec {
  std::int64_t millicpus = 16000;
  std::int64_t memory_mb = 32768;
  double bandwidth_bytes_per_s = 125e6;  // image downloads (1 Gbit/s)
  std::int64_t cache_blocks = 0;         // LRU block cache capacity
};

// One container's demand.
struct Demand {
  std::int64_t millicpus = 0;
  std::int64_t memory_mb = 0;
};

class Server {
 public:
  Server(const ServerSpec& spec, const ImageCatalog& catalog) : spec_(spec), cache_(catalog, spec.cache_blocks) {}

  const ServerSpec& spec() const { return spec_; }
  std::int64_t free_millicpus() const { return spec_.millicpus - used_.millicpus; }
  std::int64_t free_memory_mb() const { return spec_.memory_mb - used_.memory_mb; }
  bool fits(const Demand& d) const { return d.millicpus <= free_millicpus() && d.memory_mb <= free_memory_mb(); }
  bool open() const { return containers_ > 0; }
  int containers() const { return containers_; }
  const BlockCache& cache() const { return cache_; }
  BlockCache& cache() { return cache_; }

 private:
  friend class Cluster;
  ServerSpec spec_;
  Demand used_;
  int containers_ = 0;
  BlockCache cache_;
};

class Cluster {
 public:
  Cluster(const std::vector<ServerSpec>& specs, const ImageCatalog& catalog);

  int size() const { return static_cast<int>(servers_.size()); }
  const Server& server(int i) const { return servers_.at(static_cast<std::size_t>(i)); }
  Server& server(int i) { return servers_.at(static_cast<std::size_t>(i)); }
  const ImageCatalog& catalog() const { return *catalog_; }
  int open_servers() const { return open_servers_; }
  std::int64_t used_memory_mb() const { return used_.memory_mb; }
  std::int64_t used_millicpus() const { return used_.millicpus; }

  // Share of `image`'s distinct blocks cached on server i, in [0, 1].
  double cached_share(int i, int image) const;

  // Starts a container on server i; throws std::logic_error if it does not fit (a policy bug).
  // Returns true if this opened the server.
  bool start(int i, const Demand& d);
  void stop(int i, const Demand& d);

 private:
  const ImageCatalog* catalog_;
  std::vector<Server> servers_;
  Demand used_;
  int open_servers_ = 0;
};

}  // namespace provider
