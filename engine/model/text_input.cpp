#include "engine/model/text_input.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "engine/common/input_error.hpp"

namespace engine::text {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, 0, "read error");
  return std::move(buffer).str();
}

bool LineReader::next(std::string_view& line) {
  if (rest_.empty()) return false;
  const std::size_t end = rest_.find('\n');
  ++line_;
  if (end == std::string_view::npos) {
    line = rest_;
    rest_ = {};
    ended_with_newline_ = false;
  } else {
    line = rest_.substr(0, end);
    rest_.remove_prefix(end + 1);
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

std::size_t split(std::string_view line, std::string_view* tokens, std::size_t max_tokens) {
  std::size_t n = 0, i = 0;
  while (true) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) return n;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (n == max_tokens) return n + 1;
    tokens[n++] = line.substr(i, j - i);
    i = j;
  }
}

bool parse_int(std::string_view token, std::int64_t& value) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  return ec == std::errc() && end == token.data() + token.size() && !token.empty();
}

bool parse_float(std::string_view token, double& value) {
  if (!token.empty() && token.front() == '+') token.remove_prefix(1);
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), value);
  return ec == std::errc() && end == token.data() + token.size() && !token.empty() && std::isfinite(value);
}

SparseMatrix build_csr(const std::string& path, std::int64_t rows, std::int64_t cols, std::vector<Entry>& entries) {
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; });
  for (std::size_t i = 1; i < entries.size(); ++i)
    if (entries[i].row == entries[i - 1].row && entries[i].col == entries[i - 1].col)
      throw InputError(path, 0,
                       "duplicate entry (" + std::to_string(entries[i].row + 1) + ", " +
                           std::to_string(entries[i].col + 1) + ")");
  SparseMatrix m(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols));
  m.resizeNonZeros(static_cast<Eigen::Index>(entries.size()));
  std::int32_t* outer = m.outerIndexPtr();
  std::fill(outer, outer + rows + 1, 0);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    ++outer[entries[i].row + 1];
    m.innerIndexPtr()[i] = entries[i].col;
    m.valuePtr()[i] = entries[i].value;
  }
  for (std::int64_t r = 0; r < rows; ++r) outer[r + 1] += outer[r];
  return m;
}

}  // namespace engine::text
