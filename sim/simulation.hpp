// Simulation: one SimGrid world — the platform built from a Calibration, the simulated cloud
// services, and the Runtime — handed to engine code as an engine::cloud::Services set.
//
// Platform (a star: every host has its own link to the cloud core):
//   client       where `fsd simulate`'s driver runs (invokes the root function)
//   fn-0..fn-K   one host per function instance; its CPU quota from memory_mb (calibration.lambda:
//                vcpus × per-vCPU speed), one execution at most one vCPU (SimRuntime::compute),
//                a split-duplex link of lambda.link_latency_s / link_bytes_per_s
//   sns, sqs, s3-put, s3-get, s3-list, lambda-api
//                service endpoints: a fat-pipe link (no sharing between requests, as a service
//                scales out) of the service's latency_s and bytes_per_s
// The network model is CM02 with factors 1 and no TCP window bound, so a transfer of b bytes over
// a route takes exactly Σ latency + b / min bandwidth when nothing else shares the links.
//
// Contract: one Simulation per OS process, ever (SimGrid keeps global state and cannot restart).
// run() executes the driver as an actor and returns when every actor has ended (or stop() ended
// them); it throws std::runtime_error if SimGrid detects a deadlock (actors blocked forever) or if
// an exception escaped an actor. Engine code inside runs cooperatively on one OS thread: deterministic for a
// given calibration seed.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/cloud/services.hpp"
#include "sim/calibration.hpp"

#include <simgrid/forward.h>

namespace sim {

class SimRuntime;
class SimPubSub;
class SimQueue;
class SimObjectStore;
class SimFunctions;

enum class WorkerKind { kFsd, kPython };  // whose code speed the function hosts model

struct PlatformOptions {
  int function_hosts = 8;  // instances that can exist at once (the launch tree's P, plus headroom)
  int memory_mb = 1000;    // of every function instance
  WorkerKind worker = WorkerKind::kFsd;
  // Charge (de)compression of payloads on the calling host: a send or put of b bytes first
  // computes compress_flops(b × compression_ratio), a receive or get then decompress_flops(b ×
  // compression_ratio). For channels that compress without declaring it to Runtime::compute.
  bool charge_compression = false;
};

// Counts of requests the simulated services served (for the benchmark's requests per second and
// for tests); the engine's Meter counts what a bill counts, independently.
struct ServiceStats {
  std::int64_t publish_batches = 0, sqs_sends = 0, sqs_receives = 0, sqs_deletes = 0;
  std::int64_t s3_puts = 0, s3_gets = 0, s3_lists = 0, s3_deletes = 0, invocations = 0;
  std::int64_t cold_starts = 0, throttles = 0, deliveries = 0;
  std::int64_t requests() const {
    return publish_batches + sqs_sends + sqs_receives + sqs_deletes + s3_puts + s3_gets + s3_lists + s3_deletes +
           invocations;
  }
};

class Simulation {
 public:
  Simulation(const Calibration& calibration, const PlatformOptions& options);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  engine::cloud::Services services();
  SimRuntime& runtime() { return *runtime_; }
  SimPubSub& pubsub() { return *pubsub_; }
  SimQueue& queue() { return *queue_; }
  SimObjectStore& objects() { return *objects_; }
  SimFunctions& functions() { return *functions_; }

  const Calibration& calibration() const { return calibration_; }
  const PlatformOptions& options() const { return options_; }
  const WorkerCalibration& worker_calibration() const;
  double vcpus() const { return vcpus_; }  // per function instance

  simgrid::s4u::Host* client_host() const { return client_; }
  const std::vector<simgrid::s4u::Host*>& function_hosts() const { return function_hosts_; }
  simgrid::s4u::Host* endpoint(const std::string& name) const;  // "sns", "sqs", "s3-put", ...

  // Runs driver as an actor on the client host until every actor has ended (see contract).
  void run(std::function<void()> driver);
  // Ends the run now, from inside an actor: kills every other actor (their activities are
  // cancelled, their stacks unwound), so run() returns at this simulated time without a deadlock
  // report. For failures that end a whole deployment (a worker killed at its timeout).
  void stop();
  bool stopped() const { return stopped_; }
  static double now_s();

  ServiceStats& stats() { return stats_; }

  // The charges of PlatformOptions::charge_compression (no-ops when it is off or outside actors).
  void charge_compress(std::uint64_t payload_bytes);
  void charge_decompress(std::uint64_t payload_bytes);
  // messages × message_vcpu_s of the modelled worker, as compute on the calling host (always on).
  void charge_messages(std::size_t messages);
  // body_bytes × message_body_s_per_mb of the modelled worker, as time on the calling actor.
  void charge_message_bodies(std::uint64_t body_bytes);
  // A non-empty object written or read: object_vcpu_s + MB × object_vcpu_s_per_mb, as compute.
  void charge_object(std::uint64_t object_bytes);

  // Background requests of the calling instance (WorkerCalibration::publish_threads): start_background
  // waits while `limit` are in flight on the caller's host, then runs fn in a new actor there;
  // wait_background returns once the caller's host has none in flight.
  void start_background(int limit, const std::string& name, std::function<void()> fn);
  void wait_background();

  // Runs fn in a new actor on host; exceptions it throws fail the run (run() rethrows the first).
  simgrid::s4u::ActorPtr start_actor(const std::string& name, simgrid::s4u::Host* host, std::function<void()> fn);
  void record_failure(const std::string& what);

 private:
  void build_platform();

  Calibration calibration_;
  PlatformOptions options_;
  double vcpus_ = 1;
  simgrid::s4u::Host* client_ = nullptr;
  std::vector<simgrid::s4u::Host*> function_hosts_;
  std::vector<std::pair<std::string, simgrid::s4u::Host*>> endpoints_;
  struct Background {
    int in_flight = 0;
    simgrid::s4u::MutexPtr mutex;
    simgrid::s4u::ConditionVariablePtr changed;
  };
  Background& background(simgrid::s4u::Host* host);
  void end_background(simgrid::s4u::Host* host);

  ServiceStats stats_;
  std::map<simgrid::s4u::Host*, Background> background_;
  std::string failure_;
  bool deadlock_ = false;
  bool stopped_ = false;
  std::unique_ptr<SimRuntime> runtime_;
  std::unique_ptr<SimPubSub> pubsub_;
  std::unique_ptr<SimQueue> queue_;
  std::unique_ptr<SimObjectStore> objects_;
  std::unique_ptr<SimFunctions> functions_;
};

}  // namespace sim
