#include "cli/validate/published_points.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "costmodel/prices.hpp"
#include "engine/common/input_error.hpp"

namespace cli::validate {

namespace {

// Column → the count it holds; the variant a count column belongs to.
struct CountColumn {
  const char* column;
  const char* quantity;
  const char* variant;
  bool is_request_count;
};
constexpr CountColumn kCountColumns[] = {
    {"publish_calls", "publish calls", "queue", true}, {"messages", "messages", "queue", true},
    {"polls", "polls", "queue", true},                 {"bytes_sent", "bytes", "queue", false},
    {"put", "PUT", "object", true},                    {"get", "GET", "object", true},
    {"list", "LIST", "object", true},                  {"bytes_written", "bytes written", "object", false},
};
constexpr const char* kOtherColumns[] = {"name",         "variant",         "neurons",       "workers",
                                         "bfr",          "levels",          "memory_mb",     "batch_time_s",
                                         "communication_s", "computation_s", "compression_s", "target"};

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();  // getline drops a trailing empty cell
  return cells;
}

// One data row, with its cells looked up by column name.
class Row {
 public:
  Row(const std::map<std::string, std::size_t>& columns, std::vector<std::string> cells, const std::string& path,
      std::size_t line)
      : columns_(columns), cells_(std::move(cells)), path_(path), line_(line) {}

  const std::string& text(const char* column) const { return cells_.at(columns_.at(column)); }

  [[noreturn]] void fail(const char* column, const std::string& what) const {
    throw engine::InputError(path_, line_, std::string(column) + ": " + what);
  }

  double number(const char* column) const {
    const std::string& t = text(column);
    double v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v) || v < 0)
      fail(column, "expected a non-negative number, got '" + t + "'");
    return v;
  }

  int positive_int(const char* column) const {
    const std::string& t = text(column);
    int v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || v <= 0)
      fail(column, "expected a positive integer, got '" + t + "'");
    return v;
  }

  // A count: a whole number (the sheets' totals), at most 2^53 so a double holds it exactly.
  double count(const char* column) const {
    const std::string& t = text(column);
    long long v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || end != t.data() + t.size() || v < 0 || v > (1LL << 53))
      fail(column, "expected a count (a whole number >= 0), got '" + t + "'");
    return static_cast<double>(v);
  }

 private:
  const std::map<std::string, std::size_t>& columns_;
  std::vector<std::string> cells_;
  const std::string& path_;
  std::size_t line_;
};

PublishedPoint to_point(const Row& row, std::size_t line) {
  PublishedPoint p;
  p.line = line;
  p.name = row.text("name");
  // The name becomes file names in the work folder: nothing that could leave it.
  if (p.name.empty() || p.name[0] == '.' ||
      p.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") != std::string::npos)
    row.fail("name", "expected letters, digits, '_', '-' or '.' (not first), got '" + p.name + "'");
  p.variant = row.text("variant");
  if (p.variant != "queue" && p.variant != "object") row.fail("variant", "expected queue or object, got '" + p.variant + "'");
  p.neurons = row.positive_int("neurons");
  p.workers = row.positive_int("workers");
  p.bfr = row.positive_int("bfr");
  p.levels = row.positive_int("levels");
  p.memory_mb = row.positive_int("memory_mb");
  long long launched = 0, level_size = 1;  // Σ bfr^l, l = 1..levels (the launch tree)
  for (int l = 1; l <= p.levels && launched <= p.workers; ++l) launched += (level_size *= p.bfr);
  if (launched != p.workers)
    row.fail("workers", std::to_string(p.workers) + " is not the launch tree's sum of bfr^l (bfr " +
                            std::to_string(p.bfr) + ", levels " + std::to_string(p.levels) + ")");
  p.batch_time_s = row.number("batch_time_s");
  if (p.batch_time_s <= 0) row.fail("batch_time_s", "must be positive");
  for (const CountColumn& c : kCountColumns) {
    if (p.variant == c.variant)
      p.counts.push_back({c.quantity, row.count(c.column), c.is_request_count});
    else if (!row.text(c.column).empty())
      row.fail(c.column, "must be empty for a " + p.variant + " point, got '" + row.text(c.column) + "'");
  }
  p.communication_s = row.number("communication_s");
  p.computation_s = row.number("computation_s");
  p.compression_s = row.number("compression_s");
  const std::string& target = row.text("target");
  if (target != "yes" && target != "no") row.fail("target", "expected yes or no, got '" + target + "'");
  p.target = target == "yes";
  return p;
}

}  // namespace

std::string published_points_path() { return cost::configs_dir() + "/calibration/fsd-inference-icde2024.csv"; }

std::vector<PublishedPoint> parse_published_points(const std::string& text, const std::string& path) {
  std::map<std::string, std::size_t> columns;
  std::size_t width = 0;
  std::vector<PublishedPoint> points;
  std::set<std::string> names;
  std::istringstream in(text);
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line.find('"') != std::string::npos)
      throw engine::InputError(path, number, "quotes are not used in this table (no cell holds a comma)");
    std::vector<std::string> cells = split(line);
    if (columns.empty()) {  // the header
      for (std::size_t i = 0; i < cells.size(); ++i)
        if (!columns.emplace(cells[i], i).second) throw engine::InputError(path, number, "column '" + cells[i] + "' twice");
      for (const CountColumn& c : kCountColumns)
        if (!columns.count(c.column)) throw engine::InputError(path, number, std::string("missing column '") + c.column + "'");
      for (const char* c : kOtherColumns)
        if (!columns.count(c)) throw engine::InputError(path, number, std::string("missing column '") + c + "'");
      if (columns.size() != std::size(kCountColumns) + std::size(kOtherColumns))
        for (const auto& [name, index] : columns)
          if (std::none_of(std::begin(kOtherColumns), std::end(kOtherColumns), [&](const char* c) { return name == c; }) &&
              std::none_of(std::begin(kCountColumns), std::end(kCountColumns),
                           [&](const CountColumn& c) { return name == c.column; }))
            throw engine::InputError(path, number, "unknown column '" + name + "'");
      width = cells.size();
      continue;
    }
    if (cells.size() != width)
      throw engine::InputError(path, number, "expected " + std::to_string(width) + " fields, got " + std::to_string(cells.size()));
    PublishedPoint p = to_point(Row(columns, std::move(cells), path, number), number);
    if (!names.insert(p.name).second) throw engine::InputError(path, number, "name: '" + p.name + "' appears twice");
    points.push_back(std::move(p));
  }
  if (columns.empty()) throw engine::InputError(path, 0, "no header line");
  if (points.empty()) throw engine::InputError(path, 0, "no points");
  return points;
}

std::vector<PublishedPoint> read_published_points(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw engine::InputError(path, 0, "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_published_points(text.str(), path);
}

}  // namespace cli::validate
