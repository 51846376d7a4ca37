#include "engine/common/result.hpp"

namespace engine {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid input";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kDeadline: return "deadline exceeded";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string Error::message() const { return where + ": " + what + " (" + to_string(code) + ")"; }

}  // namespace engine
