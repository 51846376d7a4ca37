#include "engine/aws/md5_x8_avx2.hpp"

#include <immintrin.h>

namespace engine::aws {
namespace {

// RFC 1321, 3.4: the sine table T[i], the shift amounts, and the message word of each step.
constexpr std::uint32_t kT[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

constexpr int word_of(int i) {
  return i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16;
}

template <int S>
inline __m256i rotl(__m256i x) {
  return _mm256_or_si256(_mm256_slli_epi32(x, S), _mm256_srli_epi32(x, 32 - S));
}

// One step: a = b + ((a + f(b, c, d) + X[k] + T[i]) <<< s); the caller rotates the roles.
template <int I>
inline void step(__m256i& a, __m256i b, __m256i c, __m256i d, const __m256i (&x)[16]) {
  __m256i f;
  if constexpr (I < 16) f = _mm256_xor_si256(d, _mm256_and_si256(b, _mm256_xor_si256(c, d)));  // (b∧c)∨(¬b∧d)
  else if constexpr (I < 32) f = _mm256_xor_si256(c, _mm256_and_si256(d, _mm256_xor_si256(b, c)));  // (b∧d)∨(c∧¬d)
  else if constexpr (I < 48) f = _mm256_xor_si256(_mm256_xor_si256(b, c), d);
  else f = _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, _mm256_set1_epi32(-1))));  // c ⊕ (b ∨ ¬d)
  __m256i t = _mm256_add_epi32(_mm256_add_epi32(a, f),
                               _mm256_add_epi32(x[word_of(I)], _mm256_set1_epi32(static_cast<int>(kT[I]))));
  a = _mm256_add_epi32(b, rotl<kShift[I / 16][I % 4]>(t));
}

template <int I>
inline void steps(__m256i& a, __m256i& b, __m256i& c, __m256i& d, const __m256i (&x)[16]) {
  if constexpr (I < 64) {
    step<I>(a, b, c, d, x);      // a b c d
    step<I + 1>(d, a, b, c, x);  // d a b c
    step<I + 2>(c, d, a, b, x);  // c d a b
    step<I + 3>(b, c, d, a, x);  // b c d a
    steps<I + 4>(a, b, c, d, x);
  }
}

}  // namespace

void md5_x8_avx2(const Md5Lane (&lanes)[kMd5Lanes], std::uint32_t (&state)[4][kMd5Lanes]) {
  std::size_t most = 0;
  alignas(32) std::int32_t blocks[kMd5Lanes];
  for (std::size_t l = 0; l < kMd5Lanes; ++l) {
    blocks[l] = static_cast<std::int32_t>(lanes[l].blocks);
    if (lanes[l].blocks > most) most = lanes[l].blocks;
  }
  const __m256i lane_blocks = _mm256_load_si256(reinterpret_cast<const __m256i*>(blocks));
  __m256i a = _mm256_set1_epi32(0x67452301), b = _mm256_set1_epi32(static_cast<int>(0xefcdab89)),
          c = _mm256_set1_epi32(static_cast<int>(0x98badcfe)), d = _mm256_set1_epi32(0x10325476);
  alignas(32) std::uint32_t words[16][kMd5Lanes] = {};
  for (std::size_t k = 0; k < most; ++k) {
    // Transpose block k of every lane into 16 vectors of word j (MD5 reads words little-endian,
    // as x86 loads them). A lane past its last block hashes zeros and keeps its state (below).
    for (std::size_t l = 0; l < kMd5Lanes; ++l) {
      const Md5Lane& in = lanes[l];
      if (k >= in.blocks) continue;
      const unsigned char* p = k < in.tail_block ? in.data + 64 * k : in.tail + 64 * (k - in.tail_block);
      for (int j = 0; j < 16; ++j) __builtin_memcpy(&words[j][l], p + 4 * j, 4);
    }
    __m256i x[16];
    for (int j = 0; j < 16; ++j) x[j] = _mm256_load_si256(reinterpret_cast<const __m256i*>(words[j]));
    const __m256i a0 = a, b0 = b, c0 = c, d0 = d;
    steps<0>(a, b, c, d, x);
    // Lanes still in their blocks add the block's result; the others keep their finished state.
    const __m256i live = _mm256_cmpgt_epi32(lane_blocks, _mm256_set1_epi32(static_cast<int>(k)));
    a = _mm256_blendv_epi8(a0, _mm256_add_epi32(a, a0), live);
    b = _mm256_blendv_epi8(b0, _mm256_add_epi32(b, b0), live);
    c = _mm256_blendv_epi8(c0, _mm256_add_epi32(c, c0), live);
    d = _mm256_blendv_epi8(d0, _mm256_add_epi32(d, d0), live);
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state[0]), a);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state[1]), b);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state[2]), c);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state[3]), d);
}

}  // namespace engine::aws
