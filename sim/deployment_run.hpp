// simulate_deployment: runs the engine's real Deployment (launch tree, Worker, QueueChannel or
// ObjectChannel, the kernel) on a Simulation, behind the engine's Meter, and returns what a live
// run returns plus the simulated timings.
//
//   sim::Simulation s(calibration, {.function_hosts = P, .memory_mb = 1000});
//   sim::SimulatedRun r = sim::simulate_deployment(s, spec, 1000, 900);
//
// The driver actor on the client host calls Deployment::run(); every invocation runs
// Deployment::handle() as an actor on a function host, exactly as a Lambda would. Compression is
// charged on the calling host (the channels compress on the worker's CPU): for each published or
// sent batch, (bytes × compression_ratio) / compress speed; for each received one, the
// decompression of its bytes × compression_ratio.
//
// Lambda's limits and bill (sim/services/sim_functions.hpp):
//   timeout  every worker invocation is killed at its start (start-up included) + timeout_s. The
//            first kill ends the run at once (Simulation::stop: the peers blocked on the dead
//            worker would otherwise wait for ever) and simulate_deployment throws WorkerKilled
//            naming the worker, the layer it was in and the simulated time, with the bill so far.
//   billing  each worker invocation is billed from its start-up (the INIT phase of a cold start,
//            billed for every runtime since 1 Aug 2025) to the handler's return, rounded up to
//            1 ms (Meter::record_function_run); in a killed run every started invocation is
//            billed to the kill (the killed one for its full timeout) — a lower bound of what AWS
//            would bill, where the stranded peers run on until their own timeouts.
// Throws std::runtime_error if the deployment fails or the simulation deadlocks. One call per
// process (one Simulation per process).
#pragma once

#include <stdexcept>

#include "engine/cloud/meter.hpp"
#include "engine/worker/deployment.hpp"
#include "sim/simulation.hpp"

namespace sim {

struct SimulatedRun {
  engine::DeploymentResult deployment;
  engine::cloud::MeteredUsage usage;  // what the bill counts, as in a live run
  ServiceStats services;              // what the simulated services served (incl. throttled calls)
  double batch_time_s = 0;            // coordinator: first invoke → last report
  double mean_worker_time_s = 0;      // mean over workers of their handler's run (start-up excluded)
  double max_worker_time_s = 0;
  double max_billed_worker_s = 0;     // longest billed invocation: start-up + handler (≤ timeout)
};

// A worker invocation reached its timeout: Lambda killed it, and the run ended there.
struct WorkerKilled : std::runtime_error {
  WorkerKilled(const std::string& what, int worker, int layer, int layers, double killed_s, double timeout_s)
      : std::runtime_error(what), worker(worker), layer(layer), layers(layers), killed_s(killed_s),
        timeout_s(timeout_s) {}
  int worker = -1;
  int layer = 0;   // 0: before its first layer (start-up, launching children, building its channel);
                   // 1..layers; layers + 1: the gather to worker 0
  int layers = 0;  // L
  double killed_s = 0;   // simulated time of the kill (the run's clock: 0 = simulation start)
  double timeout_s = 0;
  engine::cloud::MeteredUsage usage;  // metered up to the kill; lambda_* as billed (see above)
  ServiceStats services;
};

// timeout_s: the functions' timeout (deployment.timeout_s; Lambda's maximum is 900 s).
SimulatedRun simulate_deployment(Simulation& simulation, const engine::DeploymentSpec& spec, int memory_mb,
                                 double timeout_s = 900);

// "in layer 3 of 120", "in the gather (layer 121)", "before its first layer": WorkerKilled::layer in words.
std::string layer_words(int layer, int layers);

}  // namespace sim
