// simulate_schedule implementation: arrivals merged with a (time, seq) event queue of container
// completions, keep-alive expiries and samples.
#include "sim/provider/schedule_sim.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <queue>
#include <random>
#include <stdexcept>

namespace provider {

double percentile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(q / 100.0 * double(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

namespace {

struct Container {
  int server = -1, image = -1;
  Demand demand;
  bool alive = false, idle = false;
  std::uint64_t generation = 0;  // bumped on every state change, so stale events are ignored
};

enum class EventKind { kFinish, kExpire, kSample };

struct Event {
  double time_s;
  std::uint64_t seq;
  EventKind kind;
  int container;
  std::uint64_t generation;
  bool operator>(const Event& o) const { return time_s != o.time_s ? time_s > o.time_s : seq > o.seq; }
};

class Replay {
 public:
  Replay(Cluster& cluster, PlacementPolicy& policy, const std::vector<FunctionImages>& functions,
         const ScheduleParams& params)
      : cluster_(cluster),
        policy_(policy),
        functions_(functions),
        params_(params),
        rng_(params.seed),
        idle_(cluster.catalog().size()) {
    report_.policy = policy.name();
  }

  ScheduleReport run(const std::vector<Invocation>& invocations) {
    if (!invocations.empty()) push(invocations.front().time_s, EventKind::kSample, -1, 0);
    const double last_s = invocations.empty() ? 0 : invocations.back().time_s;
    double previous_s = -INFINITY;
    for (const Invocation& inv : invocations) {
      if (inv.time_s < previous_s) throw std::invalid_argument("simulate_schedule(): invocations not sorted by time");
      if (inv.function < 0 || inv.function >= static_cast<int>(functions_.size()))
        throw std::invalid_argument("simulate_schedule(): invocation of unknown function");
      previous_s = inv.time_s;
      drain(inv.time_s, last_s);
      arrive(inv);
    }
    drain(INFINITY, last_s);
    finish_report();
    return std::move(report_);
  }

 private:
  void push(double t, EventKind kind, int container, std::uint64_t generation) {
    events_.push({t, seq_++, kind, container, generation});
  }

  void drain(double until_s, double last_s) {
    while (!events_.empty() && events_.top().time_s <= until_s) {
      const Event e = events_.top();
      events_.pop();
      if (e.kind == EventKind::kSample) {
        sample();
        if (e.time_s + params_.sample_interval_s <= last_s)
          push(e.time_s + params_.sample_interval_s, EventKind::kSample, -1, 0);
        continue;
      }
      Container& c = containers_[static_cast<std::size_t>(e.container)];
      if (!c.alive || c.generation != e.generation) continue;
      if (e.kind == EventKind::kFinish) {
        c.idle = true;
        ++c.generation;
        idle_[static_cast<std::size_t>(c.image)].push_back({e.container, c.generation});
        push(e.time_s + params_.keep_alive_s, EventKind::kExpire, e.container, c.generation);
      } else {
        c.alive = false;
        ++c.generation;
        cluster_.stop(c.server, c.demand);
        free_ids_.push_back(e.container);
      }
    }
  }

  int take_idle(int image) {
    auto& pool = idle_[static_cast<std::size_t>(image)];
    while (!pool.empty()) {
      const auto [id, generation] = pool.back();
      pool.pop_back();
      const Container& c = containers_[static_cast<std::size_t>(id)];
      if (c.alive && c.idle && c.generation == generation) return id;
    }
    return -1;
  }

  int pick_image(const Invocation& inv) {
    const FunctionImages& f = functions_[static_cast<std::size_t>(inv.function)];
    const double u = static_cast<double>(rng_() >> 11) * 0x1.0p-53;  // drawn for every invocation
    const Rollout& r = params_.rollout;
    const double share_v2 = r.window_s <= 0 ? (inv.time_s >= r.start_s ? 1.0 : 0.0)
                                            : std::clamp((inv.time_s - r.start_s) / r.window_s, 0.0, 1.0);
    return u < share_v2 ? f.image_v2 : f.image_v1;
  }

  void arrive(const Invocation& inv) {
    ++report_.invocations;
    const int image = pick_image(inv);
    int id = take_idle(image);
    double latency_s = 0;
    if (id >= 0) {
      ++report_.warm_starts;
    } else {
      const auto memory_mb = functions_[static_cast<std::size_t>(inv.function)].memory_mb;
      const PlacementRequest request{image, {millicpus_for_memory(memory_mb), memory_mb}};
      const auto t0 = std::chrono::steady_clock::now();
      const std::optional<int> server = policy_.choose(cluster_, request);
      decision_us_.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
      if (!server) {
        ++report_.dropped;
        ++report_.sla_violations;
        return;
      }
      const bool opened = cluster_.start(*server, request.demand);
      report_.servers_opened += opened ? 1 : 0;
      Server& s = cluster_.server(*server);
      long missing = 0;
      for (BlockId b : cluster_.catalog().image(image).blocks) missing += s.cache().touch(b) ? 1 : 0;
      const double bytes = double(missing) * double(cluster_.catalog().block_bytes());
      const double download_s = bytes / s.spec().bandwidth_bytes_per_s;
      latency_s = params_.container_start_s + download_s;
      policy_.on_outcome({opened, latency_s});
      ++report_.cold_starts;
      report_.downloaded_bytes += bytes;
      download_s_.push_back(download_s);
      cold_start_s_.push_back(latency_s);
      if (free_ids_.empty()) {
        id = static_cast<int>(containers_.size());
        containers_.emplace_back();
      } else {
        id = free_ids_.back();
        free_ids_.pop_back();
      }
      Container& c = containers_[static_cast<std::size_t>(id)];
      c.server = *server;
      c.image = image;
      c.demand = request.demand;
      c.alive = true;
    }
    if (latency_s > params_.sla_s) ++report_.sla_violations;
    Container& c = containers_[static_cast<std::size_t>(id)];
    c.idle = false;
    ++c.generation;
    push(inv.time_s + latency_s + inv.duration_s, EventKind::kFinish, id, c.generation);
  }

  void sample() {
    const int open = cluster_.open_servers();
    report_.servers_used.push_back(open);
    std::int64_t cap_mb = 0, cap_mcpu = 0;
    for (int i = 0; i < cluster_.size(); ++i)
      if (cluster_.server(i).open()) {
        cap_mb += cluster_.server(i).spec().memory_mb;
        cap_mcpu += cluster_.server(i).spec().millicpus;
      }
    mem_util_sum_ += cap_mb ? double(cluster_.used_memory_mb()) / double(cap_mb) : 0.0;
    cpu_util_sum_ += cap_mcpu ? double(cluster_.used_millicpus()) / double(cap_mcpu) : 0.0;
  }

  void finish_report() {
    const auto& used = report_.servers_used;
    if (!used.empty()) {
      double sum = 0;
      for (int u : used) sum += u;
      report_.mean_servers_used = sum / double(used.size());
      report_.max_servers_used = *std::max_element(used.begin(), used.end());
      report_.memory_utilization = mem_util_sum_ / double(used.size());
      report_.cpu_utilization = cpu_util_sum_ / double(used.size());
    }
    auto mean = [](const std::vector<double>& v) {
      double s = 0;
      for (double x : v) s += x;
      return v.empty() ? 0.0 : s / double(v.size());
    };
    report_.mean_cold_start_s = mean(cold_start_s_);
    report_.mean_download_s = mean(download_s_);
    report_.cold_start_p50_s = percentile(cold_start_s_, 50);
    report_.cold_start_p99_s = percentile(cold_start_s_, 99);
    report_.decision_p50_us = percentile(decision_us_, 50);
    report_.decision_p99_us = percentile(decision_us_, 99);
    report_.learned_choice_share = policy_.learned_choice_share();
  }

  Cluster& cluster_;
  PlacementPolicy& policy_;
  const std::vector<FunctionImages>& functions_;
  const ScheduleParams& params_;
  std::mt19937_64 rng_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  std::uint64_t seq_ = 0;
  std::vector<Container> containers_;
  std::vector<int> free_ids_;
  std::vector<std::vector<std::pair<int, std::uint64_t>>> idle_;  // per image: (container, generation)
  ScheduleReport report_;
  std::vector<double> cold_start_s_, download_s_, decision_us_;
  double mem_util_sum_ = 0, cpu_util_sum_ = 0;
};

}  // namespace

ScheduleReport simulate_schedule(Cluster& cluster, PlacementPolicy& policy,
                                 const std::vector<FunctionImages>& functions,
                                 const std::vector<Invocation>& invocations, const ScheduleParams& params) {
  for (const auto& f : functions)
    if (f.image_v1 < 0 || f.image_v2 < 0 || f.image_v1 >= int(cluster.catalog().size()) ||
        f.image_v2 >= int(cluster.catalog().size()))
      throw std::invalid_argument("simulate_schedule(): function image not in the catalog");
  return Replay(cluster, policy, functions, params).run(invocations);
}

}  // namespace provider
