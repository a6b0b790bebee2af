// File: decision.h
//
// The decision engine: what a policy does to traffic toward one destination, and why. The
// answer is a class (allow, inspect, deny) plus the chain of reasons a person reads to
// understand it: which policy destination or catalog vendor matched, the BAA and its expiry,
// the region, the default that applied, and the PHI rules that inspect the traffic. It powers
// `sluicectl policy explain` ("why was this blocked?") and the agent's name-based enforcement
// (SNI and DNS), so both give the same answer for the same name.
//
//   auto target = parseTarget("bedrock-runtime.eu-west-1.amazonaws.com:443");
//   Decision d = decide(policy, Catalog::builtin(), *target);
//   if (d.cls == DestClass::kDeny && d.enforced) ...;   // d.reasons says why
//
// Order of precedence:
//   1. The policy's own destinations. A host match (most specific name) beats an IP match
//      (longest prefix). The destination's class holds, made stricter if its region is not
//      allowed.
//   2. The catalog, by hostname, else by the vendor's published IP ranges. A vendor starts as
//      inspect; each failed check (no BAA, expired BAA, region not allowed or unknown) applies
//      its spec.defaults class, and the strictest wins.
//   3. Anything else is spec.defaults.unknownDestination.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/policy/catalog.h"
#include "sluice/policy/policy.h"

namespace sluice::policy {

struct Target {
  std::string host;        // "" when only an address is known
  std::optional<Cidr> ip;  // a full-length prefix (Cidr::parseAddress)
  uint16_t port = 443;
  Protocol protocol = Protocol::kTcp;
  std::string toString() const;  // "host:port", "[v6]:port", "host:port (ip)"
};

// "host", "host:port", "1.2.3.4:443", "[2001:db8::1]:443", "2001:db8::1". An address in the
// host position sets `ip` instead of `host`. The port defaults to 443.
Result<Target> parseTarget(std::string_view text);

struct Reason {
  std::string step;  // destination | vendor | baa | region | default | class | rule | mode | tls
  std::string text;
  SourceLoc loc;  // where in the policy this comes from, when it does (line 0 otherwise)
};

struct Decision {
  DestClass cls = DestClass::kAllow;
  bool enforced = true;            // false in audit mode: reported, never blocked
  std::string destination;         // the policy destination that matched, if one did
  std::string vendor_id;           // the catalog vendor that matched, if one did
  std::string region;              // the region the traffic goes to, when known
  std::vector<std::string> rules;  // PHI rules applied to inspected traffic
  std::vector<Reason> reasons;
};

struct DecideOptions {
  std::string today;  // "YYYY-MM-DD" for BAA expiry; empty = the current UTC date
};

Decision decide(const Policy& policy, const Catalog& catalog, const Target& target,
                const DecideOptions& options = {});

// Every hostname pattern a name-based enforcer (the agent's kernel name table) needs for this
// policy, without duplicates: the policy's own hosts; each catalog pattern, with {region}
// expanded over the vendor's listed regions; and, for vendors whose names carry a resource
// (Azure OpenAI), each resource the policy pins, under each of the vendor's wildcard
// patterns. Wildcards stay wildcards ("*.openai.azure.com"); judge one with decide() on a
// representative name under it. A {region} name for a region the catalog does not list is
// matched only by decide() on the actual name.
std::vector<std::string> enforcementNames(const Policy& policy, const Catalog& catalog);

// Orders classes by how much they restrict: allow < inspect < deny.
DestClass stricter(DestClass a, DestClass b);

}  // namespace sluice::policy
