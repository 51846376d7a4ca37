// simulate_deployment: runs the engine's real Deployment (launch tree, Worker, QueueChannel or
// ObjectChannel, the kernel) on a Simulation, behind the engine's Meter, and returns what a live
// run returns plus the simulated timings.
//
//   sim::Simulation s(calibration, {.function_hosts = P, .memory_mb = 1000});
//   sim::SimulatedRun r = sim::simulate_deployment(s, spec, 1000);
//
// The driver actor on the client host calls Deployment::run(); every invocation runs
// Deployment::handle() as an actor on a function host, exactly as a Lambda would. Compression is
// charged on the calling host (the channels compress on the worker's CPU): for each published or
// sent batch, (bytes × compression_ratio) / compress speed; for each received one, the
// decompression of its bytes × compression_ratio. Throws std::runtime_error if the deployment
// fails or the simulation deadlocks. One call per process (one Simulation per process).
#pragma once

#include "engine/cloud/meter.hpp"
#include "engine/worker/deployment.hpp"
#include "sim/simulation.hpp"

namespace sim {

struct SimulatedRun {
  engine::DeploymentResult deployment;
  engine::cloud::MeteredUsage usage;  // what the bill counts, as in a live run
  ServiceStats services;              // what the simulated services served (incl. throttled calls)
  double batch_time_s = 0;            // coordinator: first invoke → last report
  double mean_worker_time_s = 0;      // mean over workers of their function run
  double max_worker_time_s = 0;
};

SimulatedRun simulate_deployment(Simulation& simulation, const engine::DeploymentSpec& spec, int memory_mb);

}  // namespace sim
