// REINFORCE on a toy where the answer is known. Each second two functions (images A and B) arrive
// 50 ms apart, A first in even seconds and B first in odd ones; a server fits one container and
// caches one image, and every container ends before the next second. First fit puts the first
// arrival on server 0 and the second on server 1, so with the order alternating every cold start
// after the first two downloads a whole image; a policy that sends each image to the server caching
// it downloads nothing after the first two. Training must find that, seeded.
#include "sim/provider/reinforce.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <stdexcept>

#include "sim/provider/hybrid_allocator.hpp"

using namespace provider;

namespace {
Scenario toy() {
  Scenario s;
  s.catalog = std::make_unique<ImageCatalog>(1000);
  std::vector<BlockId> a, b;
  for (BlockId i = 0; i < 20; ++i) {
    a.push_back(100 + i);
    b.push_back(200 + i);
  }
  const int ia = s.catalog->add({"a", a});
  const int ib = s.catalog->add({"b", b});
  s.servers.assign(3, ServerSpec{4000, 1000, 1e6, 20});  // 20 ms per full image
  s.functions = {{ia, ia, 600}, {ib, ib, 600}};
  for (int i = 0; i < 60; ++i) {
    s.invocations.push_back({double(i), i % 2, 0.3});
    s.invocations.push_back({i + 0.05, 1 - i % 2, 0.3});
  }
  s.params.container_start_s = 0.1;
  s.params.keep_alive_s = 0.2;
  return s;
}

double mean_download(const Scenario& s, PlacementPolicy& p) {
  Cluster cluster(s.servers, *s.catalog);
  return simulate_schedule(cluster, p, s.functions, s.invocations, s.params).mean_download_s;
}
}  // namespace

TEST_CASE("reinforce: REINFORCE learns to place images where their blocks are cached") {
  const Scenario s = toy();
  TrainingSettings settings;
  settings.episodes = 25;
  settings.hidden = 8;
  settings.learning_rate = 0.2;
  settings.reward = {0.0, 0.01};
  settings.seed = 5;
  std::printf("seed %llu\n", static_cast<unsigned long long>(settings.seed));
  const PolicyNetwork net = train_policy(settings, [&](int) -> const Scenario& { return s; });

  FirstFit first_fit;
  CHECK(mean_download(s, first_fit) == doctest::Approx(0.02));  // every cold start: 20 blocks, 1 ms each
  LearnedPolicy learned(net);
  CHECK(mean_download(s, learned) == doctest::Approx(0.02 * 2 / 120));  // only the first two download
  // The network it started from (train_policy initialises from the same seed) did not know this.
  LearnedPolicy untrained(PolicyNetwork(kCandidateFeatures, settings.hidden, settings.seed));
  CHECK(mean_download(s, untrained) > 0.01);

  // Deterministic: the same settings train the same weights.
  CHECK(train_policy(settings, [&](int) -> const Scenario& { return s; }) == net);
}
