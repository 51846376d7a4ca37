// Meter: a decorator over any service set that counts what a bill counts, per service.
//
//   engine::cloud::Meter meter(cloud.services());
//   engine::cloud::Services metered = meter.services();   // hand these to workers and channels
//   ... run ...
//   engine::cloud::MeteredUsage usage = meter.usage();
//
// Counting rules (the cost model prices exactly these; docs/ENGINE.md lists each channel's pattern):
// - A request is counted when the service accepted it (the call returned a value). Calls that
//   failed are counted apart, in *_errors, and are not billed (AWS does not bill throttled calls).
// - Billed requests: SNS and SQS bill each 64 KiB chunk of a request's payload as one request
//   (SNS PublishBatch and SQS SendMessageBatch: the batch's total payload; ReceiveMessage: the
//   payload returned; at least 1 each). Payload = billed_size() of message.hpp.
// - S3 counts PUT/GET/LIST/DELETE requests and bytes; Lambda counts invocations, and GB-seconds
//   from record_function_run() (duration rounded up to 1 ms per invocation, as Lambda bills).
// Thread-safe (atomic counters); the Meter must outlive the Services it hands out.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "engine/cloud/services.hpp"

namespace engine::cloud {

inline constexpr std::int64_t kBilledChunkBytes = 65536;  // SNS/SQS: 64 KiB per billed request

// Billed requests for one request carrying payload_bytes: ⌈payload / 64 KiB⌉, at least 1.
inline std::int64_t billed_chunks(std::int64_t payload_bytes) {
  return payload_bytes <= kBilledChunkBytes ? 1 : (payload_bytes + kBilledChunkBytes - 1) / kBilledChunkBytes;
}

struct MeteredUsage {
  // SNS
  std::int64_t sns_publish_requests = 0;  // PublishBatch calls
  std::int64_t sns_publish_billed = 0;    // Σ billed_chunks(batch payload)
  std::int64_t sns_messages = 0;          // messages published
  std::int64_t sns_payload_bytes = 0;     // Σ billed_size of published messages
  std::int64_t sns_other_requests = 0;    // CreateTopic, Subscribe, Unsubscribe, DeleteTopic
  // SQS
  std::int64_t sqs_send_requests = 0;
  std::int64_t sqs_send_billed = 0;
  std::int64_t sqs_receive_requests = 0;
  std::int64_t sqs_receive_billed = 0;   // Σ billed_chunks(payload returned)
  std::int64_t sqs_empty_receives = 0;   // receives that returned nothing (still billed)
  std::int64_t sqs_messages_received = 0;
  std::int64_t sqs_received_bytes = 0;
  std::int64_t sqs_delete_requests = 0;  // DeleteMessageBatch calls
  std::int64_t sqs_other_requests = 0;   // CreateQueue, SetQueueAttributes, GetQueueAttributes, DeleteQueue
  // S3
  std::int64_t s3_put_requests = 0;
  std::int64_t s3_put_bytes = 0;
  std::int64_t s3_get_requests = 0;
  std::int64_t s3_get_bytes = 0;
  std::int64_t s3_list_requests = 0;
  std::int64_t s3_delete_requests = 0;  // DeleteObjects calls
  std::int64_t s3_other_requests = 0;   // CreateBucket
  // Lambda
  std::int64_t lambda_invocations = 0;
  double lambda_gb_s = 0;            // Σ ⌈duration⌉_ms / 1000 · memory_mb / 1024
  double lambda_duration_s = 0;      // Σ unrounded durations
  // Failed calls (not billed): throttling, not-found, invalid requests.
  std::int64_t sns_errors = 0, sqs_errors = 0, s3_errors = 0, lambda_errors = 0;
  // EC2 (the simulated server baselines, sim/servers/; the Meter itself never sets it): billed
  // instance-seconds, per-second billing and its minimum applied.
  double ec2_instance_seconds = 0;

  bool operator==(const MeteredUsage&) const = default;
};

class Meter {
 public:
  explicit Meter(Services inner);
  ~Meter();
  Meter(const Meter&) = delete;
  Meter& operator=(const Meter&) = delete;

  // The metered services (runtime passes through: time is not billed here).
  Services services();
  // A consistent-enough snapshot (each counter read atomically).
  MeteredUsage usage() const;
  // One function run of duration_s at memory_mb (the coordinator reports each worker's run).
  void record_function_run(double duration_s, int memory_mb);

  struct Counters;  // atomics; defined in meter.cpp

 private:
  std::unique_ptr<Counters> counters_;
  std::unique_ptr<PubSub> pubsub_;
  std::unique_ptr<Queue> queue_;
  std::unique_ptr<ObjectStore> objects_;
  std::unique_ptr<Functions> functions_;
  Services inner_;
};

}  // namespace engine::cloud
