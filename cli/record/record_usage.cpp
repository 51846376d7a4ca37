#include "cli/record/record_usage.hpp"

#include "cli/bridge/comm_profile_from_plan.hpp"

namespace cli {

cost::Usage usage_of(const engine::RunRecord& run) {
  const engine::cloud::MeteredUsage& m = run.usage;
  cost::Usage u;
  if (run.channel == "serial" && run.servers.queries > 0) {  // the serial function's stream: its Lambda bill
    u.workers = 1;
    u.memory_mb = run.memory_mb;
    u.invocations = m.lambda_invocations;  // no coordinator: the client invokes the function itself
    // Billed seconds (each invocation already rounded up to 1 ms), so cost_of prices lambda_gb_s.
    u.function_seconds = run.memory_mb > 0 ? m.lambda_gb_s * 1024.0 / run.memory_mb : 0.0;
    return u;
  }
  if (!run.servers.instance_type.empty()) {  // a server baseline: the window's EC2 bill, no function ran
    u.ec2_seconds = m.ec2_instance_seconds;
    u.ec2_instance_type = run.servers.instance_type;
    return u;
  }
  u.workers = run.workers;
  u.memory_mb = run.memory_mb;
  if (m.lambda_gb_s > 0 && run.memory_mb > 0) {
    // The workers' bill as metered (each invocation rounded up to 1 ms; the simulator bills from
    // the start-up, INIT included, as AWS does since Aug 2025) + the coordinator for the whole run.
    u.function_seconds = m.lambda_gb_s * 1024.0 / run.memory_mb + run.wall_s;
  } else {  // no metered bill: each worker's handler time
    for (const auto& w : run.worker_records) u.worker_seconds.push_back(w.end_s - w.start_s);
    u.worker_seconds.push_back(run.wall_s);  // the coordinator
    for (double s : u.worker_seconds) u.function_seconds += s;
  }
  u.invocations = m.lambda_invocations + 1;
  u.sns_publish_calls = m.sns_publish_requests;
  u.sns_billed_publishes = m.sns_publish_billed;
  u.sns_publish_bytes = m.sns_payload_bytes;
  u.sns_messages = m.sns_messages;
  u.sqs_receives = m.sqs_receive_requests;
  u.sqs_empty_receives = m.sqs_empty_receives;
  u.sqs_deletes = m.sqs_delete_requests;
  u.sqs_sends = m.sqs_send_requests;
  u.sqs_billed_requests = m.sqs_send_billed + m.sqs_receive_billed + m.sqs_delete_requests;
  u.sqs_received_bytes = m.sqs_received_bytes;
  u.s3_puts = m.s3_put_requests;
  u.s3_gets = m.s3_get_requests;
  u.s3_lists = m.s3_list_requests;
  u.s3_deletes = m.s3_delete_requests;
  u.s3_put_bytes = m.s3_put_bytes;
  u.s3_get_bytes = m.s3_get_bytes;
  return u;
}

cost::CommProfile measured_profile(const engine::RunRecord& run, const engine::CommPlan& plan,
                                   const std::vector<std::int64_t>& weight_nnz) {
  std::vector<double> density;
  std::vector<std::vector<std::int64_t>> pair_bytes;
  const double cells = static_cast<double>(run.images) * run.neurons;
  for (int k = 0; k < run.layers; ++k) {
    density.push_back(cells > 0 ? static_cast<double>(run.layer_records[k].input_nnz) / cells : 0.0);
    pair_bytes.push_back(run.layer_records[k].pair_bytes);
  }
  cost::CommProfile p = comm_profile_from_plan(plan, run.neurons, run.images, density, weight_nnz, pair_bytes);
  p.source = "measured: run " + run.run_id;
  // The gather (layer L+1): what each worker sent worker 0.
  const auto& gather = run.layer_records.at(run.layers).pair_bytes;
  p.gather_bytes.assign(run.workers, 0);
  for (int a = 0; a < run.workers; ++a) p.gather_bytes[a] = gather.at(static_cast<std::size_t>(a) * run.workers);
  return p;
}

}  // namespace cli
