// CSV of sweep results: RFC 4180 quoting (a cell with a comma, quote or line break is quoted,
// quotes doubled), one header line, every row as wide as the header.
//
// read_csv() is strict (InputError "path:line: problem" for an unterminated quote or a row of the
// wrong width) because resuming trusts what it reads. write_csv_atomic() writes a temporary file
// beside the target and renames it over the target, so a reader (or a crash) sees the old file or
// the new one, never half of one. Free functions over values; no shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cli::sweep {

struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

std::string csv_escape(std::string_view cell);
// Cells joined with commas, escaped, without a line ending.
std::string csv_line(const std::vector<std::string>& cells);

CsvTable read_csv(const std::string& path);
CsvTable parse_csv(const std::string& text, const std::string& path);

// header + lines (each already csv_line()-formatted) → path, atomically. Throws std::runtime_error
// naming the path on an I/O failure (the target is then untouched).
void write_csv_atomic(const std::string& path, const std::vector<std::string>& header,
                      const std::vector<std::string>& lines);

}  // namespace cli::sweep
