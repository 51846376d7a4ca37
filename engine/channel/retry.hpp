// Retrying cloud calls: exponential backoff on retryable errors (kUnavailable, kDeadline),
// sleeping through the Runtime so simulated time advances in sim. Deterministic (no jitter: the
// memory and sim backends must replay; AWS clients add their own jitter below this layer).
#pragma once

#include <algorithm>
#include <cstdint>

#include "engine/cloud/runtime.hpp"
#include "engine/common/result.hpp"

namespace engine {

struct RetryPolicy {
  int max_attempts = 12;            // per call, including the first
  double initial_backoff_s = 0.05;  // doubled after each failure ...
  double max_backoff_s = 2.0;       // ... up to this
  double receive_timeout_s = 900;   // receive() without progress for this long → kDeadline
};

// Calls fn() until it succeeds, fails with a non-retryable error, or max_attempts are used up.
// Counts retries into *retries (may be null).
template <class F>
auto with_retry(cloud::Runtime& runtime, const RetryPolicy& policy, std::int64_t* retries, F&& fn) -> decltype(fn()) {
  double backoff_s = policy.initial_backoff_s;
  for (int attempt = 1;; ++attempt) {
    auto r = fn();
    if (r || !r.error().retryable() || attempt >= policy.max_attempts) return r;
    if (retries) ++*retries;
    runtime.sleep_s(backoff_s);
    backoff_s = std::min(2 * backoff_s, policy.max_backoff_s);
  }
}

}  // namespace engine
