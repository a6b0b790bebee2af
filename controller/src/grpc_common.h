// File: grpc_common.h
//
// What every gRPC handler does first: identify the caller (agent certificate, or API token
// plus TOTP, or nobody) and check the RBAC table for the method. The macros keep handlers to
// their translation work.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string_view>

#include "sluice/controller/auth.h"
#include "sluice/controller/client.h"
#include "sluice/controller/controller.h"

namespace sluice::controller {

Result<Principal> authorize(Controller& controller, grpc::ServerContext* context,
                            std::string_view full_method);

}  // namespace sluice::controller

// Declares `const Principal& var` or returns the gRPC error from the handler.
#define SLUICE_AUTHORIZE(var, method)                                                   \
  auto var##_result_ = ::sluice::controller::authorize(core_, context, method);         \
  if (!var##_result_) return ::sluice::controller::toGrpcStatus(var##_result_.error()); \
  const ::sluice::controller::Principal& var = *var##_result_

#define SLUICE_GRPC_ASSIGN_OR_RETURN(lhs, expr) \
  SLUICE_GRPC_ASSIGN_OR_RETURN_IMPL_(SLUICE_CONCAT_(sluice_grpc_result_, __LINE__), lhs, expr)
#define SLUICE_GRPC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr)          \
  auto tmp = (expr);                                                \
  if (!tmp) return ::sluice::controller::toGrpcStatus(tmp.error()); \
  lhs = std::move(tmp).value()

#define SLUICE_GRPC_RETURN_IF_ERROR(expr)                                     \
  do {                                                                        \
    auto&& sluice_grpc_status_ = (expr);                                      \
    if (!sluice_grpc_status_) {                                               \
      return ::sluice::controller::toGrpcStatus(sluice_grpc_status_.error()); \
    }                                                                         \
  } while (0)
