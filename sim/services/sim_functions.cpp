// SimFunctions: picks an instance (most recently freed warm one first, as Lambda tends to), starts
// an actor on its host that pays the start-up time and runs the handler, and for synchronous
// invocations waits for that actor's result on a condition variable.
#include "sim/services/sim_functions.hpp"

#include <simgrid/s4u.hpp>

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
};

}  // namespace

SimFunctions::SimFunctions(Simulation& sim) : sim_(sim), endpoint_(sim.endpoint("lambda-api"), sim.calibration().lambda.invoke, sim.worker_calibration().request_overhead_s) {}

void SimFunctions::register_function(const std::string& name, Handler handler) { handlers_[name] = std::move(handler); }

Result<std::string> SimFunctions::invoke(const std::string& function_name, const std::string& payload_json,
                                         engine::cloud::InvocationType type) {
  const char* where = "lambda:Invoke";
  ++sim_.stats().invocations;
  if (!endpoint_.arrive(payload_json.size())) {
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "TooManyRequests (rate)"};
  }
  endpoint_.work();
  auto handler = handlers_.find(function_name);
  if (handler == handlers_.end()) {
    endpoint_.reply(0);
    return Error{ErrorCode::kNotFound, where, "no function " + function_name};
  }
  const auto& lambda = sim_.calibration().lambda;
  auto& pool = instances_[function_name];
  Instance* chosen = nullptr;
  for (auto it = pool.rbegin(); it != pool.rend() && !chosen; ++it)
    if (!it->busy) chosen = &*it;
  const bool cold = chosen == nullptr;
  if (running_ >= lambda.concurrency_limit ||
      (cold && next_fresh_host_ >= static_cast<int>(sim_.function_hosts().size()))) {
    endpoint_.reply(0);
    ++sim_.stats().throttles;
    return Error{ErrorCode::kUnavailable, where, "TooManyRequests (concurrency limit)"};
  }
  if (cold) {
    pool.push_back(Instance{next_fresh_host_++, false});
    chosen = &pool.back();
    ++sim_.stats().cold_starts;
  }
  chosen->busy = true;
  const int host_index = chosen->host_index;
  ++running_;
  peak_running_ = std::max(peak_running_, running_);

  auto completion = std::make_shared<Completion>();
  const double start_s = cold ? lambda.cold_start_s : lambda.warm_start_s;
  Handler fn = handler->second;
  const std::string name = function_name;
  sim_.start_actor(name + "-" + std::to_string(next_invocation_++), sim_.function_hosts()[host_index],
                   [this, fn, payload_json, start_s, completion, name, host_index] {
                     if (start_s > 0) sg4::this_actor::sleep_for(start_s);
                     std::string result;
                     bool failed = false;
                     try {
                       result = fn(payload_json);
                     } catch (const std::exception& e) {
                       failed = true;
                       result = e.what();
                     }
                     for (auto& inst : instances_[name])
                       if (inst.host_index == host_index) inst.busy = false;
                     --running_;
                     std::unique_lock lock(*completion->mutex);
                     completion->done = true;
                     completion->failed = failed;
                     completion->result = std::move(result);
                     completion->cv->notify_all();
                   });
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
