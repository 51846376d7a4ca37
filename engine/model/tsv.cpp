#include "engine/model/tsv.hpp"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "engine/common/input_error.hpp"
#include "engine/model/text_input.hpp"

namespace engine {

SparseMatrix read_tsv_matrix(const std::string& path, std::int64_t rows, std::int64_t cols) {
  const std::string buffer = text::read_file(path);
  if (buffer.empty()) throw InputError(path, 0, "empty file");
  text::LineReader lines(buffer);
  std::string_view line, tok[3];
  std::vector<text::Entry> entries;
  std::int64_t max_row = 0;
  constexpr std::int64_t kMaxIndex = std::numeric_limits<std::int32_t>::max() / 2;
  // Image files fix their row count by the largest index; cap it so a stray huge index is an
  // error, not a multi-gigabyte row-pointer array (the challenge has 60,000 images).
  constexpr std::int64_t kMaxImages = std::int64_t{1} << 24;
  const std::int64_t row_limit = rows >= 0 ? rows : kMaxImages;
  while (lines.next(line)) {
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank line
    std::int64_t i = 0, j = 0;
    double v = 0;
    if (text::split(line, tok, 3) != 3 || !text::parse_int(tok[0], i) || !text::parse_int(tok[1], j) ||
        !text::parse_float(tok[2], v))
      throw InputError(path, lines.line(), "expected 'row<TAB>col<TAB>value'");
    if (i < 1 || i > row_limit || i > kMaxIndex)
      throw InputError(path, lines.line(), "row " + std::to_string(i) + " out of range 1.." + std::to_string(row_limit));
    if (j < 1) throw InputError(path, lines.line(), "column " + std::to_string(j) + " out of range 1.." + std::to_string(cols));
    if (j > cols)
      throw InputError(path, lines.line(),
                       "column " + std::to_string(j) + " out of range 1.." + std::to_string(cols));
    max_row = std::max(max_row, i);
    entries.push_back({static_cast<std::int32_t>(i - 1), static_cast<std::int32_t>(j - 1), static_cast<float>(v)});
  }
  if (entries.empty()) throw InputError(path, 0, "no entries");
  if (!lines.ended_with_newline()) throw InputError(path, lines.line(), "truncated: last line has no newline");
  return text::build_csr(path, rows >= 0 ? rows : max_row, cols, entries);
}

void write_tsv_matrix(const std::string& path, const SparseMatrix& matrix) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path tmp = target;
  tmp += ".tmp." + std::to_string(::getpid());
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw std::runtime_error(path + ": cannot write (" + tmp.string() + ")");
  std::vector<char> buf(1 << 16);
  std::size_t used = 0;
  bool ok = true;
  auto flush = [&] {
    ok = ok && std::fwrite(buf.data(), 1, used, f) == used;
    used = 0;
  };
  for (Eigen::Index r = 0; r < matrix.outerSize(); ++r) {
    for (SparseMatrix::InnerIterator it(matrix, r); it; ++it) {
      if (buf.size() - used < 96) flush();
      char* p = buf.data() + used;
      char* end = buf.data() + buf.size();
      p = std::to_chars(p, end, r + 1).ptr;
      *p++ = '\t';
      p = std::to_chars(p, end, it.col() + 1).ptr;
      *p++ = '\t';
      p = std::to_chars(p, end, it.value()).ptr;  // shortest round-trip form of the float
      *p++ = '\n';
      used = static_cast<std::size_t>(p - buf.data());
    }
  }
  flush();
  ok = (std::fclose(f) == 0) && ok;
  std::error_code ec;
  if (!ok) {
    fs::remove(tmp, ec);
    throw std::runtime_error(path + ": write failed");
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw std::runtime_error(path + ": cannot rename temporary file: " + ec.message());
  }
}

}  // namespace engine
