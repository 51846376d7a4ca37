// Simulation: SimGrid engine set-up (CM02, factors 1, no TCP window bound), the star platform,
// the service objects, and run() with deadlock and actor-failure detection.
#include "sim/simulation.hpp"

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <cmath>
#include <mutex>
#include <stdexcept>

#include "sim/runtime.hpp"
#include "sim/services/sim_functions.hpp"
#include "sim/services/sim_object_store.hpp"
#include "sim/services/sim_pubsub.hpp"
#include "sim/services/sim_queue.hpp"

namespace sg4 = simgrid::s4u;

namespace sim {
namespace {

bool g_created = false;          // SimGrid cannot be re-initialised within one process
sg4::Engine* g_engine = nullptr;  // lives until the process ends

sg4::Engine& engine_instance() {
  if (!g_engine) {
    static int argc = 1;
    static char name[] = "fsd-sim";
    static char* argv[] = {name, nullptr};
    g_engine = new sg4::Engine(&argc, argv);
    xbt_log_control_set("root.thresh:critical");  // keep SimGrid's deadlock report, drop the chatter
    sg4::Engine::set_config("network/model:CM02");
    sg4::Engine::set_config("network/latency-factor", 1.0);
    sg4::Engine::set_config("network/bandwidth-factor", 1.0);
    sg4::Engine::set_config("network/crosstraffic", false);
    sg4::Engine::set_config("network/TCP-gamma", 1e18);  // no window bound: bandwidth is what is configured
  }
  return *g_engine;
}

}  // namespace

Simulation::Simulation(const Calibration& calibration, const PlatformOptions& options)
    : calibration_(calibration), options_(options) {
  if (g_created) throw std::logic_error("sim::Simulation: only one simulation per process (SimGrid global state)");
  if (options.function_hosts < 1) throw std::invalid_argument("sim::Simulation: function_hosts must be >= 1");
  vcpus_ = vcpus_for_memory(calibration.lambda, options.memory_mb);
  g_created = true;
  engine_instance();
  build_platform();
  sg4::Engine::on_deadlock_cb([this] { deadlock_ = true; });
  runtime_ = std::make_unique<SimRuntime>(*this);
  queue_ = std::make_unique<SimQueue>(*this);
  pubsub_ = std::make_unique<SimPubSub>(*this, *queue_);
  objects_ = std::make_unique<SimObjectStore>(*this);
  functions_ = std::make_unique<SimFunctions>(*this);
}

Simulation::~Simulation() = default;

const WorkerCalibration& Simulation::worker_calibration() const {
  return options_.worker == WorkerKind::kPython ? calibration_.python : calibration_.fsd;
}

void Simulation::build_platform() {
  const auto& lambda = calibration_.lambda;
  auto* zone = sg4::create_star_zone("cloud");
  // A function instance: one CPU of vcpus × per-vCPU speed (Lambda's CPU quota), shared by its
  // threads; SimRuntime::compute bounds each execution at one vCPU, so one thread runs at
  // min(vcpus, 1) vCPU and k threads share the quota (at most one vCPU each). And its own NIC.
  auto add_function_host = [&](const std::string& name, double vcpus) {
    const double quota_flops = worker_calibration().flops_per_s_per_vcpu * vcpus;
    sg4::Host* host = zone->create_host(name, quota_flops)->seal();
    sg4::Link* nic = zone->create_split_duplex_link(name + "-nic", lambda.link_bytes_per_s)
                         ->set_latency(lambda.link_latency_s)
                         ->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                    {sg4::LinkInRoute(nic, sg4::LinkInRoute::Direction::UP)}, true);
    return host;
  };
  // A service endpoint: a fat pipe, since a cloud service serves each request on its own.
  auto add_endpoint = [&](const std::string& name, const ServiceCalibration& s) {
    sg4::Host* host = zone->create_host(name, 1e12)->seal();
    sg4::Link* link = zone->create_link(name + "-link", s.bytes_per_s)
                          ->set_latency(s.latency_s)
                          ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                          ->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(link)}, true);
    endpoints_.emplace_back(name, host);
  };
  client_ = add_function_host("client", 1.0);
  for (int i = 0; i < options_.function_hosts; ++i)
    function_hosts_.push_back(add_function_host("fn-" + std::to_string(i), vcpus_));
  add_endpoint("sns", calibration_.sns.publish);
  add_endpoint("sqs", calibration_.sqs);
  add_endpoint("s3-put", calibration_.s3_put);
  add_endpoint("s3-get", calibration_.s3_get);
  add_endpoint("s3-list", calibration_.s3_list);
  add_endpoint("lambda-api", calibration_.lambda.invoke);
  zone->seal();
}

sg4::Host* Simulation::endpoint(const std::string& name) const {
  for (const auto& [n, h] : endpoints_)
    if (n == name) return h;
  throw std::logic_error("sim::Simulation::endpoint(): no endpoint " + name);
}

engine::cloud::Services Simulation::services() {
  return engine::cloud::Services{pubsub_.get(), queue_.get(), objects_.get(), functions_.get(), runtime_.get()};
}

void Simulation::charge_compress(std::uint64_t payload_bytes) {
  if (options_.charge_compression && payload_bytes > 0)
    runtime_->compute(runtime_->compress_flops(payload_bytes * worker_calibration().compression_ratio));
}

void Simulation::charge_decompress(std::uint64_t payload_bytes) {
  if (options_.charge_compression && payload_bytes > 0)
    runtime_->compute(runtime_->decompress_flops(payload_bytes * worker_calibration().compression_ratio));
}

void Simulation::charge_messages(std::size_t messages) {
  const auto& w = worker_calibration();
  if (messages > 0 && w.message_vcpu_s > 0) runtime_->compute(messages * w.message_vcpu_s * w.flops_per_s_per_vcpu);
}

void Simulation::charge_message_bodies(std::uint64_t body_bytes) {
  const double per_mb = worker_calibration().message_body_s_per_mb;
  if (body_bytes > 0 && per_mb > 0 && Endpoint::in_actor()) sg4::this_actor::sleep_for(body_bytes * 1e-6 * per_mb);
}

void Simulation::charge_object(std::uint64_t object_bytes) {
  const auto& w = worker_calibration();
  const double vcpu_s = w.object_vcpu_s + object_bytes * 1e-6 * w.object_vcpu_s_per_mb;
  if (object_bytes > 0 && vcpu_s > 0) runtime_->compute(vcpu_s * w.flops_per_s_per_vcpu);
}

double Simulation::now_s() { return sg4::Engine::get_clock(); }

Simulation::Background& Simulation::background(sg4::Host* host) {
  auto it = background_.find(host);
  if (it == background_.end())
    it = background_.emplace(host, Background{0, sg4::Mutex::create(), sg4::ConditionVariable::create()}).first;
  return it->second;
}

void Simulation::start_background(int limit, const std::string& name, std::function<void()> fn) {
  sg4::Host* host = sg4::this_actor::get_host();
  Background& b = background(host);
  {
    std::unique_lock lock(*b.mutex);
    while (b.in_flight >= limit) b.changed->wait(lock);
    ++b.in_flight;
  }
  start_actor(name, host, [this, host, fn = std::move(fn)] {
    struct Done {  // also when fn throws: the waiters must not block forever
      Simulation* sim;
      sg4::Host* host;
      ~Done() { sim->end_background(host); }
    } done{this, host};
    fn();
  });
}

void Simulation::end_background(sg4::Host* host) {
  Background& b = background(host);
  std::unique_lock lock(*b.mutex);
  --b.in_flight;
  b.changed->notify_all();
}

void Simulation::wait_background() {
  if (sg4::this_actor::is_maestro()) return;
  Background& b = background(sg4::this_actor::get_host());
  std::unique_lock lock(*b.mutex);
  while (b.in_flight > 0) b.changed->wait(lock);
}

void Simulation::record_failure(const std::string& what) {
  if (failure_.empty()) failure_ = what;
}

sg4::ActorPtr Simulation::start_actor(const std::string& name, sg4::Host* host, std::function<void()> fn) {
  return sg4::Actor::create(name, host, [this, name, fn = std::move(fn)] {
    try {
      fn();
    } catch (const std::exception& e) {
      record_failure("actor " + name + " on " + sg4::this_actor::get_host()->get_name() + " at t=" +
                     std::to_string(now_s()) + " s: " + e.what());
    }
  });
}

void Simulation::stop() {
  stopped_ = true;
  if (!sg4::this_actor::is_maestro()) sg4::Actor::kill_all();
}

void Simulation::run(std::function<void()> driver) {
  start_actor("driver", client_, std::move(driver));
  engine_instance().run();
  if (deadlock_)
    throw std::runtime_error("simulation deadlocked at t=" + std::to_string(now_s()) +
                             " s: some actors wait for something that can never happen (see SimGrid's report above)");
  if (!failure_.empty()) throw std::runtime_error("simulation failed: " + failure_);
}

}  // namespace sim
