// Progress: a one-line progress bar with rate and ETA on stderr, redrawn in place at most ten
// times a second, shown only when stderr is a terminal (a log file or a pipe gets nothing).
//
//   Progress bar(total, "sweep");   bar.update(done);   …   bar.finish();
//
// ETA = remaining × elapsed / done (the rate so far). Not thread-safe: call from one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

namespace cli::sweep {

class Progress {
 public:
  // enabled defaults to "stderr is a terminal".
  Progress(std::size_t total, std::string label);
  Progress(std::size_t total, std::string label, bool enabled, std::FILE* out);
  void update(std::size_t done);
  void finish();  // draws the final state and ends the line
  // The text drawn for `done` after `elapsed_s` (exposed for tests).
  std::string render(std::size_t done, double elapsed_s) const;

 private:
  std::size_t total_;
  std::string label_;
  bool enabled_;
  std::FILE* out_;
  std::size_t done_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool drawn_ = false;
  void draw();
};

std::string format_duration(double seconds);  // "42s", "3m07s", "2h05m"

}  // namespace cli::sweep
