// ObjectChannel: activation blocks through object storage (S3), FSD-Inference's object variant.
//
// One object per (run, layer, source, target), key
//   <prefix>/L<layer:6>/T<target:6>/S<source:6>      (zero-padded: lexicographic = numeric order)
// holding the block's wire frame (wire.hpp: binary, zstd); an empty block is a 0-byte marker
// object. post() encodes the block and queues its PUT; flush() PUTs everything queued in parallel
// (parallel_puts tasks through Runtime::spawn, each taking the next queued object), so a layer's
// P−1 objects take ≈ ceil((P−1)/parallel_puts) PUT latencies rather than P−1 — the published
// object-variant layer times need this. Exactly one PUT per block (plus throttling retries);
// flush() returns the first failed PUT's error (in post order) after every task has ended.
// Blocks posted but never flushed are not sent.
//
// receive() lists the target's prefix for the layer (<prefix>/L…/T…/) and queues the new non-empty
// objects' GETs to a pool of background tasks (at most parallel_gets through Runtime::spawn, each
// taking the next queued object and decoding it); a 0-byte object is an empty block without a GET.
// It lists again after poll_interval_s until every source is in (with sleep_after_every_list it
// also sleeps after the last LIST, as the published worker does). By default (overlap_gets = false)
// it first waits for that listing's GETs; with overlap_gets = true it does not (the published
// object worker's "LIST, queue the GETs, sleep 0.1 s" loop) and waits for the GETs still running
// once every source is listed. Blocks are handed to on_block by the calling task only, as their GETs finish
// (each once). A failed GET or a bad object is receive()'s error once the tasks have ended. When
// the layer is complete it deletes the layer's objects it received (one DeleteObjects per 1000
// keys), so the run's prefix is empty at the end.
// Not thread-safe (one per worker); blocks only through the services and the Runtime.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/channel/channel.hpp"
#include "engine/channel/retry.hpp"
#include "engine/channel/wire.hpp"
#include "engine/cloud/services.hpp"

namespace engine {

struct ObjectChannelOptions {
  std::string bucket = "fsd-runs";
  std::string prefix = "runs/run";  // run-scoped: "runs/<run id>"
  double poll_interval_s = 0.1;
  int parallel_gets = 8;  // GETs in flight per receive()
  int parallel_puts = 0;  // concurrent PUTs in flush(); 0: as many as parallel_gets
  bool overlap_gets = false;  // true: LIST again while GETs run; false: wait for a listing's GETs first
  // true: sleep poll_interval_s after every LIST, the one that completes the layer included (the
  // published worker's "LIST, queue the GETs, sleep" loop: poll_interval_s more per layer).
  bool sleep_after_every_list = false;
  bool compress = true;
  int compression_level = 3;
  RetryPolicy retry;
};

// The key of a block (see above).
std::string object_key(const std::string& prefix, int layer, int source, int target);

class ObjectChannel final : public Channel {
 public:
  ObjectChannel(cloud::Services services, int self, int workers, wire::Limits limits,
                ObjectChannelOptions options = {});

  Result<void> post(int layer, int target, const RowBlock& block) override;
  Result<void> flush() override;
  Result<void> receive(int layer, std::span<const int> sources, const BlockHandler& on_block) override;
  const ChannelStats& stats() const override { return stats_; }

 private:
  cloud::Services services_;
  int self_, workers_;
  wire::Limits limits_;
  ObjectChannelOptions options_;
  ChannelStats stats_;
  std::vector<std::pair<std::string, std::string>> pending_;  // (key, frame) posted, not yet flushed
};

}  // namespace engine
