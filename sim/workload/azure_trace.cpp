#include "sim/workload/azure_trace.hpp"

#include <filesystem>
#include <fstream>
#include <limits>
#include <unordered_set>

#include "engine/common/input_error.hpp"
#include "sim/workload/csv.hpp"

namespace workload {
namespace {

std::ifstream open_or_throw(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw engine::InputError(path, 0, "cannot open");
  return in;
}

// Reads the header line and checks its first columns are exactly `expected`.
void expect_header(CsvLines& csv, const std::vector<std::string>& expected) {
  if (!csv.next()) csv.fail("empty file, expected a header line");
  const auto& f = csv.fields();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (i >= f.size()) csv.fail("header: missing column '" + expected[i] + "'");
    if (f[i] != expected[i])
      csv.fail("header: column " + std::to_string(i + 1) + " should be '" + expected[i] + "', got '" +
               std::string(f[i]) + "'");
  }
}

void expect_fields(const CsvLines& csv, std::size_t n) {
  if (csv.fields().size() != n)
    csv.fail("expected " + std::to_string(n) + " fields, got " + std::to_string(csv.fields().size()));
}

// Owner, app and (when has_function) function hashes from the first columns; rejects duplicates.
FunctionId read_id(const CsvLines& csv, bool has_function, std::unordered_set<std::string>& seen) {
  FunctionId id{csv.text(0, "HashOwner"), csv.text(1, "HashApp"), has_function ? csv.text(2, "HashFunction") : ""};
  if (!seen.insert(id.owner + ',' + id.app + ',' + id.function).second)
    csv.fail("duplicate row for " + std::string(has_function ? "function " + id.function : "app " + id.app));
  return id;
}

}  // namespace

std::uint64_t TraceFunction::total_invocations() const {
  std::uint64_t total = 0;
  for (std::uint32_t n : invocations_per_minute) total += n;
  return total;
}

const TraceFunction& InvocationTrace::function(const std::string& hash) const {
  for (const auto& f : functions)
    if (f.id.function == hash) return f;
  throw engine::InputError(path, 0, "no function '" + hash + "'");
}

const TraceFunction& InvocationTrace::busiest() const {
  const TraceFunction* best = &functions.at(0);
  std::uint64_t best_total = best->total_invocations();
  for (const auto& f : functions) {
    const std::uint64_t t = f.total_invocations();
    if (t > best_total) best = &f, best_total = t;
  }
  return *best;
}

InvocationTrace parse_invocations(std::istream& in, const std::string& path) {
  CsvLines csv(in, path);
  expect_header(csv, {"HashOwner", "HashApp", "HashFunction", "Trigger"});
  const auto& header = csv.fields();
  if (header.size() < 5) csv.fail("header: no minute columns after 'Trigger'");
  // Minute columns are numbered 1, 2, … in order; anything else means a different file.
  for (std::size_t i = 4; i < header.size(); ++i)
    if (header[i] != std::to_string(i - 3))
      csv.fail("header: column " + std::to_string(i + 1) + " should be minute '" + std::to_string(i - 3) + "', got '" +
               std::string(header[i]) + "'");
  InvocationTrace trace;
  trace.path = path;
  trace.minutes = static_cast<int>(header.size() - 4);
  const std::size_t width = header.size();
  std::unordered_set<std::string> seen;
  while (csv.next()) {
    expect_fields(csv, width);
    TraceFunction f;
    f.id = read_id(csv, true, seen);
    f.trigger = csv.text(3, "Trigger");
    f.invocations_per_minute.resize(width - 4);
    for (std::size_t i = 4; i < width; ++i) {
      const std::uint64_t n = csv.count(i, "minute " + std::to_string(i - 3));
      if (n > std::numeric_limits<std::uint32_t>::max())
        csv.fail("minute " + std::to_string(i - 3) + ": count " + std::to_string(n) + " too large");
      f.invocations_per_minute[i - 4] = static_cast<std::uint32_t>(n);
    }
    trace.functions.push_back(std::move(f));
  }
  if (trace.functions.empty()) throw engine::InputError(path, 0, "no function rows after the header");
  return trace;
}

std::vector<FunctionDurations> parse_durations(std::istream& in, const std::string& path) {
  CsvLines csv(in, path);
  std::vector<std::string> names{"HashOwner", "HashApp", "HashFunction", "Average", "Count", "Minimum", "Maximum"};
  for (int p : FunctionDurations::kPercentiles) names.push_back("percentile_Average_" + std::to_string(p));
  expect_header(csv, names);
  expect_fields(csv, names.size());
  std::vector<FunctionDurations> rows;
  std::unordered_set<std::string> seen;
  while (csv.next()) {
    expect_fields(csv, names.size());
    FunctionDurations d;
    d.id = read_id(csv, true, seen);
    d.average_ms = csv.number(3, names[3]);
    d.count = csv.count(4, names[4]);
    d.minimum_ms = csv.number(5, names[5]);
    d.maximum_ms = csv.number(6, names[6]);
    for (std::size_t k = 0; k < d.percentile_ms.size(); ++k) d.percentile_ms[k] = csv.number(7 + k, names[7 + k]);
    if (d.minimum_ms > d.maximum_ms) csv.fail("Minimum " + std::to_string(d.minimum_ms) + " > Maximum");
    rows.push_back(std::move(d));
  }
  if (rows.empty()) throw engine::InputError(path, 0, "no function rows after the header");
  return rows;
}

std::vector<AppMemory> parse_memory(std::istream& in, const std::string& path) {
  CsvLines csv(in, path);
  expect_header(csv, {"HashOwner", "HashApp"});
  // The published trace is per application; vHive's samples add HashFunction. Accept both.
  const bool per_function = csv.fields().size() > 2 && csv.fields()[2] == "HashFunction";
  std::vector<std::string> names{"HashOwner", "HashApp"};
  if (per_function) names.push_back("HashFunction");
  names.push_back("SampleCount");
  names.push_back("AverageAllocatedMb");
  for (int p : AppMemory::kPercentiles) names.push_back("AverageAllocatedMb_pct" + std::to_string(p));
  for (std::size_t i = 0; i < names.size(); ++i)
    if (i >= csv.fields().size() || csv.fields()[i] != names[i])
      csv.fail("header: column " + std::to_string(i + 1) + " should be '" + names[i] + "'");
  expect_fields(csv, names.size());
  const std::size_t base = per_function ? 3 : 2;
  std::vector<AppMemory> rows;
  std::unordered_set<std::string> seen;
  while (csv.next()) {
    expect_fields(csv, names.size());
    AppMemory m;
    m.id = read_id(csv, per_function, seen);
    m.sample_count = csv.count(base, names[base]);
    m.average_mb = csv.number(base + 1, names[base + 1]);
    for (std::size_t k = 0; k < m.percentile_mb.size(); ++k)
      m.percentile_mb[k] = csv.number(base + 2 + k, names[base + 2 + k]);
    rows.push_back(std::move(m));
  }
  if (rows.empty()) throw engine::InputError(path, 0, "no rows after the header");
  return rows;
}

InvocationTrace read_invocations(const std::string& path) {
  auto in = open_or_throw(path);
  return parse_invocations(in, path);
}

std::vector<FunctionDurations> read_durations(const std::string& path) {
  auto in = open_or_throw(path);
  return parse_durations(in, path);
}

std::vector<AppMemory> read_memory(const std::string& path) {
  auto in = open_or_throw(path);
  return parse_memory(in, path);
}

AzureTrace read_trace_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  AzureTrace t;
  t.invocations = read_invocations((fs::path(dir) / "invocations.csv").string());
  const std::string durations = (fs::path(dir) / "durations.csv").string();
  const std::string memory = (fs::path(dir) / "memory.csv").string();
  if (fs::exists(durations)) t.durations = read_durations(durations);
  if (fs::exists(memory)) t.memory = read_memory(memory);
  return t;
}

const FunctionDurations* AzureTrace::durations_of(const FunctionId& id) const {
  for (const auto& d : durations)
    if (d.id == id) return &d;
  return nullptr;
}

const AppMemory* AzureTrace::memory_of(const FunctionId& id) const {
  for (const auto& m : memory)
    if (m.id == id) return &m;
  for (const auto& m : memory)
    if (m.id.function.empty() && m.id.owner == id.owner && m.id.app == id.app) return &m;
  return nullptr;
}

}  // namespace workload
