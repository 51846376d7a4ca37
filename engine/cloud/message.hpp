// Message value types shared by the PubSub and Queue interfaces.
//
// Bodies are text as SQS accepts it (#x9 #xA #xD, #x20-#xD7FF, #xE000-#xFFFD): a caller with
// binary payloads encodes them (the queue channel does). A message's billed size is its body plus
// its attribute names and values; the limit is 256 KiB (262,144 bytes) in every backend.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace engine::cloud {

using Attributes = std::map<std::string, std::string>;  // string-typed message attributes

inline constexpr std::size_t kMaxMessageBytes = 262144;  // SNS and SQS limit (AWS docs, 2024)
inline constexpr int kMaxBatchEntries = 10;              // PublishBatch / SendMessageBatch / receive / delete

struct OutgoingMessage {
  std::string body;
  Attributes attributes;
  bool operator==(const OutgoingMessage&) const = default;
};

struct ReceivedMessage {
  std::string message_id;
  std::string receipt_handle;  // what delete_batch takes; changes on every receive
  std::string body;
  Attributes attributes;
  int receive_count = 1;  // ApproximateReceiveCount: >1 means a redelivery
};

// Size a bill counts for a message: body + attribute names + values.
inline std::size_t billed_size(const OutgoingMessage& m) {
  std::size_t n = m.body.size();
  for (const auto& [k, v] : m.attributes) n += k.size() + v.size();
  return n;
}

// An SNS filter policy on string attributes: a message passes when, for every key, its attribute
// value is one of the listed strings (exact match).
using FilterPolicy = std::map<std::string, std::vector<std::string>>;

}  // namespace engine::cloud
