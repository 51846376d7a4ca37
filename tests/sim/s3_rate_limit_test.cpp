// S3's request rate limit in SimObjectStore: a token bucket per bucket and request class, and the
// published worker's spread of objects over object_buckets scopes. Round calibration
// (sim_fixture.hpp) with the PUT class limited to 10 requests per second and a burst of 1: NIC 1 ms,
// PUT endpoint 20 ms one way and 30 ms of service. A 0-byte PUT therefore takes
// 2 × (0.001 + 0.020) + 0.030 = 0.072 s, a throttled one its round trip, 0.042 s, and it reaches
// the endpoint 0.021 s after it starts. Retries use the engine's RetryPolicy (0.05 s first backoff).
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "engine/channel/retry.hpp"
#include "sim/runtime.hpp"
#include "sim/services/sim_object_store.hpp"
#include "sim/simulation.hpp"
#include "sim_fixture.hpp"

using doctest::Approx;

namespace {
sim::Calibration limited_calibration() {
  auto cal = simtest::round_calibration();
  cal.s3_put.requests_per_s = 10;
  cal.s3_put.burst_requests = 1;
  return cal;
}

struct Outcome {
  double elapsed_s = -1;
  std::int64_t retries = 0;
  std::int64_t throttles = 0;
};

// Three 0-byte PUTs one after another, each retried on SlowDown, to (bucket, key) in turn.
Outcome three_puts(sim::Calibration cal, sim::WorkerKind worker,
                   const std::vector<std::pair<std::string, std::string>>& targets) {
  sim::Simulation s(cal, {.function_hosts = 1, .worker = worker});
  for (const auto& [bucket, key] : targets) REQUIRE(s.objects().create_bucket(bucket));
  Outcome out;
  s.run([&] {
    auto& rt = s.runtime();
    const double t0 = rt.now_s();
    for (const auto& [bucket, key] : targets)
      REQUIRE(engine::with_retry(rt, engine::RetryPolicy{}, &out.retries,
                                 [&] { return s.objects().put(bucket, key, ""); }));
    out.elapsed_s = rt.now_s() - t0;
  });
  out.throttles = s.stats().throttles;
  return out;
}

// FNV-1a 64 of a key's folder modulo n: the scope SimObjectStore documents, re-derived here.
int scope_of(const std::string& folder, int n) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char ch : folder) h = (h ^ ch) * 1099511628211ull;
  return static_cast<int>(h % static_cast<std::uint64_t>(n));
}
}  // namespace

TEST_CASE("s3 rate limit: one bucket throttles back-to-back PUTs, the retries take the hand-derived time") {
  // PUT 1 arrives at 0.021 (token 1 → 0) and ends at 0.072. PUT 2 arrives at 0.093 with
  // 0.072 × 10 = 0.72 tokens: SlowDown, back at 0.114, sleeps 0.05, arrives again at 0.185 with
  // 0.72 + 0.92 → 1 (the burst): ends at 0.236. PUT 3 repeats it from there: 0.236 + 0.164 = 0.400.
  const auto out = three_puts(limited_calibration(), sim::WorkerKind::kFsd, {{"a", "x/1"}, {"a", "x/2"}, {"a", "x/3"}});
  CHECK(out.elapsed_s == Approx(0.400).epsilon(1e-6));
  CHECK(out.retries == 2);
  CHECK(out.throttles == 2);
}

TEST_CASE("s3 rate limit: each bucket has its own, alternating two buckets is never throttled") {
  // a, b, a: PUT 2 takes b's full bucket; PUT 3 reaches a at 0.165 with 1.44 → 1 token.
  // 3 × 0.072 = 0.216 s. A single account-wide limit would throttle as the test above does.
  const auto out = three_puts(limited_calibration(), sim::WorkerKind::kFsd, {{"a", "x/1"}, {"b", "x/2"}, {"a", "x/3"}});
  CHECK(out.elapsed_s == Approx(0.216).epsilon(1e-6));
  CHECK(out.retries == 0);
  CHECK(out.throttles == 0);
}

TEST_CASE("s3 rate limit: GETs and LISTs have their own class, not the PUTs' tokens") {
  auto cal = limited_calibration();
  cal.s3_put.requests_per_s = 1;  // a token per second: none is back within this test's 0.3 s
  sim::Simulation s(cal, {.function_hosts = 1});
  REQUIRE(s.objects().create_bucket("a"));
  s.run([&] {
    REQUIRE(s.objects().put("a", "x/1", "v"));  // the PUT class's only token
    CHECK(s.objects().get("a", "x/1"));
    CHECK(s.objects().list("a", "x/"));
    auto again = s.objects().put("a", "x/2", "v");
    REQUIRE_FALSE(again);
    CHECK(again.error().code == engine::ErrorCode::kUnavailable);
  });
  CHECK(s.stats().throttles == 1);
}

// object_buckets = 10 (S3_BUCKET_MODULO): folders in different scopes behave as two buckets
// (0.216 s), folders in the same scope as one (0.400 s), whatever the bucket name says. The folders
// are chosen with the test's own FNV-1a (one simulation per process, so one case each).
namespace {
const std::string kFolder = "runs/r/L000001/T000000";
std::string folder_with_scope(bool same) {
  for (int t = 1; t < 1000; ++t) {
    char g[32];
    std::snprintf(g, sizeof g, "runs/r/L000001/T%06d", t);
    if ((scope_of(g, 10) == scope_of(kFolder, 10)) == same) return g;
  }
  FAIL("no folder found");
  return "";
}
sim::Calibration spread_calibration() {
  auto cal = limited_calibration();
  cal.python.object_buckets = 10;
  return cal;
}
}  // namespace

TEST_CASE("s3 rate limit: object_buckets = 10, folders in two scopes act as two buckets") {
  const std::string other = folder_with_scope(false);
  const auto out = three_puts(spread_calibration(), sim::WorkerKind::kPython,
                              {{"a", kFolder + "/S1"}, {"a", other + "/S1"}, {"a", kFolder + "/S2"}});
  CHECK(out.elapsed_s == Approx(0.216).epsilon(1e-6));
  CHECK(out.throttles == 0);
}

TEST_CASE("s3 rate limit: object_buckets = 10, folders in one scope share its tokens") {
  const std::string same = folder_with_scope(true);
  const auto out = three_puts(spread_calibration(), sim::WorkerKind::kPython,
                              {{"a", kFolder + "/S1"}, {"a", same + "/S1"}, {"a", kFolder + "/S2"}});
  CHECK(out.elapsed_s == Approx(0.400).epsilon(1e-6));
  CHECK(out.throttles == 2);
}

TEST_CASE("s3 rate limit: our worker (object_buckets = 1) keeps one scope per bucket, folders or not") {
  const std::string other = folder_with_scope(false);
  const auto out = three_puts(spread_calibration(), sim::WorkerKind::kFsd,
                              {{"a", kFolder + "/S1"}, {"a", other + "/S1"}, {"a", kFolder + "/S2"}});
  CHECK(out.elapsed_s == Approx(0.400).epsilon(1e-6));
  CHECK(out.throttles == 2);
}
