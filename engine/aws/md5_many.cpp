#include "engine/aws/md5_many.hpp"

#include <algorithm>
#include <stdexcept>

#include "engine/aws/sigv4.hpp"

#if defined(__x86_64__)
#include "engine/aws/md5_lanes.hpp"
#define FSD_MD5_LANES 1
#endif

namespace engine::aws {
namespace {

// The padded tail of one input (RFC 1321, 3.1-3.2): its last partial block, 0x80, zeros, and the
// bit length little-endian, in one or two blocks.
struct Tail {
  unsigned char bytes[128] = {};
  std::size_t first_block = 0;  // index of the input's first block that lives in `bytes`
  std::size_t blocks = 0;       // total blocks of the padded input
};

Tail tail_of(std::string_view in) {
  Tail t;
  t.first_block = in.size() / 64;
  const std::size_t rest = in.size() % 64;
  t.blocks = t.first_block + (rest >= 56 ? 2 : 1);
  for (std::size_t i = 0; i < rest; ++i) t.bytes[i] = static_cast<unsigned char>(in[t.first_block * 64 + i]);
  t.bytes[rest] = 0x80;
  const std::uint64_t bits = static_cast<std::uint64_t>(in.size()) * 8;
  const std::size_t at = (t.blocks - t.first_block) * 64 - 8;
  for (int i = 0; i < 8; ++i) t.bytes[at + i] = static_cast<unsigned char>(bits >> (8 * i));
  return t;
}

}  // namespace

bool digest_matches_hex(const Md5Digest& digest, std::string_view hex) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (hex.size() != 2 * digest.size()) return false;
  for (std::size_t i = 0; i < digest.size(); ++i)
    if (hex[2 * i] != kHex[digest[i] >> 4] || hex[2 * i + 1] != kHex[digest[i] & 15]) return false;
  return true;
}

bool md5_many_vectorised() {
#ifdef FSD_MD5_LANES
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2;
#else
  return false;  // e.g. arm64 (Graviton): OpenSSL one input at a time
#endif
}

bool md5_many_avx512vl() {
#ifdef FSD_MD5_LANES
  static const bool vl = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  return vl;
#else
  return false;
#endif
}

namespace detail {
void md5_many_lanes(std::span<const std::string_view> inputs, std::span<Md5Digest> out, bool avx512vl) {
  if (inputs.size() != out.size()) throw std::invalid_argument("md5_many: as many outputs as inputs");
#ifndef FSD_MD5_LANES
  (void)avx512vl;
  throw std::logic_error("md5_many_lanes: not built for this CPU");
#else
  for (std::size_t g = 0; g < inputs.size(); g += kMd5Lanes) {
    const std::size_t lanes = std::min<std::size_t>(kMd5Lanes, inputs.size() - g);
    Tail tails[kMd5Lanes];
    Md5Lane lane[kMd5Lanes] = {};
    for (std::size_t l = 0; l < lanes; ++l) {
      tails[l] = tail_of(inputs[g + l]);
      lane[l] = {reinterpret_cast<const unsigned char*>(inputs[g + l].data()), tails[l].bytes, tails[l].first_block,
                 tails[l].blocks};
    }
    std::uint32_t state[4][kMd5Lanes];
    if (avx512vl) md5_lanes_avx512vl(lane, state);
    else md5_lanes_avx2(lane, state);
    for (std::size_t l = 0; l < lanes; ++l)
      for (int w = 0; w < 4; ++w)
        for (int b = 0; b < 4; ++b) out[g + l][4 * w + b] = static_cast<unsigned char>(state[w][l] >> (8 * b));
  }
#endif
}
}  // namespace detail

void md5_many(std::span<const std::string_view> inputs, std::span<Md5Digest> out) {
  if (inputs.size() != out.size()) throw std::invalid_argument("md5_many: as many outputs as inputs");
  if (inputs.size() < 2 || !md5_many_vectorised()) {
    for (std::size_t i = 0; i < inputs.size(); ++i) out[i] = md5_digest(inputs[i]);
    return;
  }
  detail::md5_many_lanes(inputs, out, md5_many_avx512vl());
}

}  // namespace engine::aws
