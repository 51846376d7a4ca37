// Azure Functions 2019 trace reader: values checked against the shared sample files (numbers read
// off the CSV by hand / awk), then every malformed-input case names the file and line.
#include "sim/workload/azure_trace.hpp"

#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "engine/common/input_error.hpp"

namespace {
const std::string kTen = std::string(FSD_SHARED_DATA) + "/azure-functions-2019/10";

// A three-minute invocations file for error cases.
std::string header3() { return "HashOwner,HashApp,HashFunction,Trigger,1,2,3\n"; }

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const engine::InputError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("azure trace: reads the ten-function sample") {
  const auto t = workload::read_invocations(kTen + "/invocations.csv");
  CHECK(t.minutes == 1440);
  REQUIRE(t.functions.size() == 10);
  const auto& first = t.functions[0];
  CHECK(first.id.function.substr(0, 8) == "47658c9c");
  CHECK(first.trigger == "http");
  CHECK(first.invocations_per_minute[0] == 197);
  CHECK(first.invocations_per_minute[12] == 197);
  CHECK(first.invocations_per_minute[13] == 196);
  // Sums and maxima by awk over the file: 281962 for the first row, 6171429 for the busiest.
  CHECK(first.total_invocations() == 281962);
  CHECK(t.busiest().id.function.substr(0, 8) == "308ecb6c");
  CHECK(t.busiest().total_invocations() == 6171429);
  CHECK(&t.function(first.id.function) == &first);
}

TEST_CASE("azure trace: durations and memory of a function") {
  const auto all = workload::read_trace_dir(kTen);
  const auto& f = all.invocations.functions[0];
  const auto* d = all.durations_of(f.id);
  REQUIRE(d != nullptr);
  CHECK(d->average_ms == 306);
  CHECK(d->count == 7726495);
  CHECK(d->minimum_ms == 0);
  CHECK(d->maximum_ms == 144874);
  CHECK(d->percentile_ms[3] == 282);  // median
  CHECK(d->percentile_ms[6] == 130686);
  const auto* m = all.memory_of(f.id);
  REQUIRE(m != nullptr);
  CHECK(m->sample_count == 4258736);
  CHECK(m->average_mb == 204);
  CHECK(m->percentile_mb[0] == 112);
  CHECK(m->percentile_mb[7] == 398);
}

TEST_CASE("azure trace: per-application memory file and CRLF line ends") {
  std::istringstream in(
      "HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,"
      "AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,"
      "AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\r\n"
      "o,a,10,128,100,101,102,103,104,105,106,107\r\n");
  const auto rows = workload::parse_memory(in, "mem.csv");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id.function.empty());
  CHECK(rows[0].average_mb == 128);
  CHECK(rows[0].percentile_mb[7] == 107);
  workload::AzureTrace t;
  t.memory = rows;
  CHECK(t.memory_of({"o", "a", "anything"}) == &t.memory[0]);
  CHECK(t.memory_of({"o", "b", "anything"}) == nullptr);
}

TEST_CASE("azure trace: malformed files name the file and line") {
  auto parse = [](const std::string& text) {
    return error_of([&] {
      std::istringstream in(text);
      workload::parse_invocations(in, "inv.csv");
    });
  };
  CHECK(parse("") == "inv.csv: empty file, expected a header line");
  CHECK(parse("HashOwner,HashApp,HashFunction,Trigger\n") == "inv.csv:1: header: no minute columns after 'Trigger'");
  CHECK(parse("HashOwner,HashApp,Function,Trigger,1\n") ==
        "inv.csv:1: header: column 3 should be 'HashFunction', got 'Function'");
  CHECK(parse("HashOwner,HashApp,HashFunction,Trigger,1,3\n") ==
        "inv.csv:1: header: column 6 should be minute '2', got '3'");
  CHECK(parse(header3()) == "inv.csv: no function rows after the header");
  CHECK(parse(header3() + "o,a,f,http,1,2,3\no,a,g,http,1,2\n") == "inv.csv:3: expected 7 fields, got 6");
  CHECK(parse(header3() + "o,a,f,http,1,x,3\n") ==
        "inv.csv:2: column 'minute 2': expected a non-negative integer, got 'x'");
  CHECK(parse(header3() + "o,a,f,http,1,-2,3\n") ==
        "inv.csv:2: column 'minute 2': expected a non-negative integer, got '-2'");
  CHECK(parse(header3() + "o,a,f,http,1,2.5,3\n") ==
        "inv.csv:2: column 'minute 2': expected a non-negative integer, got '2.5'");
  CHECK(parse(header3() + "o,a,f,http,1,99999999999,3\n") == "inv.csv:2: minute 2: count 99999999999 too large");
  CHECK(parse(header3() + "o,,f,http,1,2,3\n") == "inv.csv:2: column 'HashApp': empty");
  CHECK(parse(header3() + "o,a,f,http,1,2,3\n\no,a,f,timer,0,0,0\n") == "inv.csv:4: duplicate row for function f");
  CHECK(error_of([] { workload::read_invocations("/nonexistent/inv.csv"); }) == "/nonexistent/inv.csv: cannot open");

  std::istringstream bad_durations(
      "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,"
      "percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,"
      "percentile_Average_100\no,a,f,1,2,3.0,nan,1,1,1,1,1,1,1\n");
  CHECK(error_of([&] { workload::parse_durations(bad_durations, "dur.csv"); }) ==
        "dur.csv:2: column 'Maximum': expected a non-negative number, got 'nan'");
  std::istringstream bad_memory("HashOwner,HashApp,HashFunction,SampleCount\n");
  CHECK(error_of([&] { workload::parse_memory(bad_memory, "mem.csv"); }) ==
        "mem.csv:1: header: column 5 should be 'AverageAllocatedMb'");
  CHECK(error_of([] {
          workload::InvocationTrace t;
          t.path = "p.csv";
          t.functions.resize(1);
          t.function("nope");
        }) == "p.csv: no function 'nope'");
}
