#include "cli/sweep/csv_table.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "engine/common/input_error.hpp"

namespace cli::sweep {

std::string csv_escape(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(cell);
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string csv_line(const std::vector<std::string>& cells) {
  std::string out;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ',';
    out += csv_escape(cells[i]);
  }
  return out;
}

CsvTable parse_csv(const std::string& text, const std::string& path) {
  CsvTable t;
  std::vector<std::string> row;
  std::string cell;
  std::size_t line = 1, row_line = 1;
  bool quoted = false, any = false;
  auto end_row = [&] {
    row.push_back(std::move(cell));
    cell.clear();
    if (t.header.empty()) {
      t.header = std::move(row);
    } else if (row.size() != t.header.size()) {
      throw engine::InputError(
          path, row_line, "expected " + std::to_string(t.header.size()) + " fields, got " + std::to_string(row.size()));
    } else {
      t.rows.push_back(std::move(row));
    }
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"')
        cell += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        cell += c, line += (c == '\n');
      continue;
    }
    if (c == '"' && cell.empty())
      quoted = any = true;
    else if (c == '"')
      throw engine::InputError(path, line, "quote inside an unquoted field");
    else if (c == ',')
      row.push_back(std::move(cell)), cell.clear(), any = true;
    else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
      continue;
    else if (c == '\n') {
      if (any || !cell.empty()) end_row();
      row_line = ++line;
    } else
      cell += c, any = true;
  }
  if (quoted) throw engine::InputError(path, row_line, "unterminated quoted field");
  if (any || !cell.empty()) end_row();
  if (t.header.empty()) throw engine::InputError(path, 0, "empty file, expected a header line");
  return t;
}

CsvTable read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw engine::InputError(path, 0, "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str(), path);
}

void write_csv_atomic(const std::string& path, const std::vector<std::string>& header,
                      const std::vector<std::string>& lines) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  if (target.has_parent_path()) fs::create_directories(target.parent_path());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) throw std::runtime_error(tmp + ": cannot create: " + std::strerror(errno));
    std::string head = csv_line(header) + '\n';
    bool ok = std::fwrite(head.data(), 1, head.size(), f) == head.size();
    for (const auto& l : lines) {
      ok = ok && std::fwrite(l.data(), 1, l.size(), f) == l.size();
      ok = ok && std::fputc('\n', f) != EOF;
    }
    ok = (std::fflush(f) == 0) && ok;
    ok = (::fsync(::fileno(f)) == 0) && ok;  // the rename must not land before the data
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) {
      std::remove(tmp.c_str());
      throw std::runtime_error(tmp + ": write failed: " + std::strerror(errno));
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": cannot replace: " + ec.message());
  }
}

}  // namespace cli::sweep
