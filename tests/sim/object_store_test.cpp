// SimObjectStore: put/get/list semantics and timing. Round calibration (sim_fixture.hpp):
// NIC 1 ms / 100 MB/s; PUT 20 ms, 30 ms service, 20 MB/s; GET 15 ms, 25 ms, 30 MB/s;
// LIST 10 ms, 20 ms, 10 MB/s.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/sim_object_store.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;
using engine::ErrorCode;

TEST_CASE("put then get of 1 MB: latency both ways, bytes over the slower link, service time") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto& st = s.objects();
  REQUIRE(st.create_bucket("b"));
  double put_s = -1, get_s = -1;
  std::string got;
  s.run([&] {
    auto& rt = s.runtime();
    const std::string object(1000000, 'a');
    double t0 = rt.now_s();
    REQUIRE(st.put("b", "k", object));
    put_s = rt.now_s() - t0;
    t0 = rt.now_s();
    auto r = st.get("b", "k");
    REQUIRE(r);
    got = *r;
    get_s = rt.now_s() - t0;
  });
  CHECK(put_s == Approx(2 * (0.001 + 0.020) + 1e6 / 20e6 + 0.030).epsilon(1e-6));
  CHECK(get_s == Approx(2 * (0.001 + 0.015) + 1e6 / 30e6 + 0.025).epsilon(1e-6));
  CHECK(got == std::string(1000000, 'a'));
}

TEST_CASE("parallel GETs on one instance share its network link") {
  auto cal = simtest::round_calibration();
  cal.s3_get = simtest::service(0.015, 0.025, 1e9);  // the endpoint is no bottleneck: the NIC is
  sim::Simulation s(cal, {.function_hosts = 1});
  auto& st = s.objects();
  REQUIRE(st.create_bucket("b"));
  double both_s = -1;
  s.run([&] {
    auto& rt = s.runtime();
    REQUIRE(st.put("b", "x", std::string(1000000, 'x')));
    REQUIRE(st.put("b", "y", std::string(1000000, 'y')));
    const double t0 = rt.now_s();
    auto a = rt.spawn("get-x", [&] { REQUIRE(st.get("b", "x")); });
    auto b = rt.spawn("get-y", [&] { REQUIRE(st.get("b", "y")); });
    a->join();
    b->join();
    both_s = rt.now_s() - t0;
  });
  // 2 MB through the 100 MB/s NIC together: 20 ms, plus the latencies and the service time.
  CHECK(both_s == Approx(2 * (0.001 + 0.015) + 2e6 / 100e6 + 0.025).epsilon(1e-6));
}

TEST_CASE("list pages in key order under a prefix, with continuation tokens") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto& st = s.objects();
  REQUIRE(st.create_bucket("b"));
  s.run([&] {
    for (const char* k : {"run/l1/s0", "run/l1/s2", "run/l1/s1", "run/l2/s0", "other/x", "run/l1/s3", "run/l1/s4"})
      REQUIRE(st.put("b", k, std::string(7, 'z')));
    std::vector<std::string> keys;
    std::string token;
    int pages = 0;
    do {
      auto page = st.list("b", "run/l1/", token, 2);
      REQUIRE(page);
      ++pages;
      for (std::size_t i = 0; i < page->keys.size(); ++i) {
        keys.push_back(page->keys[i]);
        CHECK(page->sizes[i] == 7);
      }
      token = page->next_token;
    } while (!token.empty());
    CHECK(pages == 3);
    CHECK(keys == std::vector<std::string>{"run/l1/s0", "run/l1/s1", "run/l1/s2", "run/l1/s3", "run/l1/s4"});
    const std::vector<std::string> gone{"run/l1/s0", "run/l1/none"};
    REQUIRE(st.delete_objects("b", gone));
    CHECK(st.list("b", "run/l1/")->keys.size() == 4);
  });
}

TEST_CASE("missing key, missing bucket and bad max_keys are errors, not crashes") {
  sim::Simulation s(simtest::round_calibration(), {.function_hosts = 1});
  auto& st = s.objects();
  REQUIRE(st.create_bucket("b"));
  s.run([&] {
    auto g = st.get("b", "nope");
    REQUIRE_FALSE(g);
    CHECK(g.error().code == ErrorCode::kNotFound);
    auto p = st.put("nobucket", "k", "v");
    REQUIRE_FALSE(p);
    CHECK(p.error().code == ErrorCode::kNotFound);
    auto l = st.list("b", "", "", 0);
    REQUIRE_FALSE(l);
    CHECK(l.error().code == ErrorCode::kInvalidInput);
  });
}
