// The sixteen-lane MD5 compression loop (md5_many.cpp's vector paths), in two builds of one source
// (md5_lanes_kernel.inc): md5_lanes_avx2.cpp (-mavx2) and md5_lanes_avx512vl.cpp (-mavx512f -mavx512vl).
// Those are the only files built with these flags, and include nothing but this header and
// <immintrin.h>, so no inline function compiled for them is shared with code for other CPUs.
#pragma once

#include <cstddef>
#include <cstdint>

namespace engine::aws {

inline constexpr std::size_t kMd5Lanes = 16;  // two chains of eight 32-bit lanes (see the kernel)

// One input's blocks: blocks [0, tail_block) are read from `data`, the rest from `tail` (the padded
// end, see md5_many.cpp). A lane with blocks == 0 is unused.
struct Md5Lane {
  const unsigned char* data;
  const unsigned char* tail;
  std::size_t tail_block;
  std::size_t blocks;
};

// state[w][l]: word w (A, B, C, D) of lane l's MD5 after all its blocks. Call only on CPUs with
// AVX2, respectively AVX-512F and AVX-512VL.
void md5_lanes_avx2(const Md5Lane (&lanes)[kMd5Lanes], std::uint32_t (&state)[4][kMd5Lanes]);
void md5_lanes_avx512vl(const Md5Lane (&lanes)[kMd5Lanes], std::uint32_t (&state)[4][kMd5Lanes]);

}  // namespace engine::aws
