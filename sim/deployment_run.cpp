// simulate_deployment: Meter over the simulated services, Deployment::handle as the function
// body, Deployment::run in the driver actor; timings from the outcomes.
#include "sim/deployment_run.hpp"

#include <stdexcept>

#include "sim/services/sim_functions.hpp"

namespace sim {

SimulatedRun simulate_deployment(Simulation& simulation, const engine::DeploymentSpec& spec, int memory_mb) {
  engine::cloud::Meter meter(simulation.services());
  engine::Deployment deployment(spec, meter.services());
  simulation.functions().register_function(spec.function_name,
                                           [&](const std::string& payload) {
                                             auto r = deployment.handle(payload);
                                             if (!r) throw std::runtime_error(r.error().message());
                                             return *r;
                                           });
  SimulatedRun out;
  std::string error;
  simulation.run([&] {
    auto r = deployment.run();
    if (!r) {
      error = r.error().message();
      return;
    }
    out.deployment = std::move(*r);
  });
  if (!error.empty()) throw std::runtime_error("simulated deployment failed: " + error);
  double sum = 0;
  for (const auto& w : out.deployment.workers) {
    const double d = w.function_end_s - w.function_start_s;
    meter.record_function_run(d, memory_mb);
    sum += d;
    out.max_worker_time_s = std::max(out.max_worker_time_s, d);
  }
  if (!out.deployment.workers.empty()) out.mean_worker_time_s = sum / out.deployment.workers.size();
  out.batch_time_s = out.deployment.end_s - out.deployment.start_s;
  out.usage = meter.usage();
  out.services = simulation.stats();
  return out;
}

}  // namespace sim
