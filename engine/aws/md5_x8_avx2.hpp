// The eight-lane MD5 compression loop (md5_many.cpp's AVX2 path). Its .cpp is the only file built
// with -mavx2, and includes nothing but this header and <immintrin.h>, so no inline function
// compiled for AVX2 can be shared with code that runs on CPUs without it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace engine::aws {

inline constexpr std::size_t kMd5Lanes = 8;

// One input's blocks: blocks [0, tail_block) are read from `data`, the rest from `tail` (the padded
// end, see md5_many.cpp). A lane with blocks == 0 is unused.
struct Md5Lane {
  const unsigned char* data;
  const unsigned char* tail;
  std::size_t tail_block;
  std::size_t blocks;
};

// state[w][l]: word w (A, B, C, D) of lane l's MD5 after all its blocks. Call only on AVX2 CPUs.
void md5_x8_avx2(const Md5Lane (&lanes)[kMd5Lanes], std::uint32_t (&state)[4][kMd5Lanes]);

}  // namespace engine::aws
