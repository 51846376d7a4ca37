// Result<T>: the value of an operation that can fail in an expected way (throttling, timeout,
// missing object, a modelled Lambda timeout), or the Error saying why and whether retrying helps.
// Bugs are not Results: they are asserts or std::logic_error. Bad input files are InputError.
// Value type, no shared state: thread-safe as any value.
#pragma once

#include <cassert>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace engine {

enum class ErrorCode {
  kInvalidInput,  // the request or the data is wrong; retrying the same thing cannot help
  kUnavailable,   // throttled, 5xx, connection reset: retry with backoff
  kNotFound,      // the object, queue or topic does not exist (yet)
  kDeadline,      // a timeout elapsed; retrying may help
  kInternal,      // the service broke its own contract
};

const char* to_string(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string where;  // "Class::method" or "service:operation"
  std::string what;   // human-readable, never contains credentials

  bool retryable() const { return code == ErrorCode::kUnavailable || code == ErrorCode::kDeadline; }
  std::string message() const;  // "where: what (code)"
  bool operator==(const Error&) const = default;
};

// A minimal std::expected (C++23) for C++20.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit, as std::expected
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { check(); return std::get<0>(v_); }
  const T& value() const& { check(); return std::get<0>(v_); }
  T&& value() && { check(); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!has_value());
    return std::get<1>(v_);
  }

 private:
  void check() const {
    if (!has_value()) throw std::logic_error("Result::value() on an error: " + std::get<1>(v_).message());
  }
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
struct Ok {
  bool operator==(const Ok&) const = default;
};
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Ok) {}  // NOLINT
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }
  void value() const {
    if (!ok_) throw std::logic_error("Result::value() on an error: " + error_.message());
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace engine
