// Policy diff: settings compared field by field, destinations by name, and decisions over a
// probe set drawn from both policies and both catalogs.
#include "sluice/policy/diff.h"

#include <algorithm>
#include <map>
#include <set>

namespace sluice::policy {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

template <typename T, typename F>
void compare(std::vector<std::string>& out, const std::string& what, const T& a, const T& b,
             F show) {
  if (a != b) out.push_back(what + ": " + show(a) + " -> " + show(b));
}

std::string baaText(const VendorGrant& g) {
  if (!g.baa.is_signed) return "no BAA";
  return "BAA signed" + (g.baa.expires ? " until " + *g.baa.expires : std::string());
}

void compareVendors(const Policy& a, const Policy& b, std::vector<std::string>& out) {
  std::map<std::string, const VendorGrant*> before;
  std::map<std::string, const VendorGrant*> after;
  for (const auto& g : a.vendors) before[g.id] = &g;
  for (const auto& g : b.vendors) after[g.id] = &g;
  for (const auto& [id, g] : before) {
    if (!after.count(id)) out.push_back("vendor " + id + ": removed (" + baaText(*g) + ")");
  }
  for (const auto& [id, g] : after) {
    auto it = before.find(id);
    if (it == before.end()) {
      out.push_back("vendor " + id + ": added (" + baaText(*g) + ")");
      continue;
    }
    compare(out, "vendor " + id, baaText(*it->second), baaText(*g),
            [](const std::string& s) { return s; });
    compare(out, "vendor " + id + " regions", it->second->regions, g->regions, join);
  }
}

void compareSettings(const Policy& a, const Policy& b, std::vector<std::string>& out) {
  auto text = [](auto f) { return [f](auto v) { return std::string(f(v)); }; };
  compare(out, "spec.mode", a.mode, b.mode, text(modeName));
  compare(out, "spec.scope.cgroup", a.scope_cgroup, b.scope_cgroup, text([](auto s) { return s; }));
  compare(out, "spec.failMode", a.fail_mode, b.fail_mode, text(failModeName));
  compare(out, "spec.holdTimeoutMs", a.hold_timeout_ms, b.hold_timeout_ms,
          [](uint32_t v) { return std::to_string(v); });
  compare(out, "spec.regions.allowed", a.allowed_regions, b.allowed_regions, join);
  const std::vector<std::pair<const char*, DestClass Defaults::*>> defaults = {
      {"unknownDestination", &Defaults::unknown_destination},
      {"aiWithoutBaa", &Defaults::ai_without_baa},
      {"outOfRegion", &Defaults::out_of_region},
      {"expiredBaa", &Defaults::expired_baa},
      {"uninspectableTls", &Defaults::uninspectable_tls},
      {"ech", &Defaults::ech}};
  for (const auto& [name, field] : defaults) {
    compare(out, std::string("spec.defaults.") + name, a.defaults.*field, b.defaults.*field,
            text(destClassName));
  }
  compareVendors(a, b, out);
  auto ruleText = [](const std::vector<PhiRule>& rules) {
    std::vector<std::string> v;
    for (const auto& r : rules) {
      std::string to;
      if (!r.vendors.empty()) to += " vendors " + join(r.vendors);
      if (!r.hosts.empty()) to += " hosts " + join(r.hosts);
      v.push_back(r.name + " " + join(r.phi) + (to.empty() ? "" : " to" + to) + " -> " + r.action);
    }
    return v;
  };
  compare(out, "spec.rules", ruleText(a.rules), ruleText(b.rules), join);
}

std::string destinationText(const Destination& d) {
  std::vector<std::string> cidrs;
  for (const auto& c : d.cidrs) cidrs.push_back(c.canonical());
  std::vector<std::string> ports;
  for (const auto& p : d.ports) {
    ports.push_back(std::to_string(p.first) +
                    (p.last != p.first ? "-" + std::to_string(p.last) : ""));
  }
  return "hosts " + join(d.hosts) + " cidrs " + join(cidrs) + " ports " + join(ports) + " " +
         std::string(protocolName(d.protocol)) + " class " + std::string(destClassName(d.cls)) +
         (d.baa ? (*d.baa ? " baa" : " no-baa") : "") +
         (d.region.empty() ? "" : " region " + d.region);
}

void compareDestinations(const Policy& a, const Policy& b, std::vector<std::string>& out) {
  std::map<std::string, const Destination*> before;
  for (const auto& d : a.destinations) before[d.name] = &d;
  std::set<std::string> seen;
  for (const auto& d : b.destinations) {
    seen.insert(d.name);
    auto it = before.find(d.name);
    if (it == before.end()) {
      out.push_back("added '" + d.name + "': " + destinationText(d));
    } else if (destinationText(*it->second) != destinationText(d)) {
      out.push_back("changed '" + d.name + "': " + destinationText(*it->second) + " -> " +
                    destinationText(d));
    }
  }
  for (const auto& d : a.destinations) {
    if (!seen.count(d.name)) out.push_back("removed '" + d.name + "': " + destinationText(d));
  }
}

// Probe destinations: each named host and range of either policy, each catalog hostname.
std::vector<Target> probes(const Policy& a, const Policy& b, const Catalog& ca, const Catalog& cb) {
  std::vector<Target> out;
  std::set<std::string> seen;
  auto push = [&](Target t) {
    std::string key = t.toString() + "/" + std::string(protocolName(t.protocol));
    if (seen.insert(key).second) out.push_back(std::move(t));
  };
  for (const Policy* p : {&a, &b}) {
    for (const auto& d : p->destinations) {
      Target base;
      base.port = d.ports.empty() ? 443 : d.ports.front().first;
      base.protocol = d.protocol == Protocol::kUdp ? Protocol::kUdp : Protocol::kTcp;
      for (const auto& h : d.hosts) {
        Target t = base;
        t.host = h.rfind("*.", 0) == 0 ? "any" + h.substr(1) : h;
        push(t);
      }
      for (const auto& c : d.cidrs) {
        Target t = base;
        Cidr addr = c;
        addr.prefix_len = 128;  // the network address itself
        t.ip = addr;
        push(t);
      }
    }
  }
  for (const Catalog* c : {&ca, &cb}) {
    for (const auto& v : c->vendors()) {
      for (const auto& h : c->sampleHosts(v)) {
        Target t;
        t.host = h;
        push(t);
      }
    }
  }
  return out;
}

std::string originOf(const Decision& d) {
  if (!d.destination.empty()) return "destination '" + d.destination + "'";
  if (!d.vendor_id.empty()) return "catalog vendor " + d.vendor_id;
  return "default";
}

}  // namespace

bool DecisionChange::loosened() const {
  if (after.cls != before.cls && stricter(before.cls, after.cls) == before.cls) return true;
  return before.enforced && !after.enforced && before.cls != DestClass::kAllow;
}

PolicyDiff diffPolicies(const Policy& old_policy, const Policy& new_policy,
                        const DiffOptions& options) {
  const Catalog& old_cat = options.old_catalog ? *options.old_catalog : Catalog::builtin();
  const Catalog& new_cat = options.new_catalog ? *options.new_catalog : Catalog::builtin();
  PolicyDiff diff;
  diff.old_catalog_version = old_cat.version();
  diff.new_catalog_version = new_cat.version();
  compareSettings(old_policy, new_policy, diff.settings);
  compareDestinations(old_policy, new_policy, diff.destinations);
  DecideOptions decide_options{options.today};
  for (const auto& t : probes(old_policy, new_policy, old_cat, new_cat)) {
    Decision before = decide(old_policy, old_cat, t, decide_options);
    Decision after = decide(new_policy, new_cat, t, decide_options);
    if (before.cls == after.cls && before.enforced == after.enforced) continue;
    std::string origin =
        originOf(after.destination.empty() && after.vendor_id.empty() ? before : after);
    diff.changes.push_back(DecisionChange{t, origin, std::move(before), std::move(after)});
  }
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [](const DecisionChange& x, const DecisionChange& y) {
                     return x.loosened() && !y.loosened();
                   });
  return diff;
}

}  // namespace sluice::policy
