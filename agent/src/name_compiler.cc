// The hostname half of the policy compiler: every name the policy or the catalog knows,
// judged by the decision engine, as entries of the kernel's name trie.
#include <map>
#include <string>

#include "sluice/agent/policy_compiler.h"
#include "sluice/policy/dates.h"
#include "sluice/policy/decision.h"

namespace sluice::agent {
namespace {

std::string lowerAscii(std::string_view in) {
  std::string out(in);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

uint8_t actionOf(const policy::Decision& d) {
  if (d.cls != policy::DestClass::kDeny) return SLUICE_ACTION_ALLOW;
  return d.enforced ? SLUICE_ACTION_DENY : SLUICE_ACTION_AUDIT;
}

uint8_t classOf(policy::DestClass c) {
  switch (c) {
    case policy::DestClass::kAllow: return SLUICE_CLASS_ALLOW;
    case policy::DestClass::kInspect: return SLUICE_CLASS_INSPECT;
    case policy::DestClass::kDeny: return SLUICE_CLASS_DENY;
  }
  return SLUICE_CLASS_DENY;
}

}  // namespace


Result<sluice_name_key> makeNameKey(std::string_view pattern) {
  sluice_name_key key{};
  std::string p = lowerAscii(pattern);
  bool wildcard = p.rfind("*.", 0) == 0;
  std::string body = wildcard ? p.substr(1) : p;  // "*.x.com" -> ".x.com"
  if (body.empty() || body.size() >= SLUICE_NAME_MAX - 1) {
    return invalidArgument("hostname '" + std::string(pattern) + "' is empty or longer than " +
                           std::to_string(SLUICE_NAME_MAX - 2) + " characters");
  }
  for (size_t i = 0; i < body.size(); ++i) key.name[i] = body[body.size() - 1 - i];
  // An exact name includes its terminator in the prefix; a wildcard ends at the dot.
  key.prefixlen = static_cast<uint32_t>((body.size() + (wildcard ? 0 : 1)) * 8);
  return key;
}

sluice_name_key makeLookupNameKey(std::string_view host) {
  sluice_name_key key{};
  std::string h = lowerAscii(host);
  size_t n = std::min(h.size(), static_cast<size_t>(SLUICE_NAME_MAX - 1));
  for (size_t i = 0; i < n; ++i) key.name[i] = h[n - 1 - i];
  key.prefixlen = SLUICE_NAME_MAX * 8;
  return key;
}

const NameEntry* lookupCompiledName(const CompiledPolicy& compiled, std::string_view host) {
  sluice_name_key probe = makeLookupNameKey(host);
  const NameEntry* best = nullptr;
  for (const auto& e : compiled.names) {
    size_t bytes = e.key.prefixlen / 8;
    if (std::equal(e.key.name, e.key.name + bytes, probe.name) &&
        (!best || e.key.prefixlen > best->key.prefixlen)) {
      best = &e;
    }
  }
  return best;
}

// Declared in policy_compiler.cc's translation unit as the name step of compilePolicy.
Status compileNames(const policy::Policy& pol, const policy::Catalog& catalog,
                    const std::string& today, uint32_t generation, CompiledPolicy& out) {
  std::map<std::string, size_t> seen;  // pattern -> index in out.names
  std::map<std::string, uint32_t> rule_ids;
  policy::DecideOptions opts{today};

  auto ruleId = [&](const std::string& label) {
    auto it = rule_ids.find(label);
    if (it != rule_ids.end()) return it->second;
    out.rule_names.push_back(label);
    uint32_t id = static_cast<uint32_t>(out.rule_names.size() - 1);
    rule_ids.emplace(label, id);
    return id;
  };

  auto add = [&](const std::string& pattern) -> Status {
    std::string key_text = lowerAscii(pattern);
    if (seen.count(key_text)) return okStatus();
    policy::Target t;
    // A wildcard is judged on a representative name under it.
    t.host = key_text.rfind("*.", 0) == 0 ? "resource" + key_text.substr(1) : key_text;
    t.port = 443;
    policy::Decision d = policy::decide(pol, catalog, t, opts);
    SLUICE_ASSIGN_OR_RETURN(sluice_name_key key, makeNameKey(key_text));
    NameEntry e;
    e.key = key;
    e.pattern = key_text;
    std::string label = !d.destination.empty() ? d.destination
                        : !d.vendor_id.empty() ? "vendor:" + d.vendor_id
                                               : "default";
    e.value.rule_id = label == "default" ? 0 : ruleId(label);
    e.value.action = actionOf(d);
    e.value.dest_class = classOf(d.cls);
    e.value.flags = d.vendor_id.empty() ? 0 : SLUICE_DEST_F_AI;
    e.value.policy_generation = generation;
    if (out.names.size() >= SLUICE_MAX_NAME_ENTRIES) {
      return Error(ErrorCode::kResourceExhausted,
                   "more than " + std::to_string(SLUICE_MAX_NAME_ENTRIES) + " hostnames");
    }
    seen.emplace(key_text, out.names.size());
    out.names.push_back(e);
    return okStatus();
  };

  // The policy's hosts, every catalog pattern ({region} expanded over the vendor's regions)
  // and the resources the policy pins under wildcard vendors (Azure OpenAI).
  for (const auto& name : policy::enforcementNames(pol, catalog)) {
    SLUICE_RETURN_IF_ERROR(add(name));
  }

  // BAAs that run out within 30 days: warned about daily, enforced on the date.
  auto today_day = policy::parseDay(today);
  for (const auto& g : pol.vendors) {
    auto expires = g.baa.expires ? policy::parseDay(*g.baa.expires) : std::nullopt;
    if (g.baa.is_signed && expires && today_day && *expires >= *today_day &&
        *expires - *today_day <= 30) {
      out.expiry_warnings.push_back("BAA with " + g.id + " expires " + *g.baa.expires);
    }
  }
  return okStatus();
}

}  // namespace sluice::agent
