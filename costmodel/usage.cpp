#include "costmodel/usage.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace cost {

Usage operator+(const Usage& a, const Usage& b) {
  if (!a.ec2_instance_type.empty() && !b.ec2_instance_type.empty() && a.ec2_instance_type != b.ec2_instance_type)
    throw std::invalid_argument("cannot add usages of instance types " + a.ec2_instance_type + " and " +
                                b.ec2_instance_type);
  Usage s;
  s.workers = std::max(a.workers, b.workers);
  s.memory_mb = std::max(a.memory_mb, b.memory_mb);
  s.function_seconds = a.function_seconds + b.function_seconds;
  s.worker_seconds = a.worker_seconds;
  s.worker_seconds.insert(s.worker_seconds.end(), b.worker_seconds.begin(), b.worker_seconds.end());
  s.invocations = a.invocations + b.invocations;
  s.sns_publish_calls = a.sns_publish_calls + b.sns_publish_calls;
  s.sns_billed_publishes = a.sns_billed_publishes + b.sns_billed_publishes;
  s.sns_publish_bytes = a.sns_publish_bytes + b.sns_publish_bytes;
  s.sns_messages = a.sns_messages + b.sns_messages;
  s.sns_other_requests = a.sns_other_requests + b.sns_other_requests;
  s.sqs_other_requests = a.sqs_other_requests + b.sqs_other_requests;
  s.s3_other_requests = a.s3_other_requests + b.s3_other_requests;
  s.sqs_receives = a.sqs_receives + b.sqs_receives;
  s.sqs_empty_receives = a.sqs_empty_receives + b.sqs_empty_receives;
  s.sqs_deletes = a.sqs_deletes + b.sqs_deletes;
  s.sqs_sends = a.sqs_sends + b.sqs_sends;
  s.sqs_billed_requests = a.sqs_billed_requests + b.sqs_billed_requests;
  s.sqs_received_bytes = a.sqs_received_bytes + b.sqs_received_bytes;
  s.s3_puts = a.s3_puts + b.s3_puts;
  s.s3_gets = a.s3_gets + b.s3_gets;
  s.s3_lists = a.s3_lists + b.s3_lists;
  s.s3_deletes = a.s3_deletes + b.s3_deletes;
  s.s3_put_bytes = a.s3_put_bytes + b.s3_put_bytes;
  s.s3_get_bytes = a.s3_get_bytes + b.s3_get_bytes;
  s.ec2_seconds = a.ec2_seconds + b.ec2_seconds;
  s.ec2_instance_type = a.ec2_instance_type.empty() ? b.ec2_instance_type : a.ec2_instance_type;
  return s;
}

Usage scaled(const Usage& u, double n) {
  auto count = [n](std::int64_t c) { return static_cast<std::int64_t>(std::llround(static_cast<double>(c) * n)); };
  Usage s = u;
  s.worker_seconds.clear();
  s.function_seconds = u.function_seconds * n;
  s.invocations = count(u.invocations);
  s.sns_publish_calls = count(u.sns_publish_calls);
  s.sns_billed_publishes = count(u.sns_billed_publishes);
  s.sns_publish_bytes = count(u.sns_publish_bytes);
  s.sns_messages = count(u.sns_messages);
  s.sns_other_requests = count(u.sns_other_requests);
  s.sqs_other_requests = count(u.sqs_other_requests);
  s.s3_other_requests = count(u.s3_other_requests);
  s.sqs_receives = count(u.sqs_receives);
  s.sqs_empty_receives = count(u.sqs_empty_receives);
  s.sqs_deletes = count(u.sqs_deletes);
  s.sqs_sends = count(u.sqs_sends);
  s.sqs_billed_requests = count(u.sqs_billed_requests);
  s.sqs_received_bytes = count(u.sqs_received_bytes);
  s.s3_puts = count(u.s3_puts);
  s.s3_gets = count(u.s3_gets);
  s.s3_lists = count(u.s3_lists);
  s.s3_deletes = count(u.s3_deletes);
  s.s3_put_bytes = count(u.s3_put_bytes);
  s.s3_get_bytes = count(u.s3_get_bytes);
  s.ec2_seconds = u.ec2_seconds * n;
  return s;
}

}  // namespace cost
