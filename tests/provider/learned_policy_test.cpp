// The learned optimizer and the hybrid allocator with a hand-set network (score = tanh(cached
// share)), so every choice is known; the policy gradient against finite differences; weight files.
#include <doctest/doctest.h>

#include "scratch.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "engine/common/input_error.hpp"
#include "sim/provider/hybrid_allocator.hpp"

using namespace provider;

namespace {
std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = fsd_test::scratch("provider-test-" + name);
  std::ofstream(path) << text;
  return path;
}

// features 4 hidden 1: h = tanh(cached share), score = h.
PolicyNetwork cache_loving_network() {
  return PolicyNetwork::load(
      write_file("cache.weights", "fsd-provider-policy 1\nfeatures 4 hidden 1\n0 0 1 0\n0\n1\n"));
}

struct Fixture {
  ImageCatalog catalog{1000};
  std::unique_ptr<Cluster> cluster;
  Fixture() {
    catalog.add({"a", {1, 2}});
    cluster = std::make_unique<Cluster>(std::vector<ServerSpec>(3, ServerSpec{4000, 1000, 1e6, 4}), catalog);
    cluster->server(1).cache().touch(1);
    cluster->server(1).cache().touch(2);  // S1 holds the whole image; S0, S2 nothing
  }
};
}  // namespace

TEST_CASE("learned_policy: candidate features are the free shares, cached share and open flag") {
  Fixture f;
  f.cluster->start(0, {1000, 250});
  Eigen::MatrixXd x;
  std::vector<int> servers;
  candidate_features(*f.cluster, {0, {100, 800}}, x, servers);
  CHECK(servers == std::vector<int>{1, 2});  // S0 has 750 MB free: masked
  CHECK(x(0, 0) == 1.0);
  CHECK(x(0, 2) == 1.0);
  CHECK(x(1, 2) == 0.0);
  candidate_features(*f.cluster, {0, {100, 100}}, x, servers);
  CHECK(x(0, 0) == doctest::Approx(0.75));
  CHECK(x(0, 1) == doctest::Approx(0.75));
  CHECK(x(0, 3) == 1.0);
  CHECK(x(1, 3) == 0.0);
}

TEST_CASE("learned_policy: hybrid takes the learned choice only when it opens no extra server") {
  Fixture f;
  auto learned = std::make_unique<LearnedPolicy>(cache_loving_network());
  LearnedPolicy* l = learned.get();
  l->start_recording({2.0, 0.7});
  HybridAllocator hybrid(std::make_unique<FirstFit>(), std::move(learned));
  const PlacementRequest req{0, {100, 100}};
  // All closed: greedy S0 opens a server too, so the learned S1 (cached) is valid.
  CHECK(hybrid.choose(*f.cluster, req) == 1);
  hybrid.on_outcome({true, 0.5});
  // S0 open, S1 closed: greedy S0 opens nothing, learned S1 would: rejected, greedy used.
  f.cluster->start(0, {100, 100});
  CHECK(hybrid.choose(*f.cluster, req) == 0);
  hybrid.on_outcome({false, 0.502});
  // S1 open as well: learned S1 valid again.
  f.cluster->start(1, {100, 100});
  CHECK(hybrid.choose(*f.cluster, req) == 1);
  hybrid.on_outcome({false, 0.25});
  CHECK(hybrid.learned_choice_share() == doctest::Approx(2.0 / 3));
  const auto steps = l->take_steps();
  REQUIRE(steps.size() == 3);
  CHECK(steps[0].reward == doctest::Approx(-0.5 - 2.0));  // used, opened a server
  CHECK(steps[1].reward == doctest::Approx(-0.7));        // rejected
  CHECK(steps[2].reward == doctest::Approx(-0.25));       // used
  // Nothing fits: both say no.
  CHECK(hybrid.choose(*f.cluster, {0, {100, 5000}}) == std::nullopt);
}

TEST_CASE("learned_policy: gradient of log pi matches finite differences") {
  const std::uint64_t seed = 7;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  PolicyNetwork net(4, 3, seed);
  Eigen::MatrixXd x(5, 4);
  for (int i = 0; i < x.size(); ++i) x.data()[i] = std::sin(1.7 * i + 0.3);  // fixed, varied inputs
  auto log_pi = [&](PolicyNetwork& n, int a) {
    const Eigen::VectorXd s = n.scores(x);
    return s[a] - std::log((s.array() - s.maxCoeff()).exp().sum()) - s.maxCoeff();
  };
  const int chosen = 2;
  net.scores(x);
  const Eigen::VectorXd g = net.log_prob_gradient(x, chosen);
  REQUIRE(g.size() == 4 * 3 + 3 + 3);
  const double h = 1e-6;
  for (Eigen::Index k = 0; k < g.size(); ++k) {
    Eigen::VectorXd e = Eigen::VectorXd::Zero(g.size());
    e[k] = h;
    PolicyNetwork plus = net, minus = net;
    plus.apply(e);
    minus.apply(-e);
    const double numeric = (log_pi(plus, chosen) - log_pi(minus, chosen)) / (2 * h);
    CHECK(g[k] == doctest::Approx(numeric).epsilon(1e-5));
  }
}

TEST_CASE("learned_policy: sampling follows the softmax, seeded") {
  Fixture f;
  // Scores tanh(1) = 0.7616 for S1, 0 for S0 and S2: π(S1) = e^0.7616 / (e^0.7616 + 2) = 0.5166.
  LearnedPolicy sampler(cache_loving_network(), LearnedPolicy::Mode::kSample, 3);
  int s1 = 0;
  const int n = 4000;
  for (int i = 0; i < n; ++i) s1 += sampler.choose(*f.cluster, {0, {100, 100}}) == 1;
  const double expected = std::exp(std::tanh(1.0)) / (std::exp(std::tanh(1.0)) + 2);
  CHECK(double(s1) / n == doctest::Approx(expected).epsilon(0.05));
  LearnedPolicy greedy(cache_loving_network());
  CHECK(greedy.choose(*f.cluster, {0, {100, 100}}) == 1);
}

TEST_CASE("learned_policy: policy weights survive a save and load exactly") {
  PolicyNetwork net(4, 5, 11);
  const std::string path = fsd_test::scratch("provider-test-roundtrip.weights");
  net.save(path);
  CHECK(PolicyNetwork::load(path) == net);
  CHECK_FALSE(PolicyNetwork(4, 5, 12) == net);
}

TEST_CASE("learned_policy: bad weight files are rejected with file and line") {
  auto message = [](const std::string& text) {
    const std::string path = write_file("bad.weights", text);
    try {
      PolicyNetwork::load(path);
    } catch (const engine::InputError& e) {
      return std::string(e.what()).substr(path.size());
    }
    return std::string("accepted");
  };
  CHECK(message("fsd-provider-policy 2\n").rfind(":1: ", 0) == 0);
  CHECK(message("fsd-provider-policy 1\nfeatures 4 hidden x\n").rfind(":2: ", 0) == 0);
  CHECK(message("fsd-provider-policy 1\nfeatures 4 hidden 1\n0 0 1\n0\n1\n").rfind(":3: expected 4 numbers", 0) == 0);
  CHECK(message("fsd-provider-policy 1\nfeatures 4 hidden 1\n0 0 1 nan\n0\n1\n").rfind(":3: ", 0) == 0);
  CHECK(message("fsd-provider-policy 1\nfeatures 4 hidden 1\n0 0 1 0\n0\n").rfind(":5: unexpected end", 0) == 0);
  CHECK(message("fsd-provider-policy 1\nfeatures 4 hidden 1\n0 0 1 0\n0\n1\n2\n").rfind(":6: ", 0) == 0);
  CHECK(message("fsd-provider-policy 1\nfeatures 4 hidden 1\n0 0 1 0x\n0\n1\n").rfind(":3: ", 0) == 0);
  CHECK_THROWS_AS(PolicyNetwork::load("/nonexistent/provider.weights"), engine::InputError);
  // A network for another feature count cannot drive the learned policy.
  CHECK_THROWS_AS(LearnedPolicy(PolicyNetwork(3, 2, 1)), std::invalid_argument);
}
