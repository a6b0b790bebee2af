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
//   - when two destinations produce the same key, the first one in the file wins.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sluice/abi.h"
#include "sluice/common/result.h"
#include "sluice/policy/policy.h"

namespace sluice::agent {

struct LpmEntry {
  sluice_lpm_key key{};
  sluice_dest_value value{};
};

struct CompiledPolicy {
  std::vector<LpmEntry> entries;
  std::vector<std::string> rule_names;  // rule_id N is rule_names[N]; [0] = "default"
  uint32_t generation = 0;
};

// Fails (kResourceExhausted) if the policy expands past SLUICE_MAX_DEST_ENTRIES keys.
Result<CompiledPolicy> compilePolicy(const policy::Policy& policy, uint32_t generation);

// The lookup key for a destination as the BPF program builds it (full-length prefix).
sluice_lpm_key makeLookupKey(const uint8_t addr16[16], uint8_t proto, uint16_t port);

// What the kernel would decide for a destination, given compiled entries: the same
// exact-port-then-any-port longest-prefix rule as bpf/connect.bpf.c. Used by tests and by
// `sluicectl` to explain a verdict without a kernel.
const sluice_dest_value* lookupCompiled(const CompiledPolicy& compiled, const uint8_t addr16[16],
                                        uint8_t proto, uint16_t port);

}  // namespace sluice::agent
