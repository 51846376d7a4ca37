// PartitionBlob: a Partition as the bytes the coordinator of a distributed run PUTs once, at
// runs/<run>/control/partition, for every worker elsewhere to GET instead of partitioning again
// (a hypergraph partition of a big net costs seconds to minutes; P + 1 hosts computing it was
// the cost). Layout, little-endian:
//   "FSDP" | u8 version (1) | u8 bits b | u16 0 | u32 parts P | u32 rows (L + 1) | u32 neurons N
//   | owner[0][0..N) owner[1][0..N) ... bit-packed, b bits each, LSB first, zero-padded to a byte
// with b = max(1, bit width of P − 1): 20 + ceil((L+1)·N·b / 8) bytes, a size the cost model
// derives from N, L and P alone (costmodel/predict.cpp), so `fsd check` predicts the PUT's bytes
// exactly. Bit packing reaches the entropy of uniformly spread owners (log2 P bits), which zstd
// of int32 owners does not beat, and its size does not depend on the data.
// decode_partition is strict: any blob that is not exactly a partition of the expected shape
// (wrong magic, version, size, shape, or an owner ≥ P) is kInvalidInput naming what is wrong; it
// never reads out of bounds. blob_digest is FNV-1a 64 (hex): it catches a wrong or damaged blob,
// not an adversary (the bucket's IAM policy does that). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "engine/cloud/object_store.hpp"
#include "engine/common/result.hpp"
#include "engine/partition/partition.hpp"

namespace engine {

// Throws std::invalid_argument for a partition whose rows differ in length or owners are out of
// range (a bug of the caller: partitions come from partition_network).
std::string encode_partition(const Partition& partition);

// The shape the decoder insists on: the run's P, L + 1 rows and N neurons.
struct PartitionShape {
  int parts = 1, rows = 1, neurons = 1;
};
Result<Partition> decode_partition(std::string_view blob, const PartitionShape& expected);

std::string blob_digest(std::string_view blob);  // 16 hex digits

// Keys of a run's control objects in its bucket: the partition blob, and the marker that says the
// run is alive (launch_event.hpp, "alive").
std::string partition_key(const std::string& run_id);  // runs/<run>/control/partition
std::string alive_key(const std::string& run_id);      // runs/<run>/control/alive

// A worker host's side: GETs runs/<run>/control/partition from bucket through `objects` (one GET,
// metered by the caller's store), checks its digest against the event's and decodes it.
// Errors: a blob whose digest differs or that does not decode → kInvalidInput naming it; a missing
// blob → kNotFound, "run <id> cancelled ...", when the run's alive marker is gone too (read through
// `control`: the coordinator removed the run before this worker started), else kInternal; a
// failed GET as returned.
Result<Partition> fetch_partition(cloud::ObjectStore& objects, cloud::ObjectStore& control, const std::string& bucket,
                                  const std::string& run_id, const std::string& digest, const PartitionShape& shape);

}  // namespace engine
