#include "engine/model/network.hpp"

#include <stdexcept>
#include <string>

namespace engine {

float graph_challenge_bias(int neurons) {
  switch (neurons) {
    case 1024: return -0.30f;
    case 4096: return -0.35f;
    case 16384: return -0.40f;
    case 65536: return -0.45f;
  }
  throw std::invalid_argument("graph_challenge_bias(): no challenge bias for N = " + std::to_string(neurons));
}

}  // namespace engine
