#include "cli/sweep/progress.hpp"

#include <unistd.h>

#include <cmath>

namespace cli::sweep {

std::string format_duration(double seconds) {
  char buf[32];
  const long s = std::lround(std::max(0.0, seconds));
  if (s < 60)
    std::snprintf(buf, sizeof buf, "%lds", s);
  else if (s < 3600)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  return buf;
}

Progress::Progress(std::size_t total, std::string label)
    : Progress(total, std::move(label), ::isatty(STDERR_FILENO) == 1, stderr) {}

Progress::Progress(std::size_t total, std::string label, bool enabled, std::FILE* out)
    : total_(total),
      label_(std::move(label)),
      enabled_(enabled),
      out_(out),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

std::string Progress::render(std::size_t done, double elapsed_s) const {
  constexpr int kWidth = 30;
  const double frac = total_ ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  const int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::string eta = "ETA --";
  if (done > 0 && done < total_)
    eta = "ETA " + format_duration(elapsed_s * static_cast<double>(total_ - done) / static_cast<double>(done));
  else if (done >= total_)
    eta = "took " + format_duration(elapsed_s);
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s [%s] %zu/%zu %5.1f%% %s", label_.c_str(), bar.c_str(), done, total_, 100.0 * frac,
                eta.c_str());
  return buf;
}

void Progress::draw() {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(out_, "\r%s\033[K", render(done_, elapsed).c_str());  // \033[K clears a longer old line
  std::fflush(out_);
  drawn_ = true;
}

void Progress::update(std::size_t done) {
  done_ = done;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw();
}

void Progress::finish() {
  if (!enabled_) return;
  draw();
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace cli::sweep
