#include "sluice/common/result.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace sluice {

std::string_view errorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid-argument";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kAlreadyExists: return "already-exists";
    case ErrorCode::kPermissionDenied: return "permission-denied";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kResourceExhausted: return "resource-exhausted";
    case ErrorCode::kFailedPrecondition: return "failed-precondition";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kDataLoss: return "data-loss";
    case ErrorCode::kInternal: return "internal";
  }
  return "unknown";
}

std::string Error::toString() const {
  return std::string(errorCodeName(code_)) + ": " + message_;
}

Error Error::withContext(std::string_view context) const {
  return Error(code_, std::string(context) + ": " + message_);
}

Error errnoError(int err, std::string_view what) {
  if (err < 0) err = -err;
  ErrorCode code = ErrorCode::kInternal;
  switch (err) {
    case ENOENT: code = ErrorCode::kNotFound; break;
    case EEXIST: code = ErrorCode::kAlreadyExists; break;
    case EPERM:
    case EACCES: code = ErrorCode::kPermissionDenied; break;
    case EINVAL: code = ErrorCode::kInvalidArgument; break;
    case E2BIG:
    case ENOSPC:
    case ENOMEM: code = ErrorCode::kResourceExhausted; break;
    case EAGAIN:
    case ECONNREFUSED:
    case EOPNOTSUPP: code = ErrorCode::kUnavailable; break;
    default: break;
  }
  std::string msg(what);
  msg += ": ";
  msg += std::strerror(err);
  if (code == ErrorCode::kPermissionDenied) msg += " (run as root, or grant CAP_BPF/CAP_NET_ADMIN)";
  return Error(code, std::move(msg));
}

}  // namespace sluice
