#include "sluice/policy/rules.h"

#include <algorithm>

#include "host_pattern.h"

namespace sluice::policy {
namespace {

// "api.example.com:8443" -> "api.example.com"; "[::1]:443" -> "::1".
std::string_view stripPort(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    return close == std::string_view::npos ? host : host.substr(1, close - 1);
  }
  size_t colon = host.rfind(':');
  if (colon != std::string_view::npos && host.find(':') == colon) return host.substr(0, colon);
  return host;
}

bool phiMatches(const PhiRule& rule, const std::vector<std::string>& found) {
  if (found.empty()) return false;
  for (const auto& want : rule.phi) {
    if (want == "any") return true;
    if (std::find(found.begin(), found.end(), want) != found.end()) return true;
  }
  return false;
}

bool destinationMatches(const PhiRule& rule, std::string_view host, std::string_view vendor) {
  if (!rule.vendors.empty() &&
      std::find(rule.vendors.begin(), rule.vendors.end(), vendor) == rule.vendors.end()) {
    return false;
  }
  if (rule.hosts.empty()) return true;
  std::string name = requestHostName(host);
  return std::any_of(rule.hosts.begin(), rule.hosts.end(),
                     [&](const std::string& p) { return detail::hostMatches(p, name); });
}

RequestAction parseAction(const std::string& a) {
  if (a == "block") return RequestAction::kBlock;
  if (a == "audit") return RequestAction::kAudit;
  return RequestAction::kAllow;
}

}  // namespace

std::string requestHostName(std::string_view host) {
  return detail::normalizeHost(stripPort(host));
}

std::string_view requestActionName(RequestAction a) {
  switch (a) {
    case RequestAction::kAllow: return "allow";
    case RequestAction::kAudit: return "audit";
    case RequestAction::kBlock: return "block";
  }
  return "allow";
}

RequestVerdict judgeRequest(const Policy& policy, const std::vector<std::string>& phi_types,
                            std::string_view host, std::string_view vendor_id) {
  RequestVerdict v;
  if (phi_types.empty()) return v;
  v.action = RequestAction::kBlock;
  v.rule = "default";
  for (const auto& rule : policy.rules) {
    if (phiMatches(rule, phi_types) && destinationMatches(rule, host, vendor_id)) {
      v.action = parseAction(rule.action);
      v.rule = rule.name;
      break;
    }
  }
  if (policy.mode == Mode::kAudit && v.action == RequestAction::kBlock) {
    v.action = RequestAction::kAudit;
  }
  return v;
}

}  // namespace sluice::policy
