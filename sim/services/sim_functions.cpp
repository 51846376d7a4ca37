// SimFunctions: picks an instance (most recently freed warm one first, as Lambda tends to), starts
// an actor on its host that pays the start-up time and runs the handler, and for synchronous
// invocations waits for that actor's result on a condition variable. A function with a timeout
// gets a watchdog actor per invocation that sleeps until the deadline and, unless the handler
// killed it first by returning, kills the instance.
#include "sim/services/sim_functions.hpp"

#include <simgrid/s4u.hpp>

#include <cstdio>
#include <memory>
#include <mutex>

#include "sim/simulation.hpp"

namespace sg4 = simgrid::s4u;
using engine::Error;
using engine::ErrorCode;
using engine::Result;

namespace sim {
namespace {

struct Completion {
  bool done = false;
  bool failed = false;
  std::string result;
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  sg4::ActorPtr watchdog;  // killed by the handler when it returns in time

  void finish(bool has_failed, std::string what) {
    std::unique_lock lock(*mutex);
    done = true;
    failed = has_failed;
    result = std::move(what);
    cv->notify_all();
  }
};

std::string timed_out(double timeout_s) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "Task timed out after %.2f seconds", timeout_s);  // Lambda's words
  return buf;
}

}  // namespace

SimFunctions::SimFunctions(Simulation& sim) : sim_(sim), endpoint_(sim.endpoint("lambda-api"), sim.calibration().lambda.invoke, sim.worker_calibration().request_overhead_s) {}

void SimFunctions::register_function(const std::string& name, Handler handler, double timeout_s) {
  functions_[name] = Registered{std::move(handler), timeout_s > 0 ? timeout_s : 0};
}

std::optional<InvocationInfo> SimFunctions::current() const {
  if (sg4::this_actor::is_maestro()) return std::nullopt;
  auto it = running_invocations_.find(sg4::this_actor::get_pid());
  if (it == running_invocations_.end()) return std::nullopt;
  return it->second;
}

void SimFunctions::release(const std::string& function, int host_index, bool discard) {
  for (auto& inst : instances_[function])
    if (inst.host_index == host_index) {
      inst.busy = false;
      inst.discarded = inst.discarded || discard;
    }
  --running_;
}

Result<std::string> SimFunctions::invoke(const std::string& function_name, const std::string& payload_json,
                                         engine::cloud::InvocationType type) {
  const char* where = "lambda:Invoke";
  ++sim_.stats().invocations;
  if (!endpoint_.arrive(payload_json.size())) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "TooManyRequests (rate)"};
  }
  endpoint_.work();
  auto registered = functions_.find(function_name);
  if (registered == functions_.end()) {
    endpoint_.reply(0);
    return Error{ErrorCode::kNotFound, where, "no function " + function_name};
  }
  const auto& lambda = sim_.calibration().lambda;
  auto& pool = instances_[function_name];
  Instance* chosen = nullptr;
  for (auto it = pool.rbegin(); it != pool.rend() && !chosen; ++it)
    if (!it->busy && !it->discarded) chosen = &*it;
  const bool cold = chosen == nullptr;
  if (running_ >= lambda.concurrency_limit ||
      (cold && next_fresh_host_ >= static_cast<int>(sim_.function_hosts().size()))) {
    endpoint_.reply(0);
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "TooManyRequests (concurrency limit)"};
  }
  if (cold) {
    pool.push_back(Instance{next_fresh_host_++, false, false});
    chosen = &pool.back();
    ++sim_.stats().cold_starts;
  }
  chosen->busy = true;
  const int host_index = chosen->host_index;
  ++running_;
  peak_running_ = std::max(peak_running_, running_);

  auto completion = std::make_shared<Completion>();
  InvocationInfo info;
  info.function = function_name;
  info.actor = function_name + "-" + std::to_string(next_invocation_++);
  info.host_index = host_index;
  info.cold = cold;
  info.start_s = Simulation::now_s();
  info.timeout_s = registered->second.timeout_s;
  info.deadline_s = info.timeout_s > 0 ? info.start_s + info.timeout_s : 0;
  const double start_up_s = cold ? lambda.cold_start_s : lambda.warm_start_s;
  Handler fn = registered->second.handler;
  sg4::Host* host = sim_.function_hosts()[host_index];
  sg4::ActorPtr handler = sim_.start_actor(info.actor, host, [this, fn, payload_json, start_up_s, completion, info] {
    running_invocations_[sg4::this_actor::get_pid()] = info;
    if (start_up_s > 0) sg4::this_actor::sleep_for(start_up_s);
    std::string result;
    bool failed = false;
    try {
      result = fn(payload_json);
    } catch (const std::exception& e) {
      failed = true;
      result = e.what();
    }
    running_invocations_.erase(sg4::this_actor::get_pid());
    if (completion->watchdog) {  // returned in time (and the watchdog's closure holds completion: break the cycle)
      completion->watchdog->kill();
      completion->watchdog = nullptr;
    }
    release(info.function, info.host_index, false);
    completion->finish(failed, std::move(result));
  });
  if (info.timeout_s > 0) {
    // The platform's watchdog: a plain actor (not through start_actor: it must not die with the
    // instance it kills). It runs on the instance's host only to be near it; it computes nothing.
    completion->watchdog = sg4::Actor::create(info.actor + "-timeout", host, [this, handler, completion, info, payload_json] {
      sg4::this_actor::sleep_until(info.deadline_s);
      if (completion->done) return;
      const double killed_s = Simulation::now_s();
      running_invocations_.erase(handler->get_pid());
      // The instance is gone: the handler and whatever it spawned on the host (background publishes).
      for (const sg4::ActorPtr& a : sg4::this_actor::get_host()->get_all_actors())
        if (a->get_pid() != sg4::this_actor::get_pid()) a->kill();
      ++killed_;
      release(info.function, info.host_index, true);
      completion->finish(true, timed_out(info.timeout_s));
      completion->watchdog = nullptr;
      if (on_kill_) on_kill_(info, payload_json, killed_s);
    });
  }
  if (type == engine::cloud::InvocationType::kEvent) {
    endpoint_.reply(0);
    return std::string();
  }
  {
    std::unique_lock lock(*completion->mutex);
    while (!completion->done) completion->cv->wait(lock);
  }
  endpoint_.reply(completion->result.size());
  if (completion->failed) return Error{ErrorCode::kInternal, where, completion->result};
  return completion->result;
}

}  // namespace sim
