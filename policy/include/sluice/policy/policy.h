// File: policy.h
//
// The EgressPolicy model (apiVersion sluice.dev/v1, kind EgressPolicy) and its loader. A
// security engineer writes the policy as YAML; `loadPolicyFile` parses and validates it and
// reports *every* problem at once as `file:line:col: message`. The agent compiles a loaded
// Policy into kernel maps (agent/policy_compiler.h); sluicectl validates, explains and diffs it.
//
// Everything here is plain data: no kernel, no I/O beyond reading the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
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

// An IPv4 or IPv6 prefix. IPv4 is held as an IPv4-mapped IPv6 address (::ffff:a.b.c.d) with
// prefix_len + 96, so that one trie serves both families and an IPv4 rule also catches a
// v4-mapped destination on an IPv6 socket.
struct Cidr {
  uint8_t addr[16] = {};
  uint8_t prefix_len = 0;  // 0..128, in the mapped space
  bool is_v4 = false;
  std::string text;  // as written, for messages

  static Result<Cidr> parse(std::string_view text);
  bool contains(const Cidr& other) const;  // other is inside this prefix
  bool overlaps(const Cidr& other) const;
};

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 0;
};

// Where in the source a value came from, for messages.
struct SourceLoc {
  std::string file;
  int line = 0;  // 1-based; 0 = unknown
  int col = 0;
  std::string toString() const;  // "file:line:col"
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
  std::optional<std::string> expires;  // YYYY-MM-DD
};

struct VendorGrant {
  std::string id;  // catalog vendor id
  BaaTerms baa;
  std::vector<std::string> regions;  // empty = spec.regions.allowed
  SourceLoc loc;
};

struct PhiRule {
  std::string name;
  std::vector<std::string> phi;  // PHI types; {"any"} matches every type
  std::string action;            // block | audit | allow
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
  std::vector<std::string> allowed_regions;
  std::vector<VendorGrant> vendors;
  std::vector<Destination> destinations;
  std::vector<PhiRule> rules;
  Defaults defaults;
  std::string source_file;
  std::string sha256;  // of the file's bytes: identifies the exact version that is enforced
};

// One problem found while loading; the loader collects all of them.
struct Diagnostic {
  SourceLoc loc;
  std::string message;
  std::string toString() const;  // "file:line:col: message"
};

// Parses and validates. On failure the Error's message lists every diagnostic, one per line,
// each "file:line:col: message".
Result<Policy> loadPolicyFile(const std::string& path);
Result<Policy> parsePolicy(std::string_view yaml_text, const std::string& file_name);

}  // namespace sluice::policy
