// deployment_from_config: cli::Config → the cost model's value types, and the CommProfile a plan
// uses. The one place that knows both schemas; `fsd plan`, `fsd check` and sweeps call it.
//
// profile_for(config): the profile file named by config.profile if any (its neurons, layers and
// parts must match the deployment), else the analytic profile of docs/COSTMODEL.md ("Profiles")
// from the model keys (neurons, layers, batch_size, nnz_per_row, input/output density) and the
// partition method. Throws engine::InputError for a bad or mismatching profile file.
#pragma once

#include "cli/config/config.hpp"
#include "costmodel/analytic_profile.hpp"
#include "costmodel/comm_profile.hpp"
#include "sim/workload/arrivals.hpp"
#include "costmodel/predict.hpp"

namespace cli {

cost::Deployment to_deployment(const Config& config);
cost::Workload to_workload(const Config& config);
// The arrival process of a config (trace data is not loaded here: kind, rate, bursts, seed).
workload::ArrivalSpec to_arrival_spec(const ArrivalConfig& arrival);
cost::AnalyticModel to_analytic_model(const Config& config);
cost::CommProfile profile_for(const Config& config);

}  // namespace cli
