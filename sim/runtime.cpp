// SimRuntime: thin layer over s4u::this_actor and s4u::Actor.
#include "sim/runtime.hpp"

#include <simgrid/s4u.hpp>

#include "sim/simulation.hpp"

namespace sg4 = simgrid::s4u;

namespace sim {
namespace {

class SimTask : public engine::cloud::Task {
 public:
  explicit SimTask(sg4::ActorPtr actor) : actor_(std::move(actor)) {}
  void join() override {
    if (actor_) actor_->join();
    actor_ = nullptr;
  }
  ~SimTask() override = default;

 private:
  sg4::ActorPtr actor_;
};

}  // namespace

double SimRuntime::now_s() const { return sg4::Engine::get_clock(); }

void SimRuntime::sleep_s(double seconds) {
  if (seconds > 0 && !sg4::this_actor::is_maestro()) sg4::this_actor::sleep_for(seconds);
}

void SimRuntime::compute(double flops) {
  if (flops <= 0 || sg4::this_actor::is_maestro()) return;
  // A thread never runs faster than one vCPU, whatever the instance's quota (Simulation's hosts).
  sg4::this_actor::exec_init(flops)->set_bound(sim_.worker_calibration().flops_per_s_per_vcpu)->start()->wait();
}

std::unique_ptr<engine::cloud::Task> SimRuntime::spawn(const std::string& name, std::function<void()> fn) {
  sg4::Host* host = sg4::this_actor::is_maestro() ? sim_.client_host() : sg4::this_actor::get_host();
  return std::make_unique<SimTask>(sim_.start_actor(name, host, std::move(fn)));
}

double SimRuntime::compress_flops(double bytes) const {
  const auto& w = sim_.worker_calibration();
  return bytes * w.flops_per_s_per_vcpu / w.compress_bytes_per_s_per_vcpu;
}

double SimRuntime::decompress_flops(double bytes) const {
  const auto& w = sim_.worker_calibration();
  return bytes * w.flops_per_s_per_vcpu / w.decompress_bytes_per_s_per_vcpu;
}

}  // namespace sim
