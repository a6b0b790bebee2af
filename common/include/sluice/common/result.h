// File: result.h
//
// Errors are values in Sluice. Every fallible function across a module boundary returns
// `Result<T>`: either a T or an `Error` with a code and a message a person can act on
// ("/etc/sluice/policy.yaml:12:5: unknown key 'clas'; did you mean 'class'?"). Exceptions
// never cross module boundaries; code that calls a throwing library catches at the edge.
//
//   Result<Policy> p = loadPolicyFile(path);
//   if (!p) return p.error();
//   SLUICE_ASSIGN_OR_RETURN(auto fd, openPinned(path));
//   SLUICE_RETURN_IF_ERROR(map.update(key, value));
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace sluice {

enum class ErrorCode {
  kInvalidArgument,  // bad input: a policy, a flag, a packet
  kNotFound,         // a file, pin, cgroup or process that is not there
  kAlreadyExists,
  kPermissionDenied,    // EPERM/EACCES: usually "run as root" or a missing capability
  kUnavailable,         // a peer or kernel feature that is not there right now
  kResourceExhausted,   // a full map, ring buffer or spool
  kFailedPrecondition,  // the system is not in a state where this can work
  kUnauthenticated,
  kDataLoss,  // tampering or corruption detected
  kInternal,
};

std::string_view errorCodeName(ErrorCode code);

class Error {
 public:
  Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  std::string toString() const;

  // Prepends context: Error(kNotFound, "no such file").withContext("loading policy")
  // reads "loading policy: no such file".
  Error withContext(std::string_view context) const;

 private:
  ErrorCode code_;
  std::string message_;
};

// Builds an Error from errno-style failures: "what: strerror(err)", with the code mapped.
Error errnoError(int err, std::string_view what);

inline Error invalidArgument(std::string message) {
  return Error(ErrorCode::kInvalidArgument, std::move(message));
}
inline Error notFound(std::string message) {
  return Error(ErrorCode::kNotFound, std::move(message));
}
inline Error internalError(std::string message) {
  return Error(ErrorCode::kInternal, std::move(message));
}
inline Error unavailable(std::string message) {
  return Error(ErrorCode::kUnavailable, std::move(message));
}
inline Error failedPrecondition(std::string message) {
  return Error(ErrorCode::kFailedPrecondition, std::move(message));
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<T>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<Error>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<Error>(std::move(state_));
  }

  T valueOr(T fallback) const& { return ok() ? value() : std::move(fallback); }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_{ErrorCode::kInternal, ""};
  bool ok_ = true;
};

using Status = Result<void>;

inline Status okStatus() {
  return {};
}

}  // namespace sluice

#define SLUICE_CONCAT_INNER_(a, b) a##b
#define SLUICE_CONCAT_(a, b) SLUICE_CONCAT_INNER_(a, b)

// Returns the error of `expr` (a Result<T> or Status) from the enclosing function.
#define SLUICE_RETURN_IF_ERROR(expr)                               \
  do {                                                             \
    auto&& sluice_status_ = (expr);                                \
    if (!sluice_status_) return std::move(sluice_status_).error(); \
  } while (0)

// `SLUICE_ASSIGN_OR_RETURN(auto x, makeX());` declares x from the value or returns the error.
#define SLUICE_ASSIGN_OR_RETURN(lhs, expr) \
  SLUICE_ASSIGN_OR_RETURN_IMPL_(SLUICE_CONCAT_(sluice_result_, __LINE__), lhs, expr)
#define SLUICE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp) return std::move(tmp).error();            \
  lhs = std::move(tmp).value()
