// compare(): one published point against the run record of its simulation — the rows `fsd
// validate` prints and writes to validate.csv: per-worker batch time, then the variant's counts.
//
// Simulated batch time = the mean over workers of (end − start) of their invocation, as the
// published per-worker time is the sum over workers / workers. Issue 6's targets apply to the
// four target points only: batch time within 15%, each request count within 10%; bytes and every
// other point are information (tolerance 0, always ok). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "cli/validate/published_points.hpp"
#include "engine/worker/run_record.hpp"

namespace cli::validate {

inline constexpr double kTimeTolerance = 0.15;   // issue 6: batch time within 15%
inline constexpr double kCountTolerance = 0.10;  // issue 6: each request count within 10%

struct ComparisonRow {
  std::string quantity;  // "batch time s" or a PublishedCount::quantity
  double measured = 0, simulated = 0;
  double error = 0;      // (simulated − measured) / measured
  double tolerance = 0;  // 0: information, not a target
  bool ok = true;        // |error| <= tolerance (always true for information)
};

// The record's value of a published count (throws std::logic_error for an unknown quantity: a bug).
double simulated_count(const engine::RunRecord& record, const std::string& quantity);

std::vector<ComparisonRow> compare(const PublishedPoint& point, const engine::RunRecord& record);

}  // namespace cli::validate
