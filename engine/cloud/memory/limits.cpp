#include "engine/cloud/memory/limits.hpp"

#include <cstdint>

namespace engine::cloud::memory {

bool is_legal_body(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned c = *p;
    if (c < 0x80) {  // ASCII fast path
      if (c < 0x20 && c != 0x9 && c != 0xA && c != 0xD) return false;
      ++p;
      continue;
    }
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : -1;
    if (extra < 0 || c >= 0xF8 || end - p <= extra) return false;
    std::uint32_t cp = c & (0x3F >> extra);
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra]) return false;  // overlong encoding
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF || cp > 0x10FFFF) return false;
    p += extra + 1;
  }
  return true;
}

Result<void> check_batch(std::span<const OutgoingMessage> messages, const std::string& where) {
  if (messages.empty() || messages.size() > static_cast<std::size_t>(kMaxBatchEntries))
    return Error{ErrorCode::kInvalidInput, where,
                 "a batch holds 1.." + std::to_string(kMaxBatchEntries) + " entries, got " +
                     std::to_string(messages.size())};
  std::size_t total = 0;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const auto& m = messages[i];
    const std::size_t bytes = billed_size(m);
    if (m.body.empty())
      return Error{ErrorCode::kInvalidInput, where, "entry " + std::to_string(i) + ": empty body"};
    if (bytes > kMaxMessageBytes)
      return Error{ErrorCode::kInvalidInput, where,
                   "entry " + std::to_string(i) + ": " + std::to_string(bytes) + " bytes exceeds the limit of " +
                       std::to_string(kMaxMessageBytes)};
    if (!is_legal_body(m.body))
      return Error{ErrorCode::kInvalidInput, where, "entry " + std::to_string(i) + ": body has characters SQS rejects"};
    total += bytes;
  }
  if (total > kMaxMessageBytes)
    return Error{ErrorCode::kInvalidInput, where,
                 "batch of " + std::to_string(total) + " bytes exceeds the aggregate limit of " +
                     std::to_string(kMaxMessageBytes)};
  return Ok{};
}

}  // namespace engine::cloud::memory
