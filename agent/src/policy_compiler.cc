#include "sluice/agent/policy_compiler.h"
#include "sluice/policy/dates.h"

#include <cstring>
#include <map>
#include <tuple>

#include "sluice/policy/decision.h"

namespace sluice::agent {

Status compileNames(const policy::Policy& pol, const policy::Catalog& catalog,
                    const std::string& today, uint32_t generation, CompiledPolicy& out);

namespace {

uint8_t actionFor(policy::DestClass cls, policy::Mode mode) {
  if (cls != policy::DestClass::kDeny) return SLUICE_ACTION_ALLOW;
  return mode == policy::Mode::kAudit ? SLUICE_ACTION_AUDIT : SLUICE_ACTION_DENY;
}

uint8_t classFor(policy::DestClass cls) {
  switch (cls) {
    case policy::DestClass::kAllow: return SLUICE_CLASS_ALLOW;
    case policy::DestClass::kInspect: return SLUICE_CLASS_INSPECT;
    case policy::DestClass::kDeny: return SLUICE_CLASS_DENY;
  }
  return SLUICE_CLASS_DENY;
}

// Zeroes the address bits past the prefix: the trie compares only prefix bits, but masked
// keys make equal prefixes equal keys, which the first-wins rule relies on.
void maskAddress(uint8_t addr[16], unsigned prefix) {
  for (unsigned bit = prefix; bit < 128; ++bit) {
    addr[bit / 8] = static_cast<uint8_t>(addr[bit / 8] & ~(0x80u >> (bit % 8)));
  }
}

using KeyTuple = std::tuple<uint32_t, uint8_t, uint16_t, std::string>;

KeyTuple tupleOf(const sluice_lpm_key& k) {
  return {k.prefixlen, k.proto, k.port,
          std::string(reinterpret_cast<const char*>(k.addr), sizeof(k.addr))};
}

bool prefixMatches(const sluice_lpm_key& entry, const sluice_lpm_key& probe) {
  if (entry.prefixlen == 0) return true;
  if (entry.proto != probe.proto || entry.port != probe.port) return false;
  unsigned bits = entry.prefixlen - SLUICE_LPM_FIXED_BITS;
  for (unsigned bit = 0; bit < bits; ++bit) {
    unsigned mask = 0x80u >> (bit % 8);
    if ((entry.addr[bit / 8] & mask) != (probe.addr[bit / 8] & mask)) return false;
  }
  return true;
}

}  // namespace

sluice_lpm_key makeLookupKey(const uint8_t addr16[16], uint8_t proto, uint16_t port) {
  sluice_lpm_key key{};
  key.prefixlen = SLUICE_LPM_FIXED_BITS + 128;
  key.proto = proto;
  key.port = port;
  std::memcpy(key.addr, addr16, 16);
  return key;
}

Result<CompiledPolicy> compilePolicy(const policy::Policy& pol, uint32_t generation,
                                     const CompileOptions& options) {
  CompiledPolicy out;
  out.generation = generation;
  out.rule_names.push_back("default");
  std::map<KeyTuple, size_t> seen;

  auto add = [&](const sluice_lpm_key& key, const sluice_dest_value& value) -> Status {
    auto [it, inserted] = seen.emplace(tupleOf(key), out.entries.size());
    if (!inserted) return okStatus();  // an earlier destination already owns this key
    if (out.entries.size() >= SLUICE_MAX_DEST_ENTRIES) {
      return Error(ErrorCode::kResourceExhausted,
                   "policy expands to more than " + std::to_string(SLUICE_MAX_DEST_ENTRIES) +
                       " kernel entries; use CIDRs and port ranges that cover more at once");
    }
    out.entries.push_back({key, value});
    return okStatus();
  };

  for (size_t i = 0; i < pol.destinations.size(); ++i) {
    const auto& d = pol.destinations[i];
    out.rule_names.push_back(d.name);
    sluice_dest_value v{};
    v.rule_id = static_cast<uint32_t>(i + 1);
    v.action = actionFor(d.cls, pol.mode);
    v.dest_class = classFor(d.cls);
    v.policy_generation = generation;

    std::vector<uint8_t> protos;
    if (d.protocol == policy::Protocol::kTcp || d.protocol == policy::Protocol::kAny) {
      protos.push_back(SLUICE_PROTO_TCP);
    }
    if (d.protocol == policy::Protocol::kUdp || d.protocol == policy::Protocol::kAny) {
      protos.push_back(SLUICE_PROTO_UDP);
    }
    std::vector<uint16_t> ports;
    for (const auto& r : d.ports) {
      for (uint32_t p = r.first; p <= r.last; ++p) ports.push_back(static_cast<uint16_t>(p));
    }
    if (ports.empty()) ports.push_back(0);

    for (const auto& cidr : d.cidrs) {
      v.addr_prefix = cidr.prefix_len;
      for (uint8_t proto : protos) {
        for (uint16_t port : ports) {
          sluice_lpm_key k{};
          k.prefixlen = SLUICE_LPM_FIXED_BITS + cidr.prefix_len;
          k.proto = proto;
          k.port = port;
          std::memcpy(k.addr, cidr.addr, 16);
          maskAddress(k.addr, cidr.prefix_len);
          SLUICE_RETURN_IF_ERROR(add(k, v));
        }
      }
    }
  }

  // Catalog vendors' published address ranges: judged by the decision engine like names.
  const policy::Catalog& cat = options.catalog ? *options.catalog : policy::Catalog::builtin();
  std::string today = options.today.empty() ? policy::todayUtc() : options.today;
  for (const auto& vendor : cat.vendors()) {
    for (const auto& range : vendor.ip_ranges) {
      policy::Target t;
      t.ip = range;
      policy::Decision d = policy::decide(pol, cat, t, {today});
      out.rule_names.push_back("vendor:" + vendor.id);
      sluice_dest_value v{};
      v.rule_id = static_cast<uint32_t>(out.rule_names.size() - 1);
      v.action = d.cls != policy::DestClass::kDeny ? SLUICE_ACTION_ALLOW
                 : d.enforced                      ? SLUICE_ACTION_DENY
                                                   : SLUICE_ACTION_AUDIT;
      v.dest_class = classFor(d.cls);
      v.addr_prefix = range.prefix_len;
      v.flags = SLUICE_DEST_F_AI;
      v.policy_generation = generation;
      for (uint8_t proto : {SLUICE_PROTO_TCP, SLUICE_PROTO_UDP}) {
        sluice_lpm_key k{};
        k.prefixlen = SLUICE_LPM_FIXED_BITS + range.prefix_len;
        k.proto = proto;
        std::memcpy(k.addr, range.addr, 16);
        maskAddress(k.addr, range.prefix_len);
        SLUICE_RETURN_IF_ERROR(add(k, v));
      }
    }
  }

  sluice_lpm_key def{};  // prefixlen 0: matches every destination
  sluice_dest_value dv{};
  dv.rule_id = 0;
  dv.action = actionFor(pol.defaults.unknown_destination, pol.mode);
  dv.dest_class = classFor(pol.defaults.unknown_destination);
  dv.addr_prefix = 0;
  dv.flags = SLUICE_DEST_F_DEFAULT;
  dv.policy_generation = generation;
  SLUICE_RETURN_IF_ERROR(add(def, dv));

  out.today = today;
  out.ech_action = actionFor(pol.defaults.ech, pol.mode);
  out.hold = pol.mode == policy::Mode::kEnforce;
  out.hold_timeout_ms = pol.hold_timeout_ms;
  out.fail_open = pol.fail_mode == policy::FailMode::kOpen;
  out.uninspectable_action = actionFor(pol.defaults.uninspectable_tls, pol.mode);
  SLUICE_RETURN_IF_ERROR(compileNames(pol, cat, out.today, generation, out));
  return out;
}

const sluice_dest_value* lookupCompiled(const CompiledPolicy& compiled, const uint8_t addr16[16],
                                        uint8_t proto, uint16_t port) {
  auto longest = [&](uint16_t p) -> const LpmEntry* {
    sluice_lpm_key probe = makeLookupKey(addr16, proto, p);
    const LpmEntry* best = nullptr;
    for (const auto& e : compiled.entries) {
      if (prefixMatches(e.key, probe) && (!best || e.key.prefixlen > best->key.prefixlen)) {
        best = &e;
      }
    }
    return best;
  };
  const LpmEntry* exact = longest(port);
  const LpmEntry* any = longest(0);
  const LpmEntry* pick = exact;
  if (!pick || (any && any->value.addr_prefix > pick->value.addr_prefix)) pick = any;
  return pick ? &pick->value : nullptr;
}

}  // namespace sluice::agent
