// simulate_servers: platform, the arrival actor, one actor per instance, billing and the summary.
#include "sim/servers/server_sim.hpp"

#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <simgrid/s4u.hpp>
#include <stdexcept>
#include <string>

namespace sg4 = simgrid::s4u;

namespace sim {
namespace {

bool g_ran = false;  // SimGrid cannot be re-initialised within one process

void check(const ServerSpec& spec, std::span<const double> arrivals_s, double flops) {
  if (!(flops >= 0)) throw std::invalid_argument("sim::simulate_servers(): flops must be >= 0");
  if (spec.vcpus < 1 || !(spec.flops_per_s_per_vcpu > 0) || !(spec.parallel_efficiency > 0))
    throw std::invalid_argument("sim::simulate_servers(): the instance needs vCPUs and a positive speed");
  if (spec.instances < 1 || spec.max_instances < 1)
    throw std::invalid_argument("sim::simulate_servers(): instances must be >= 1");
  check_arrivals(arrivals_s, "sim::simulate_servers()");
}

sg4::Engine& make_engine() {
  static int argc = 1;
  static char name[] = "fsd-servers";
  static char* argv[] = {name, nullptr};
  auto* engine = new sg4::Engine(&argc, argv);  // lives until the process ends, as sim::Simulation's
  xbt_log_control_set("root.thresh:critical");
  sg4::Engine::set_config("network/model:CM02");
  sg4::Engine::set_config("network/latency-factor", 1.0);
  sg4::Engine::set_config("network/bandwidth-factor", 1.0);
  sg4::Engine::set_config("network/crosstraffic", false);
  sg4::Engine::set_config("network/TCP-gamma", 1e18);
  return *engine;
}

// Queries waiting for an instance, oldest first.
struct Fifo {
  std::deque<std::size_t> waiting;
  bool closed = false;  // every arrival is in
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
};

void summarize(ServerRun& run) {
  const StreamStats s = stream_stats(run.queries);
  run.latency_mean_s = s.latency_mean_s;
  run.latency_p95_s = s.latency_p95_s;
  run.queue_delay_mean_s = s.queue_delay_mean_s;
  run.queue_delay_max_s = s.queue_delay_max_s;
  run.service_mean_s = s.service_mean_s;
}

}  // namespace

ServerRun simulate_servers(const ServerSpec& spec, std::span<const double> arrivals_s, double flops) {
  if (g_ran) throw std::logic_error("sim::simulate_servers(): only one simulation per process (SimGrid global state)");
  check(spec, arrivals_s, flops);
  g_ran = true;
  sg4::Engine& engine = make_engine();
  const bool job_scoped = spec.kind == ServerKind::kJobScoped;
  const int hosts =
      job_scoped ? static_cast<int>(std::clamp<std::size_t>(arrivals_s.size(), 1, spec.max_instances)) : spec.instances;

  // Platform.
  auto* zone = sg4::create_star_zone("servers");
  sg4::Host* client = zone->create_host("client", 1e9)->seal();
  sg4::Host* s3 = zone->create_host("s3", 1e9)->seal();
  sg4::Link* s3_link = zone->create_link("s3-link", 1e15)  // S3 scales out: the instance's NIC is the bottleneck
                           ->set_latency(spec.s3_latency_s)
                           ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                           ->seal();
  zone->add_route(s3->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(s3_link)}, true);
  std::vector<sg4::Host*> instances;
  for (int i = 0; i < hosts; ++i) {
    const std::string name = "instance-" + std::to_string(i);
    sg4::Host* host = zone->create_host(name, spec.flops_per_s_per_vcpu * spec.parallel_efficiency)
                          ->set_core_count(spec.vcpus)
                          ->seal();
    sg4::Link* nic = zone->create_link(name + "-nic", spec.load_bytes_per_s)->set_latency(0)->seal();
    zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(nic)}, true);
    instances.push_back(host);
  }
  zone->seal();

  ServerRun run;
  run.queries.resize(arrivals_s.size());
  Fifo fifo;
  std::string failure;
  int busy = 0;
  std::size_t served = 0;
  sg4::Actor::create("arrivals", client, [&] {
    for (std::size_t i = 0; i < arrivals_s.size(); ++i) {
      sg4::this_actor::sleep_until(arrivals_s[i]);
      run.queries[i].arrival_s = arrivals_s[i];
      std::unique_lock lock(*fifo.mutex);
      fifo.waiting.push_back(i);
      fifo.cv->notify_one();
    }
    std::unique_lock lock(*fifo.mutex);
    fifo.closed = true;
    fifo.cv->notify_all();
  });
  for (int h = 0; h < hosts; ++h)
    sg4::Actor::create("instance-" + std::to_string(h), instances[h], [&, h] {
      try {
        for (;;) {
          std::size_t i = 0;
          {
            std::unique_lock lock(*fifo.mutex);
            while (fifo.waiting.empty() && !fifo.closed) fifo.cv->wait(lock);
            if (fifo.waiting.empty()) return;
            i = fifo.waiting.front();
            fifo.waiting.pop_front();
          }
          ServedQuery& q = run.queries[i];
          q.start_s = sg4::Engine::get_clock();
          q.instance = h;
          run.instances = std::max(run.instances, ++busy);
          if (job_scoped) {
            sg4::this_actor::sleep_for(spec.boot_s);           // launch to ready
            sg4::this_actor::sleep_for(spec.s3_first_byte_s);  // GET of the weights: first byte
            if (spec.weight_bytes > 0)
              sg4::Comm::sendto(s3, instances[h], static_cast<std::uint64_t>(std::llround(spec.weight_bytes)));
          }
          if (flops > 0) {
            // The query on every core: vcpus threads of an equal share each.
            std::vector<sg4::ExecPtr> threads;
            for (int c = 0; c < spec.vcpus; ++c) threads.push_back(sg4::this_actor::exec_async(flops / spec.vcpus));
            for (auto& t : threads) t->wait();
          }
          q.end_s = sg4::Engine::get_clock();
          --busy;
          ++served;
        }
      } catch (const std::exception& e) {
        if (failure.empty()) failure = "instance-" + std::to_string(h) + ": " + e.what();
      }
    });
  engine.run();
  if (!failure.empty()) throw std::runtime_error("server simulation failed: " + failure);
  if (served != arrivals_s.size())  // SimGrid returns from run() when every actor is blocked
    throw std::runtime_error("server simulation deadlocked at t=" + std::to_string(sg4::Engine::get_clock()) + " s: " +
                             std::to_string(served) + " of " + std::to_string(arrivals_s.size()) + " queries served");

  if (job_scoped) {
    for (const ServedQuery& q : run.queries) run.instance_seconds += std::max(spec.min_billed_s, q.end_s - q.start_s);
  } else {
    run.instances = spec.instances;
    run.instance_seconds = spec.instances * spec.window_s;
  }
  summarize(run);
  return run;
}

}  // namespace sim
