// Where worker reports go and how the coordinator collects them.
//
// A worker's host sends one WorkerOutcome through a ReportSink when the worker ends (well or not);
// the coordinator's Deployment::run() polls a ReportSource until every worker has reported.
// - InProcessReports: both ends in one process (memory and sim backends, threads or SimGrid
//   actors): a vector under a mutex held only to append or swap (never across a service call).
// - ObjectStoreReports: the cloud path for workers in other processes or Lambdas: the worker PUTs
//   <prefix>/<worker>.json (report_json.hpp); the coordinator LISTs the prefix, GETs each new
//   report, parses it strictly against the run's shape (a bad report is kInvalidInput naming its
//   key), and deletes what it read (one DeleteObjects per poll that found reports), so the prefix
//   is empty after the run. Calls go through the services it is given (metered when they are).
// Both are thread-safe for send(); collect() is called by one coordinator thread.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/channel/retry.hpp"
#include "engine/cloud/services.hpp"
#include "engine/worker/launch_event.hpp"
#include "engine/worker/report_json.hpp"

namespace engine {

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  virtual Result<void> send(const WorkerOutcome& outcome) = 0;
};

class ReportSource {
 public:
  virtual ~ReportSource() = default;
  // The reports that arrived since the last call (possibly none).
  virtual Result<std::vector<WorkerOutcome>> collect() = 0;
};

class InProcessReports final : public ReportSink, public ReportSource {
 public:
  Result<void> send(const WorkerOutcome& outcome) override;
  Result<std::vector<WorkerOutcome>> collect() override;

 private:
  std::mutex mu_;
  std::vector<WorkerOutcome> arrived_;
};

class ObjectStoreReports final : public ReportSink, public ReportSource {
 public:
  ObjectStoreReports(cloud::Services services, ReportTarget target, ReportShape shape, RetryPolicy retry = {});
  Result<void> send(const WorkerOutcome& outcome) override;
  Result<std::vector<WorkerOutcome>> collect() override;
  std::string key_of(int worker) const;  // <prefix>/<worker>.json

 private:
  cloud::Services services_;
  ReportTarget target_;
  ReportShape shape_;
  RetryPolicy retry_;
  std::set<std::string> read_;  // keys already collected (collect() only)
};

}  // namespace engine
