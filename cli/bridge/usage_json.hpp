// JSON form of cost::Usage, cost::Cost and cost::Prediction, for run records, `fsd check`,
// `fsd plan --json` and `fsd cost --json`. Keys are the struct members' names; usage_from_json
// accepts exactly the keys usage_to_json writes (all optional, counts ≥ 0) and throws
// engine::InputError("path: usage.key: problem") otherwise. Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "costmodel/cost.hpp"
#include "costmodel/predict.hpp"
#include "costmodel/usage.hpp"

namespace cli {

nlohmann::json usage_to_json(const cost::Usage& usage);
cost::Usage usage_from_json(const nlohmann::json& j, const std::string& path);
nlohmann::json cost_to_json(const cost::Cost& cost);  // {lambda_usd, sns_usd, sqs_usd, s3_usd, ec2_usd, total_usd}
nlohmann::json prediction_to_json(const cost::Prediction& prediction);

}  // namespace cli
