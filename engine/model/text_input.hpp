// Helpers shared by the text readers (MatrixMarket, Graph Challenge TSV): whole-file loading,
// line iteration with 1-based line numbers, strict number parsing, and CSR assembly that rejects
// duplicate entries. Every failure is an engine::InputError "path:line: problem".
// Stateless functions and small value types; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/network.hpp"

namespace engine::text {

// The whole file; InputError if it cannot be opened or read.
std::string read_file(const std::string& path);

// Iterates the lines of a buffer; line() is the 1-based number of the line last returned.
class LineReader {
 public:
  explicit LineReader(std::string_view buffer) : rest_(buffer) {}
  bool next(std::string_view& line);  // false at the end; strips "\n" and "\r\n"
  std::size_t line() const { return line_; }
  bool ended_with_newline() const { return ended_with_newline_; }

 private:
  std::string_view rest_;
  std::size_t line_ = 0;
  bool ended_with_newline_ = true;
};

// Splits on spaces and tabs into at most max_tokens tokens; returns how many were found (a count
// above max_tokens means "more than max_tokens").
std::size_t split(std::string_view line, std::string_view* tokens, std::size_t max_tokens);

bool parse_int(std::string_view token, std::int64_t& value);  // whole token, base 10
bool parse_float(std::string_view token, double& value);      // whole token, finite

struct Entry {
  std::int32_t row, col;  // 0-based
  float value;
};

// CSR of a rows×cols matrix from entries in any order. Duplicate (row, col) → InputError naming
// path and the 1-based coordinates (the line is no longer known at this point).
SparseMatrix build_csr(const std::string& path, std::int64_t rows, std::int64_t cols, std::vector<Entry>& entries);

}  // namespace engine::text
