// WorkerOutcome and its JSON: what one worker invocation reports to the coordinator — its
// WorkerReport (timings, flops, channel traffic, and on worker 0 the gathered Y_L) or its error,
// plus what its host metered (usage, HTTP requests) when it ran outside the coordinator's process.
//
//   {"worker":3,"function_start_s":0.1,"function_end_s":2.5,"error":"",
//    "report":{"start_s":..,"end_s":..,"flops":..,"layers":[{"layer":1,"start_s":..,"posted_s":..,
//              "local_s":..,"received_s":..,"end_s":..,"input_nnz":..,"frame_bytes":[P ints]}, ...],
//              "channel":{ChannelStats fields},
//              "result":null | {"rows":B,"cols":N,"row_ptr":[B+1],"col":[nnz],"val":[nnz]}} | null,
//    "usage":{MeteredUsage fields},"requests":{"s3:PutObject":{"sent":12,"failed":0,"retried":0},...}}
// parse_worker_outcome is strict (exact keys, types, ranges) and checks the report against the
// run's shape: worker in [0, P), layers 1..L+1 in order, P frame sizes, a result on worker 0 only,
// B×N with a valid CSR (non-decreasing row_ptr, columns in [0, N) ascending in a row, finite
// values). Anything else is kInvalidInput naming the field: a report read from the network never
// crashes the coordinator. Floats round-trip exactly (nlohmann prints the shortest exact form).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "engine/cloud/meter.hpp"
#include "engine/common/result.hpp"
#include "engine/worker/worker.hpp"

namespace engine {

// HTTP requests of one operation as the host's clients counted them (every attempt).
struct RequestCount {
  std::int64_t sent = 0, failed = 0, retried = 0;
  bool operator==(const RequestCount&) const = default;
};

struct WorkerOutcome {
  int worker = -1;
  double function_start_s = 0, function_end_s = 0;  // the invocation, children's invokes included
  std::optional<WorkerReport> report;               // empty on failure
  std::string error;                                // why, when report is empty
  // Filled by a host outside the coordinator's process (zero in process: the coordinator's own
  // Meter saw those calls): its metered usage and the HTTP requests its clients sent, taken just
  // before the report is sent (the report's own requests are not in them: control plane).
  cloud::MeteredUsage usage;
  std::map<std::string, RequestCount> requests;  // by "service:Operation"
};

struct ReportShape {
  int workers = 0, layers = 0, neurons = 0, images = 0;  // P, L, N, B
};

std::string to_json(const WorkerOutcome& outcome);
Result<WorkerOutcome> parse_worker_outcome(const std::string& json, const ReportShape& shape);

// into += more, field by field.
void add_usage(cloud::MeteredUsage& into, const cloud::MeteredUsage& more);

}  // namespace engine
