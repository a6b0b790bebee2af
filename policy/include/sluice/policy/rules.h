// File: rules.h
//
// The verdict on one inspected request: spec.rules[] against the PHI types the scanner found
// and the request's destination. The first matching rule wins. A request with PHI that no rule
// matches is blocked (inspect-class traffic defaults to block); a request without PHI is
// allowed. In audit mode a block becomes an audit: reported, never stopped.
//
//   auto v = judgeRequest(policy, {"SSN", "NAME"}, "api.openai.com", "openai");
//   if (v.action == RequestAction::kBlock) ...   // v.rule names the rule, or "default"
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sluice/policy/policy.h"

namespace sluice::policy {

enum class RequestAction { kAllow, kAudit, kBlock };
std::string_view requestActionName(RequestAction a);

struct RequestVerdict {
  RequestAction action = RequestAction::kAllow;
  std::string rule;  // the matching rule's name; "default" for PHI no rule matched; "" if none
};

// A request's Host or :authority as a host name: the port dropped ("api.x.com:443",
// "[::1]:443"), lower case, no trailing dot. The form SNIs and host patterns are compared in.
std::string requestHostName(std::string_view host);

// `phi_types`: the scanner's type names of every finding (duplicates are fine).
// `host`: the request's Host or :authority (a port is ignored). `vendor_id`: the catalog vendor
// the host belongs to, or empty.
RequestVerdict judgeRequest(const Policy& policy, const std::vector<std::string>& phi_types,
                            std::string_view host, std::string_view vendor_id);

}  // namespace sluice::policy
