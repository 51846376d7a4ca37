// Usage: the metered counts a cloud bill is computed from, for one run (or one predicted query).
//
// Filled by three producers that must agree on the meaning of every field: the engine's Meter
// (engine/cloud/meter.*, converted in cli/bridge/), the simulator (sim/), and cost::predict().
// cost::cost_of() turns a Usage into dollars (see cost.hpp); nothing here knows about prices.
// Counting rules (what one "billed publish" or "billed SQS request" is) are in docs/COSTMODEL.md.
// Plain aggregate value type; copying is deep; no invariants beyond "counts are ≥ 0".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cost {

struct Usage {
  // --- Functions (AWS Lambda) ---
  int workers = 0;                     // P: worker functions of the run (the coordinator is not a worker)
  int memory_mb = 0;                   // configured memory of every function, MB
  double function_seconds = 0;         // Z: Σ duration of every invocation (workers + coordinator), s
  std::vector<double> worker_seconds;  // optional: duration of each invocation, s; when non-empty,
                                       // exact accounting rounds each one up to 1 ms (AWS billing)
  std::int64_t invocations = 0;        // function invocations, coordinator included (P + 1 for a run)

  // --- SNS (queue variant: publishers) ---
  std::int64_t sns_publish_calls = 0;     // Publish + PublishBatch API calls
  std::int64_t sns_billed_publishes = 0;  // Σ over calls of max(1, ⌈call payload bytes / 65,536⌉)
  std::int64_t sns_publish_bytes = 0;     // Σ payload bytes published (after compression/encoding)
  std::int64_t sns_messages = 0;          // messages published (a batch of 10 counts 10)
  std::int64_t sns_other_requests = 0;    // CreateTopic, Subscribe, Unsubscribe, DeleteTopic (priced as publishes)

  // --- SQS (queue variant: one queue per worker; SNS→SQS delivery is free) ---
  std::int64_t sqs_receives = 0;         // ReceiveMessage calls, empty ones included ("polls")
  std::int64_t sqs_empty_receives = 0;   // of which returned no message (informational)
  std::int64_t sqs_deletes = 0;          // DeleteMessage + DeleteMessageBatch calls
  std::int64_t sqs_sends = 0;            // SendMessage + SendMessageBatch calls
  std::int64_t sqs_other_requests = 0;   // CreateQueue, SetQueueAttributes, DeleteQueue, …
  std::int64_t sqs_billed_requests = 0;  // Σ over all SQS calls (other requests included) of
                                         // max(1, ⌈payload bytes / 65,536⌉)
  std::int64_t sqs_received_bytes = 0;   // Σ payload bytes returned by receives

  // --- S3 (object variant) ---
  std::int64_t s3_puts = 0;
  std::int64_t s3_gets = 0;
  std::int64_t s3_lists = 0;           // ListObjectsV2 calls ("polls" of a prefix)
  std::int64_t s3_deletes = 0;         // DeleteObject(s) calls; free on AWS, counted for checks
  std::int64_t s3_other_requests = 0;  // CreateBucket (priced as a PUT)
  std::int64_t s3_put_bytes = 0;
  std::int64_t s3_get_bytes = 0;

  // --- EC2 (server baselines) ---
  double ec2_seconds = 0;         // billed instance-seconds (minimum billing already applied)
  std::string ec2_instance_type;  // a key of Prices::ec2 (e.g. "c5.2xlarge"); empty when unused

  bool operator==(const Usage&) const = default;
};

// Sum of two usages (e.g. many queries). Counts add; workers and memory_mb take the maximum;
// worker_seconds concatenate; instance types must match (or one be empty), else std::invalid_argument.
Usage operator+(const Usage& a, const Usage& b);
// Every count multiplied by n (n queries of the same prediction); worker_seconds are dropped.
Usage scaled(const Usage& u, double n);

}  // namespace cost
