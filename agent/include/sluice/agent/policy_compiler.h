// File: policy_compiler.h
//
// Turns a loaded EgressPolicy into the entries of the kernel's destination LPM trie
// (bpf/include/sluice/abi.h explains the key layout). Pure data in, data out, so every rule
// of the mapping is unit-tested without a kernel:
//
//   - each destination × CIDR × port × protocol becomes one key; no ports = port 0 (every
//     port); protocol any = one TCP and one UDP key;
//   - the class sets the action: deny → DENY, allow/inspect → ALLOW; in audit mode DENY
//     becomes AUDIT, so nothing is blocked and everything that would be is reported;
//   - spec.defaults.unknownDestination becomes the prefixlen-0 entry that matches all;
//   - when two destinations produce the same key, the first one in the file wins;
//   - hostnames (policy `hosts:` and every catalog API name, {region} patterns expanded over
//     the vendor's regions) become name-trie entries whose class comes from the decision
//     engine (policy/decision.h), so the kernel and `sluicectl policy explain` agree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sluice/abi.h"
#include "sluice/common/result.h"
#include "sluice/policy/catalog.h"
#include "sluice/policy/policy.h"

namespace sluice::agent {

struct LpmEntry {
  sluice_lpm_key key{};
  sluice_dest_value value{};
};

struct NameEntry {
  sluice_name_key key{};
  sluice_dest_value value{};
  std::string pattern;  // "api.openai.com" or "*.openai.azure.com", for messages
};

struct CompiledPolicy {
  std::vector<LpmEntry> entries;
  std::vector<NameEntry> names;         // hostname trie: policy hosts and catalog API names
  std::vector<std::string> rule_names;  // rule_id N is rule_names[N]; [0] = "default"
  uint32_t generation = 0;
  uint8_t ech_action = SLUICE_ACTION_DENY;  // ECH toward an inspect-class destination
  // The inline hold (spec.holdTimeoutMs, spec.failMode, spec.defaults.uninspectableTls), with
  // the policy's mode applied: in audit mode nothing uninspectable is refused.
  bool hold = true;  // false in audit mode: requests are scanned and reported, never held
  uint32_t hold_timeout_ms = 2000;
  bool fail_open = false;
  uint8_t uninspectable_action = SLUICE_ACTION_DENY;
  std::string today;                        // the date BAA expiry was judged on
  // BAAs that expire within 30 days of `today`: "openai expires 2026-12-20".
  std::vector<std::string> expiry_warnings;
};

struct CompileOptions {
  const policy::Catalog* catalog = nullptr;  // null: the built-in catalog
  std::string today;                         // "YYYY-MM-DD"; empty: the current UTC date
};

// Fails (kResourceExhausted) if the policy expands past SLUICE_MAX_DEST_ENTRIES keys.
Result<CompiledPolicy> compilePolicy(const policy::Policy& policy, uint32_t generation,
                                     const CompileOptions& options = {});

// The name trie key for an exact hostname or a "*.suffix" wildcard (see abi.h).
Result<sluice_name_key> makeNameKey(std::string_view pattern);
// The key the BPF programs build for a name seen on the wire.
sluice_name_key makeLookupNameKey(std::string_view host);
// Longest-prefix lookup over compiled names, as the kernel does it.
const NameEntry* lookupCompiledName(const CompiledPolicy& compiled, std::string_view host);

// The lookup key for a destination as the BPF program builds it (full-length prefix).
sluice_lpm_key makeLookupKey(const uint8_t addr16[16], uint8_t proto, uint16_t port);

// What the kernel would decide for a destination, given compiled entries: the same
// exact-port-then-any-port longest-prefix rule as bpf/connect.bpf.c. Used by tests and by
// `sluicectl` to explain a verdict without a kernel.
const sluice_dest_value* lookupCompiled(const CompiledPolicy& compiled, const uint8_t addr16[16],
                                        uint8_t proto, uint16_t port);

}  // namespace sluice::agent
