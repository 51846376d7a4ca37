// Reader of the Azure Functions 2019 trace format (Shahrad et al., "Serverless in the Wild",
// USENIX ATC 2020; files as published in Azure/AzurePublicDataset and sampled by vHive/invitro):
//
//   invocations.csv  HashOwner,HashApp,HashFunction,Trigger,1,2,…,1440   (invocations per minute)
//   durations.csv    HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,
//                    percentile_Average_{0,1,25,50,75,99,100}            (execution time, ms)
//   memory.csv       HashOwner,HashApp[,HashFunction],SampleCount,AverageAllocatedMb,
//                    AverageAllocatedMb_pct{1,5,25,50,75,95,99,100}      (allocated memory, MB)
//
// API (all readers are strict and throw engine::InputError "path:line: problem" on a missing
// file, a wrong header, a row with the wrong number of fields, a non-numeric or negative count,
// a duplicate function, or a file without rows; nothing is returned half-read):
//
//   workload::InvocationTrace t = workload::read_invocations(".../invocations.csv");
//   const workload::TraceFunction& f = t.busiest();          // or t.function("<HashFunction>")
//   f.invocations_per_minute[m]  // minute m (0-based) of the day; f.total_invocations()
//   workload::AzureTrace all = workload::read_trace_dir(".../azure-functions-2019/10");
//   all.durations_of(f.id), all.memory_of(f.id)              // nullptr when the file lacks it
//
// Turning a function into a query stream is in arrivals.hpp (trace_arrivals).
// Values only; the readers share no state and are safe to call from several threads.
#pragma once

#include <array>
#include <cstdint>
#include <istream>
#include <string>
#include <vector>

namespace workload {

// A function of the trace: owner, application and function hashes (HashFunction alone is not
// unique across applications in the full trace, so all three identify it).
struct FunctionId {
  std::string owner;
  std::string app;
  std::string function;  // empty in memory.csv rows of the per-application format
  bool operator==(const FunctionId&) const = default;
};

struct TraceFunction {
  FunctionId id;
  std::string trigger;                                // http, queue, event, timer, orchestration, storage, others
  std::vector<std::uint32_t> invocations_per_minute;  // one entry per minute column of the file
  std::uint64_t total_invocations() const;
};

struct InvocationTrace {
  std::string path;
  int minutes = 0;                       // number of minute columns (1440 for one day)
  std::vector<TraceFunction> functions;  // in file order, at least one

  // The function whose HashFunction is `hash`; throws InputError "path: no function 'hash'".
  const TraceFunction& function(const std::string& hash) const;
  // The function with the most invocations (the first of equals, in file order).
  const TraceFunction& busiest() const;
};

struct FunctionDurations {
  static constexpr std::array<int, 7> kPercentiles{0, 1, 25, 50, 75, 99, 100};
  FunctionId id;
  double average_ms = 0;
  std::uint64_t count = 0;  // executions the statistics are over
  double minimum_ms = 0;
  double maximum_ms = 0;
  std::array<double, 7> percentile_ms{};  // at kPercentiles
};

struct AppMemory {
  static constexpr std::array<int, 8> kPercentiles{1, 5, 25, 50, 75, 95, 99, 100};
  FunctionId id;  // id.function empty when the file is per application
  std::uint64_t sample_count = 0;
  double average_mb = 0;
  std::array<double, 8> percentile_mb{};  // at kPercentiles
};

struct AzureTrace {
  InvocationTrace invocations;
  std::vector<FunctionDurations> durations;  // empty if durations.csv is absent
  std::vector<AppMemory> memory;             // empty if memory.csv is absent

  const FunctionDurations* durations_of(const FunctionId& id) const;
  // The function's own row if the file is per function, else its application's row.
  const AppMemory* memory_of(const FunctionId& id) const;
};

InvocationTrace read_invocations(const std::string& path);
InvocationTrace parse_invocations(std::istream& in, const std::string& path);
std::vector<FunctionDurations> read_durations(const std::string& path);
std::vector<FunctionDurations> parse_durations(std::istream& in, const std::string& path);
std::vector<AppMemory> read_memory(const std::string& path);
std::vector<AppMemory> parse_memory(std::istream& in, const std::string& path);
// dir/invocations.csv (required), dir/durations.csv and dir/memory.csv (each optional).
AzureTrace read_trace_dir(const std::string& dir);

}  // namespace workload
