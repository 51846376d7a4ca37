// LambdaRuntime: the loop of an AWS Lambda custom runtime (provided.al2023 "bootstrap"), over the
// Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API (docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
//   GET  /2018-06-01/runtime/invocation/next            → event body, Lambda-Runtime-Aws-Request-Id
//   POST /2018-06-01/runtime/invocation/<id>/response   ← the handler's result
//   POST /2018-06-01/runtime/invocation/<id>/error      ← {"errorMessage","errorType"} on failure
//   POST /2018-06-01/runtime/init/error                 ← when the function cannot even start
// The handler runs once per event, on the calling thread; a handler error (Result error or a
// thrown exception) is reported for that invocation and the loop goes on, as Lambda expects.
// Requests to the Runtime API are local and unsigned. Not thread-safe: one loop per process.
#pragma once

#include <functional>
#include <string>

#include "engine/common/result.hpp"

namespace engine::aws {

using LambdaHandler = std::function<Result<std::string>(const std::string& event_json)>;

struct LambdaRuntimeOptions {
  std::string runtime_api;  // "host:port" ($AWS_LAMBDA_RUNTIME_API)
  int max_invocations = 0;  // 0: serve until the Runtime API goes away (Lambda freezes/kills us)
};

// Serves invocations; returns how many were handled, or the error that stopped the loop (the
// Runtime API unreachable or answering out of protocol).
Result<int> run_lambda_runtime(const LambdaRuntimeOptions& options, const LambdaHandler& handler);

// Reports an initialization failure (e.g. the packaged config is bad) and returns.
Result<void> report_lambda_init_error(const std::string& runtime_api, const std::string& error_type,
                                      const std::string& message);

}  // namespace engine::aws
