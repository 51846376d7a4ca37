// Strict CSV line reading for the workload readers: plain comma-separated fields (the Azure
// Functions 2019 trace has no quoting), numbers parsed whole or not at all. Every failure is an
// engine::InputError naming "path:line: problem". Stateless apart from the stream: thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace workload {

// Reads lines from a stream, counting them (1-based) for error messages; strips a trailing '\r'.
class CsvLines {
 public:
  CsvLines(std::istream& in, std::string path) : in_(in), path_(std::move(path)) {}

  // Next non-empty line split at commas into fields(); false at end of file.
  bool next();
  const std::vector<std::string_view>& fields() const { return fields_; }
  std::size_t line() const { return line_; }
  const std::string& path() const { return path_; }

  // Typed access to field i, throwing "path:line: column 'name': expected ..., got '...'".
  std::uint64_t count(std::size_t i, std::string_view name) const;  // a non-negative integer
  double number(std::size_t i, std::string_view name) const;        // a finite number ≥ 0
  std::string text(std::size_t i, std::string_view name) const;     // non-empty
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::istream& in_;
  std::string path_;
  std::string buffer_;
  std::vector<std::string_view> fields_;
  std::size_t line_ = 0;
};

}  // namespace workload
