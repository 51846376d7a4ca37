// Request validation shared by the memory services: the limits AWS enforces on SNS and SQS
// (message size, batch entries, aggregate batch size, legal body characters), so code that passes
// here passes on AWS too. Pure functions; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "engine/cloud/message.hpp"
#include "engine/common/result.hpp"

namespace engine::cloud::memory {

// True when every character of the UTF-8 text is one SQS accepts:
// #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (SQS SendMessage docs).
bool is_legal_body(std::string_view utf8);

// Checks a batch as SendMessageBatch / PublishBatch do: 1..10 entries, a non-empty legal body,
// each billed_size ≤ kMaxMessageBytes and their sum ≤ kMaxMessageBytes (both APIs limit the
// aggregate payload of one batch to 256 KiB). `where` names the operation in the error.
Result<void> check_batch(std::span<const OutgoingMessage> messages, const std::string& where);

}  // namespace engine::cloud::memory
