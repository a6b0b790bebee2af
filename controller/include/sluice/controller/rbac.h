// File: rbac.h
//
// Who may call what. Every RPC is listed here by its full gRPC name with the roles allowed to
// call it, and the server checks the table before running any handler; a method missing from
// the table is denied to everyone. The unit test walks the proto descriptors so that a new
// RPC cannot be added without a row here.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "sluice/common/result.h"

namespace sluice::controller {

enum class Role { kAdmin, kPolicyAuthor, kResponder, kAuditor, kAgent, kAnonymous };

std::string_view roleName(Role role);
// The roles a person can hold (not agent or anonymous).
Result<Role> parsePersonRole(std::string_view name);

// "/sluice.v1.PolicyService/PushPolicy" -> allowed roles.
const std::map<std::string, std::set<Role>>& rbacTable();
bool isAllowed(Role role, std::string_view full_method);
// The check every front end (gRPC and the web console) makes before running a handler: OK, or
// kUnauthenticated for a caller without credentials, or kPermissionDenied naming the role.
Status authorizeRole(Role role, std::string_view full_method);

}  // namespace sluice::controller
