// ServiceCalibration::service_jitter_s: every request to the endpoint waits service_time_s plus an
// exponential delay of that mean. 4000 back-to-back GETs of an empty object (round calibration,
// sim_fixture.hpp: 2 × (1 + 15) ms legs + 25 ms service) against the exponential law: the extra
// is never negative, its mean is the configured 50 ms, and its tail P(X > t) = exp(−t / mean).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/runtime.hpp"
#include "sim/services/sim_object_store.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

TEST_CASE("service jitter: GET times are the fixed round trip plus Exp(mean 50 ms)") {
  auto cal = simtest::round_calibration();
  cal.s3_get.service_jitter_s = 0.05;
  sim::Simulation s(cal, {.function_hosts = 1});
  std::vector<double> extra;
  s.run([&] {
    auto& rt = s.runtime();
    REQUIRE(s.objects().create_bucket("b"));
    REQUIRE(s.objects().put("b", "k", ""));
    for (int i = 0; i < 4000; ++i) {
      const double t0 = rt.now_s();
      REQUIRE(s.objects().get("b", "k"));
      extra.push_back(rt.now_s() - t0 - (2 * (0.001 + 0.015) + 0.025));
    }
  });
  REQUIRE(extra.size() == 4000);
  CHECK(*std::min_element(extra.begin(), extra.end()) >= -1e-9);
  double mean = 0;
  for (double x : extra) mean += x / extra.size();
  CHECK(mean == doctest::Approx(0.05).epsilon(0.05));  // standard error 0.8 ms
  // Exponential tail: 10% above mean × ln 10, 1% above mean × ln 100 (a uniform or normal delay of
  // the same mean would give 0% and ≈ 0%).
  const auto above = [&](double t) {
    return std::count_if(extra.begin(), extra.end(), [t](double x) { return x > t; }) / 4000.0;
  };
  CHECK(above(0.05 * std::log(10.0)) == doctest::Approx(0.10).epsilon(0.2));
  CHECK(above(0.05 * std::log(100.0)) == doctest::Approx(0.01).epsilon(0.5));
}
