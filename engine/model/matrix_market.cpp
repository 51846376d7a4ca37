#include "engine/model/matrix_market.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "engine/common/input_error.hpp"
#include "engine/model/text_input.hpp"

namespace engine {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

SparseMatrix read_matrix_market(const std::string& path) {
  const std::string buffer = text::read_file(path);
  if (buffer.empty()) throw InputError(path, 0, "empty file");
  text::LineReader lines(buffer);
  std::string_view line, tok[6];

  // Banner: %%MatrixMarket matrix coordinate <field> <symmetry>
  lines.next(line);
  if (text::split(line, tok, 5) != 5 || lower(tok[0]) != "%%matrixmarket" || lower(tok[1]) != "matrix")
    throw InputError(path, lines.line(), "expected '%%MatrixMarket matrix coordinate <field> <symmetry>'");
  if (lower(tok[2]) != "coordinate")
    throw InputError(path, lines.line(), "only the coordinate format is supported, got '" + std::string(tok[2]) + "'");
  const std::string field = lower(tok[3]), symmetry = lower(tok[4]);
  if (field != "real" && field != "integer" && field != "pattern")
    throw InputError(path, lines.line(), "field must be real, integer or pattern, got '" + std::string(tok[3]) + "'");
  if (symmetry != "general" && symmetry != "symmetric")
    throw InputError(path, lines.line(), "symmetry must be general or symmetric, got '" + std::string(tok[4]) + "'");
  const bool pattern = field == "pattern", symmetric = symmetry == "symmetric";

  // Size line after comments: rows cols entries
  std::int64_t rows = 0, cols = 0, declared = 0;
  bool have_size = false;
  while (lines.next(line)) {
    if (line.empty() || line.front() == '%') continue;
    if (text::split(line, tok, 3) != 3 || !text::parse_int(tok[0], rows) || !text::parse_int(tok[1], cols) ||
        !text::parse_int(tok[2], declared) || rows < 0 || cols < 0 || declared < 0)
      throw InputError(path, lines.line(), "expected the size line 'rows cols entries'");
    have_size = true;
    break;
  }
  if (!have_size) throw InputError(path, lines.line() + 1, "truncated: no size line");
  constexpr std::int64_t kMaxIndex = std::numeric_limits<std::int32_t>::max() / 2;
  if (rows > kMaxIndex || cols > kMaxIndex || declared > kMaxIndex)
    throw InputError(path, lines.line(), "matrix too large for 32-bit indices");
  if (symmetric && rows != cols) throw InputError(path, lines.line(), "symmetric matrix must be square");

  std::vector<text::Entry> entries;
  entries.reserve(static_cast<std::size_t>(symmetric ? 2 * declared : declared));
  const std::size_t want = pattern ? 2 : 3;
  std::int64_t seen = 0;
  while (lines.next(line)) {
    if (line.empty() || line.front() == '%') continue;
    if (seen == declared)
      throw InputError(path, lines.line(), "more entries than the " + std::to_string(declared) + " declared");
    std::int64_t i = 0, j = 0;
    double v = 1.0;
    const std::size_t n = text::split(line, tok, want);
    if (n != want || !text::parse_int(tok[0], i) || !text::parse_int(tok[1], j) ||
        (!pattern && !text::parse_float(tok[2], v)))
      throw InputError(path, lines.line(), pattern ? "expected 'row col'" : "expected 'row col value'");
    if (field == "integer" && v != static_cast<double>(static_cast<std::int64_t>(v)))
      throw InputError(path, lines.line(), "integer matrix has a non-integer value");
    if (i < 1 || i > rows || j < 1 || j > cols)
      throw InputError(path, lines.line(),
                       "index (" + std::to_string(i) + ", " + std::to_string(j) + ") out of range " +
                           std::to_string(rows) + "×" + std::to_string(cols));
    const auto r = static_cast<std::int32_t>(i - 1), c = static_cast<std::int32_t>(j - 1);
    entries.push_back({r, c, static_cast<float>(v)});
    if (symmetric && r != c) entries.push_back({c, r, static_cast<float>(v)});
    ++seen;
  }
  if (seen < declared)
    throw InputError(path, lines.line() + (lines.ended_with_newline() ? 1 : 0),
                     "truncated: " + std::to_string(seen) + " of " + std::to_string(declared) + " entries");
  if (!lines.ended_with_newline())
    throw InputError(path, lines.line(), "truncated: last line has no newline");
  return text::build_csr(path, rows, cols, entries);
}

}  // namespace engine
