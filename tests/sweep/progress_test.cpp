// Progress bar text: fraction, counts, and ETA = remaining × elapsed / done.
#include "cli/sweep/progress.hpp"

#include <doctest/doctest.h>

#include <cstdio>

using cli::sweep::format_duration;
using cli::sweep::Progress;

TEST_CASE("progress: bar, counts and ETA from the rate so far") {
  const Progress bar(200, "sweep x", false, stderr);
  // 50 of 200 after 10 s: 150 left at 5 per second → 30 s.
  CHECK(bar.render(50, 10.0) == "sweep x [#######.......................] 50/200  25.0% ETA 30s");
  CHECK(bar.render(0, 0.0) == "sweep x [..............................] 0/200   0.0% ETA --");
  CHECK(bar.render(200, 125.0) == "sweep x [##############################] 200/200 100.0% took 2m05s");
  CHECK(format_duration(59.4) == "59s");
  CHECK(format_duration(3600 * 2 + 5 * 60 + 7) == "2h05m");
}
