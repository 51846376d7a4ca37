// Shared setup of the channel tests: a metered memory cloud and helpers to make blocks.
#pragma once

#include <cstdio>
#include <random>

#include "engine/channel/object_channel.hpp"
#include "engine/channel/queue_channel.hpp"
#include "engine/cloud/memory/memory_cloud.hpp"
#include "engine/cloud/meter.hpp"

namespace chfix {

inline engine::RetryPolicy fast_retry() {
  engine::RetryPolicy r;
  r.initial_backoff_s = 0.0005;
  r.max_attempts = 40;
  r.receive_timeout_s = 2;
  return r;
}

// Rows of random activations: hard to compress (random images and values), `rows` rows.
inline engine::RowBlock noisy_block(int first_neuron, int rows, int images, double density, std::uint64_t seed) {
  std::printf("noisy_block seed %llu\n", static_cast<unsigned long long>(seed));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  engine::RowBlock b;
  for (int r = 0; r < rows; ++r) {
    b.add_row(first_neuron + r);
    for (int img = 0; img < images; ++img)
      if (u(rng) < density) b.add_value(img, static_cast<float>(0.01 + u(rng) * 31));
  }
  return b;
}

inline engine::RowBlock small_block(int neuron) {
  engine::RowBlock b;
  b.add_row(neuron);
  b.add_value(0, 1.5f);
  b.add_value(3, 32.0f);
  return b;
}

}  // namespace chfix
