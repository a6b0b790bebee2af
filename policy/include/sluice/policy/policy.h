// File: policy.h
//
// The EgressPolicy model (apiVersion sluice.dev/v1, kind EgressPolicy) and its loader. A
// security engineer writes the policy as YAML; `loadPolicyFile` parses and validates it and
// reports *every* problem at once as `file:line:col: message`. The agent compiles a loaded
// Policy into kernel maps (agent/policy_compiler.h); sluicectl validates, explains and diffs it.
//
// Everything here is plain data: no kernel, no I/O beyond reading the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/common/result.h"

namespace sluice::policy {

enum class Mode { kEnforce, kAudit };
enum class FailMode { kClosed, kOpen };
// What happens to traffic toward a destination.
enum class DestClass { kAllow, kInspect, kDeny };
enum class Protocol { kAny, kTcp, kUdp };

std::string_view modeName(Mode m);
std::string_view destClassName(DestClass c);
std::string_view protocolName(Protocol p);
std::string_view failModeName(FailMode m);

// An IPv4 or IPv6 prefix. IPv4 is held as an IPv4-mapped IPv6 address (::ffff:a.b.c.d) with
// prefix_len + 96, so that one trie serves both families and an IPv4 rule also catches a
// v4-mapped destination on an IPv6 socket. `parse` refuses host bits set below the prefix
// ("10.1.2.3/8"): the author meant either the /8 network or the /32 host, and guessing the
// wider one would silently turn a one-host rule into a sixteen-million-host rule.
struct Cidr {
  uint8_t addr[16] = {};
  uint8_t prefix_len = 0;  // 0..128, in the mapped space
  bool is_v4 = false;
  std::string text;  // as written, for messages

  static Result<Cidr> parse(std::string_view text);
  bool contains(const Cidr& other) const;  // other is inside this prefix
  bool overlaps(const Cidr& other) const;
  // An address without a prefix ("10.1.2.3", "::1") as a full-length prefix.
  static Result<Cidr> parseAddress(std::string_view text);
  std::string canonical() const;  // "10.0.0.0/8", "2001:db8::/32" (v4 prefix shown unmapped)
  int familyPrefixLen() const { return is_v4 ? prefix_len - 96 : prefix_len; }
};

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 0;
};

// Parses "443" or "8000-8100" (1..65535, first <= last).
Result<PortRange> parsePortRange(std::string_view text);
bool portsOverlap(const std::vector<PortRange>& a, const std::vector<PortRange>& b);
bool protocolsOverlap(Protocol a, Protocol b);

// Where in the source a value came from, for messages.
struct SourceLoc {
  std::string file;
  int line = 0;  // 1-based; 0 = unknown
  int col = 0;
  std::string toString() const;  // "file:line:col"
};

// One problem found while loading; the loader collects all of them. Errors make the policy
// invalid; warnings are things a reviewer should look at but that have one safe reading.
enum class Severity { kError, kWarning };

struct Diagnostic {
  SourceLoc loc;
  std::string message;
  Severity severity = Severity::kError;
  std::string toString() const;  // "file:line:col: message" ("...: warning: message")
};

struct Destination {
  std::string name;
  std::vector<std::string> hosts;  // exact names or "*.example.com"
  std::vector<Cidr> cidrs;
  std::vector<PortRange> ports;  // empty = every port
  Protocol protocol = Protocol::kAny;
  DestClass cls = DestClass::kDeny;
  std::optional<bool> baa;
  std::string region;
  SourceLoc loc;
};

struct BaaTerms {
  bool is_signed = false;
  std::optional<std::string> expires;  // YYYY-MM-DD; the BAA is valid through this day (UTC)
};

// A vendor whose region cannot be read from its hostnames (Azure OpenAI: <resource>.openai.
// azure.com) has its resources pinned to regions by the policy.
struct ResourcePin {
  std::string resource;  // the leftmost hostname label, e.g. "contoso-eastus"
  std::string region;
  SourceLoc loc;
};

struct VendorGrant {
  std::string id;  // catalog vendor id
  BaaTerms baa;
  std::vector<std::string> regions;  // empty = spec.regions.allowed
  std::vector<ResourcePin> resources;
  SourceLoc loc;
};

struct PhiRule {
  std::string name;
  std::vector<std::string> phi;      // PHI types; {"any"} matches every type
  std::vector<std::string> vendors;  // match.destination.vendors (catalog ids); empty = any
  std::vector<std::string> hosts;    // match.destination.hosts (host patterns); empty = any
  std::string action;                // block | audit | allow
  SourceLoc loc;
};

struct Defaults {
  DestClass unknown_destination = DestClass::kAllow;
  DestClass ai_without_baa = DestClass::kDeny;
  DestClass out_of_region = DestClass::kDeny;
  DestClass expired_baa = DestClass::kDeny;
  DestClass uninspectable_tls = DestClass::kDeny;
  DestClass ech = DestClass::kDeny;
};

struct Policy {
  std::string api_version = "sluice.dev/v1";
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  Mode mode = Mode::kEnforce;
  std::string scope_cgroup = "/";
  FailMode fail_mode = FailMode::kClosed;
  uint32_t hold_timeout_ms = 2000;
  std::vector<std::string> allowed_regions;  // empty = spec.regions absent: no restriction
  std::vector<VendorGrant> vendors;
  std::vector<Destination> destinations;
  std::vector<PhiRule> rules;
  Defaults defaults;
  std::string source_file;
  std::string sha256;  // of the file's bytes: identifies the exact version that is enforced
  std::vector<Diagnostic> warnings;  // of a valid policy; see Diagnostic
};

class Catalog;  // sluice/policy/catalog.h

struct ParseOptions {
  // "YYYY-MM-DD" (UTC). BAA expiry dates are compared with it. Empty = the current UTC date.
  std::string today;
  // An expired BAA is an error for `sluicectl policy validate` (the author should fix it).
  // A daemon reloading a policy it already enforced may set this to false: the expiry then
  // becomes a warning and the vendor simply falls under spec.defaults.expiredBaa.
  bool expired_baa_is_error = true;
  // Vendor ids and regions are checked against this catalog; null = the built-in catalog.
  const Catalog* catalog = nullptr;
};

// Everything the loader found: the policy when there were no errors, and every diagnostic
// (errors and warnings), sorted by position.
struct PolicyReport {
  std::optional<Policy> policy;
  std::vector<Diagnostic> diagnostics;
  bool ok() const { return policy.has_value(); }
  size_t errorCount() const;
};

// Parses and validates. On failure the Error's message lists every error, one per line,
// each "file:line:col: message". Warnings of a valid policy are in Policy::warnings.
Result<Policy> loadPolicyFile(const std::string& path);
Result<Policy> loadPolicyFile(const std::string& path, const ParseOptions& options);
Result<Policy> parsePolicy(std::string_view yaml_text, const std::string& file_name);
Result<Policy> parsePolicy(std::string_view yaml_text, const std::string& file_name,
                           const ParseOptions& options);

// The same checks, returning every diagnostic rather than a single Error. Reading the file can
// still fail (kNotFound, kPermissionDenied); a policy with errors is not a failure here.
PolicyReport checkPolicy(std::string_view yaml_text, const std::string& file_name,
                         const ParseOptions& options = {});
Result<PolicyReport> checkPolicyFile(const std::string& path, const ParseOptions& options = {});

// The PHI type names accepted in spec.rules[].match.phi (the 18 HIPAA Safe Harbor identifiers
// plus "any"). The scanner reports findings under these names.
const std::vector<std::string>& phiTypeNames();

// Lower-case hex SHA-256 of bytes.
std::string sha256Hex(std::string_view bytes);

}  // namespace sluice::policy
