// Bit-packed partition blobs (see partition_blob.hpp).
#include "engine/worker/partition_blob.hpp"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <stdexcept>

namespace engine {
namespace {

constexpr char kMagic[4] = {'F', 'S', 'D', 'P'};
constexpr std::uint8_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 20;

int bits_for(int parts) { return std::max(1, static_cast<int>(std::bit_width(static_cast<unsigned>(parts - 1)))); }

void put_u32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

Error bad(const std::string& what) { return Error{ErrorCode::kInvalidInput, "partition blob", what}; }

}  // namespace

std::string encode_partition(const Partition& p) {
  if (p.parts < 1 || p.owner.empty()) throw std::invalid_argument("encode_partition: empty partition");
  const std::size_t n = p.owner[0].size();
  const int b = bits_for(p.parts);
  const std::size_t cells = p.owner.size() * n;
  std::string out(kHeaderBytes + (cells * b + 7) / 8, '\0');
  std::memcpy(out.data(), kMagic, 4);
  out[4] = static_cast<char>(kVersion);
  out[5] = static_cast<char>(b);
  put_u32(out, 8, static_cast<std::uint32_t>(p.parts));
  put_u32(out, 12, static_cast<std::uint32_t>(p.owner.size()));
  put_u32(out, 16, static_cast<std::uint32_t>(n));
  // A 64-bit accumulator: owners go in b bits at a time, whole bytes come out (b ≤ 31).
  std::size_t at = kHeaderBytes;
  std::uint64_t acc = 0;
  int filled = 0;
  for (const auto& row : p.owner) {
    if (row.size() != n) throw std::invalid_argument("encode_partition: rows of different lengths");
    for (std::int32_t o : row) {
      if (o < 0 || o >= p.parts) throw std::invalid_argument("encode_partition: owner out of range");
      acc |= static_cast<std::uint64_t>(o) << filled;
      for (filled += b; filled >= 8; filled -= 8, acc >>= 8) out[at++] = static_cast<char>(acc & 0xff);
    }
  }
  if (filled > 0) out[at++] = static_cast<char>(acc & 0xff);
  return out;
}

Result<Partition> decode_partition(std::string_view blob, const PartitionShape& want) {
  if (blob.size() < kHeaderBytes) return bad(std::to_string(blob.size()) + " bytes, shorter than its header");
  if (std::memcmp(blob.data(), kMagic, 4) != 0) return bad("not a partition (magic is not FSDP)");
  if (static_cast<std::uint8_t>(blob[4]) != kVersion)
    return bad("version " + std::to_string(static_cast<unsigned char>(blob[4])) + ", expected 1");
  const int b = static_cast<unsigned char>(blob[5]);
  const std::uint32_t parts = get_u32(blob, 8), rows = get_u32(blob, 12), neurons = get_u32(blob, 16);
  if (blob[6] != 0 || blob[7] != 0) return bad("reserved header bytes are not zero");
  if (parts != static_cast<std::uint32_t>(want.parts) || rows != static_cast<std::uint32_t>(want.rows) ||
      neurons != static_cast<std::uint32_t>(want.neurons))
    return bad("shape " + std::to_string(parts) + " parts × " + std::to_string(rows) + " rows × " +
               std::to_string(neurons) + " neurons, the run's is " + std::to_string(want.parts) + " × " +
               std::to_string(want.rows) + " × " + std::to_string(want.neurons));
  if (b != bits_for(want.parts))
    return bad(std::to_string(b) + " bits per owner, expected " + std::to_string(bits_for(want.parts)));
  const std::size_t cells = std::size_t{rows} * neurons;
  const std::size_t size = kHeaderBytes + (cells * b + 7) / 8;
  if (blob.size() != size)
    return bad(std::to_string(blob.size()) + " bytes, expected " + std::to_string(size) + " for its shape");
  // The size check above guarantees every byte read below exists.
  const auto* data = reinterpret_cast<const unsigned char*>(blob.data() + kHeaderBytes);
  const std::uint64_t mask = (std::uint64_t{1} << b) - 1;
  Partition p;
  p.parts = want.parts;
  p.owner.assign(rows, std::vector<std::int32_t>(neurons));
  std::uint64_t acc = 0;
  int filled = 0;
  for (std::uint32_t r = 0; r < rows; ++r)
    for (std::uint32_t i = 0; i < neurons; ++i) {
      for (; filled < b; filled += 8) acc |= static_cast<std::uint64_t>(*data++) << filled;
      const auto o = static_cast<std::int32_t>(acc & mask);
      acc >>= b;
      filled -= b;
      if (o >= want.parts)
        return bad("owner " + std::to_string(o) + " of neuron " + std::to_string(i) + " in row " + std::to_string(r) +
                   " is not a worker of " + std::to_string(want.parts));
      p.owner[r][i] = o;
    }
  if (acc != 0) return bad("padding bits are not zero");
  return p;
}

std::string blob_digest(std::string_view blob) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : blob) h = (h ^ c) * 1099511628211ull;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

Result<Partition> fetch_partition(cloud::ObjectStore& objects, cloud::ObjectStore& control, const std::string& bucket,
                                  const std::string& run_id, const std::string& digest, const PartitionShape& shape) {
  const std::string key = partition_key(run_id);
  auto blob = objects.get(bucket, key);
  if (!blob) {
    if (blob.error().code != ErrorCode::kNotFound) return blob.error();
    auto alive = control.get(bucket, alive_key(run_id));
    if (!alive && alive.error().code == ErrorCode::kNotFound)
      return Error{
          ErrorCode::kNotFound, "fetch_partition",
          "run " + run_id + " cancelled before this worker started (" + key + " and the alive marker are gone)"};
    return Error{ErrorCode::kInternal, "fetch_partition",
                 "s3://" + bucket + "/" + key + " is missing while its run is alive: " + blob.error().message()};
  }
  if (const std::string got = blob_digest(*blob); got != digest)
    return Error{ErrorCode::kInvalidInput, "fetch_partition",
                 "s3://" + bucket + "/" + key + ": digest " + got + ", the launch event names " + digest};
  auto p = decode_partition(*blob, shape);
  if (!p)
    return Error{ErrorCode::kInvalidInput, "fetch_partition", "s3://" + bucket + "/" + key + ": " + p.error().what};
  return p;
}

std::string partition_key(const std::string& run_id) { return "runs/" + run_id + "/control/partition"; }
std::string alive_key(const std::string& run_id) { return "runs/" + run_id + "/control/alive"; }

}  // namespace engine
