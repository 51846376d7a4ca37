#include "sim/workload/csv.hpp"

#include <charconv>
#include <cmath>

#include "engine/common/input_error.hpp"

namespace workload {

bool CsvLines::next() {
  while (std::getline(in_, buffer_)) {
    ++line_;
    if (!buffer_.empty() && buffer_.back() == '\r') buffer_.pop_back();
    if (buffer_.empty()) continue;
    fields_.clear();
    std::string_view rest(buffer_);
    for (;;) {
      const std::size_t comma = rest.find(',');
      fields_.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return true;
  }
  if (in_.bad()) fail("read error");
  return false;
}

void CsvLines::fail(const std::string& what) const { throw engine::InputError(path_, line_, what); }

std::uint64_t CsvLines::count(std::size_t i, std::string_view name) const {
  const std::string_view f = fields_.at(i);
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || end != f.data() + f.size())
    fail("column '" + std::string(name) + "': expected a non-negative integer, got '" + std::string(f) + "'");
  return v;
}

double CsvLines::number(std::size_t i, std::string_view name) const {
  const std::string_view f = fields_.at(i);
  double v = 0;
  const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
  if (f.empty() || ec != std::errc() || end != f.data() + f.size() || !std::isfinite(v) || v < 0)
    fail("column '" + std::string(name) + "': expected a non-negative number, got '" + std::string(f) + "'");
  return v;
}

std::string CsvLines::text(std::size_t i, std::string_view name) const {
  const std::string_view f = fields_.at(i);
  if (f.empty()) fail("column '" + std::string(name) + "': empty");
  return std::string(f);
}

}  // namespace workload
