// The decision engine (see decision.h for the order of precedence). Each step appends the
// reason it applied, so the chain reads top to bottom as the engine reasoned.
#include "sluice/policy/decision.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "sluice/policy/dates.h"
#include "host_pattern.h"

namespace sluice::policy {
namespace {

int rank(DestClass c) {
  switch (c) {
    case DestClass::kAllow: return 0;
    case DestClass::kInspect: return 1;
    case DestClass::kDeny: return 2;
  }
  return 2;
}

std::string cls(DestClass c) {
  return std::string(destClassName(c));
}

std::string joinList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + v[i];
  return out + "]";
}

bool portMatches(const Destination& d, const Target& t) {
  if (!protocolsOverlap(d.protocol, t.protocol)) return false;
  if (d.ports.empty()) return true;
  return std::any_of(d.ports.begin(), d.ports.end(),
                     [&](const PortRange& r) { return t.port >= r.first && t.port <= r.last; });
}

struct DestMatch {
  const Destination* dest = nullptr;
  std::string what;  // "host llm.corp.example" / "10.20.0.0/16"
};

std::optional<DestMatch> matchDestination(const Policy& p, const Target& t) {
  std::optional<DestMatch> by_host;
  std::optional<DestMatch> by_ip;
  int best_host = -1;
  int best_prefix = -1;
  std::string host = detail::normalizeHost(t.host);
  for (const auto& d : p.destinations) {
    if (!portMatches(d, t)) continue;
    // On a tie, a destination that names ports beats one for every port, as in the kernel's
    // LPM key (the port is part of the prefix).
    int port_bonus = d.ports.empty() ? 0 : 1;
    for (const auto& h : d.hosts) {
      int s = detail::hostSpecificity(h) * 2 + port_bonus;
      if (!host.empty() && detail::hostMatches(h, host) && s > best_host) {
        best_host = s;
        by_host = DestMatch{&d, "host " + h};
      }
    }
    for (const auto& c : d.cidrs) {
      int s = c.prefix_len * 2 + port_bonus;
      if (t.ip && c.contains(*t.ip) && s > best_prefix) {
        best_prefix = s;
        by_ip = DestMatch{&d, "address range " + c.canonical()};
      }
    }
  }
  return by_host ? by_host : by_ip;
}

class Engine {
 public:
  Engine(const Policy& p, const Catalog& c, const Target& t, const DecideOptions& o)
      : policy_(p), catalog_(c), target_(t), options_(o) {}

  Decision run() {
    if (auto m = matchDestination(policy_, target_)) {
      fromDestination(*m);
    } else if (auto v = matchVendor()) {
      fromVendor(*v);
    } else {
      out_.cls = policy_.defaults.unknown_destination;
      add("default", target_.toString() +
                         " is neither a policy destination nor an AI API in "
                         "the catalog (version " +
                         catalog_.version() +
                         ") -> spec.defaults.unknownDestination: " + cls(out_.cls));
    }
    finish();
    return std::move(out_);
  }

 private:
  void add(std::string step, std::string text, SourceLoc loc = {}) {
    out_.reasons.push_back(Reason{std::move(step), std::move(text), std::move(loc)});
  }

  std::optional<VendorMatch> matchVendor() {
    if (!target_.host.empty()) {
      if (auto m = catalog_.matchHost(target_.host)) return m;
    }
    if (target_.ip) return catalog_.matchIp(*target_.ip);
    return std::nullopt;
  }

  const std::vector<std::string>& allowedFor(const VendorGrant* grant) const {
    return grant != nullptr && !grant->regions.empty() ? grant->regions : policy_.allowed_regions;
  }

  // Applies spec.defaults.<name> = `c` for a failed check.
  void fail(const std::string& step, const std::string& why, const char* name, DestClass c) {
    failed_ = failed_ ? stricter(*failed_, c) : c;
    add(step, why + " -> spec.defaults." + name + ": " + cls(c));
  }

  void fromDestination(const DestMatch& m) {
    const Destination& d = *m.dest;
    out_.destination = d.name;
    out_.region = d.region;
    out_.cls = d.cls;
    add("destination",
        "policy destination '" + d.name + "' matches " + m.what + " -> class " + cls(d.cls), d.loc);
    if (d.baa) {
      add("baa", std::string("the destination is marked baa: ") + (*d.baa ? "true" : "false"),
          d.loc);
    }
    if (!d.region.empty() && !policy_.allowed_regions.empty()) {
      if (catalog_.regionAllowed(d.region, policy_.allowed_regions)) {
        add("region", "region " + d.region + " is allowed by spec.regions.allowed " +
                          joinList(policy_.allowed_regions));
      } else {
        DestClass c = policy_.defaults.out_of_region;
        out_.cls = stricter(out_.cls, c);
        add("region",
            "region " + d.region + " is not in spec.regions.allowed " +
                joinList(policy_.allowed_regions) + " -> spec.defaults.outOfRegion: " + cls(c),
            d.loc);
      }
    }
  }

  void checkBaa(const Vendor& v, const VendorGrant* grant) {
    std::string offered = v.baa_offered == BaaOffer::kOffered ? "the vendor offers one"
                          : v.baa_offered == BaaOffer::kNotOffered
                              ? "the vendor does not offer one"
                              : "the catalog does not know "
                                "whether the vendor offers one";
    if (grant == nullptr || !grant->baa.is_signed) {
      fail("baa", "no BAA signed with " + v.id + " in spec.vendors (" + offered + ")",
           "aiWithoutBaa", policy_.defaults.ai_without_baa);
      return;
    }
    if (!grant->baa.expires) {
      add("baa", "BAA with " + v.id + " signed, no expiry date", grant->loc);
      return;
    }
    std::string today = options_.today.empty() ? todayUtc() : options_.today;
    auto expires = parseDay(*grant->baa.expires);
    auto now = parseDay(today);
    // An unreadable date counts as expired: a typo must not keep a BAA alive.
    if (!expires || !now || *now > *expires) {
      fail("baa",
           "BAA with " + v.id + " expired on " + *grant->baa.expires + " (today is " + today + ")",
           "expiredBaa", policy_.defaults.expired_baa);
      out_.reasons.back().loc = grant->loc;
    } else {
      add("baa", "BAA with " + v.id + " signed, valid through " + *grant->baa.expires, grant->loc);
    }
  }

  std::string pinnedRegion(const Vendor& v, const VendorMatch& m, const VendorGrant* grant) {
    if (!v.resource_pins || !m.region.empty() || m.resource.empty() || grant == nullptr) {
      return m.region;
    }
    for (const auto& pin : grant->resources) {
      if (pin.resource == m.resource) return pin.region;
    }
    return "";
  }

  void checkRegion(const Vendor& v, const VendorMatch& m, const VendorGrant* grant) {
    const auto& allowed = allowedFor(grant);
    std::string where = grant != nullptr && !grant->regions.empty()
                            ? "spec.vendors." + v.id + ".regions"
                            : "spec.regions.allowed";
    const std::string& r = out_.region;
    if (allowed.empty()) {
      add("region", "region " + (r.empty() ? std::string("unknown") : r) +
                        "; the policy sets no region restriction");
      return;
    }
    if (r.empty()) {
      std::string hint = v.resource_pins ? "; pin resource '" + m.resource + "' in spec.vendors." +
                                               v.id + ".resources"
                                         : "";
      fail("region", "the region of " + target_.host + " is unknown" + hint, "outOfRegion",
           policy_.defaults.out_of_region);
      return;
    }
    std::string group = catalog_.groupOf(r);
    std::string named =
        "region " + r + (group.empty() || group == r ? "" : " (group " + group + ")");
    if (catalog_.regionAllowed(r, allowed)) {
      add("region", named + " is allowed by " + where + " " + joinList(allowed));
    } else {
      fail("region", named + " is not in " + where + " " + joinList(allowed), "outOfRegion",
           policy_.defaults.out_of_region);
    }
  }

  void fromVendor(const VendorMatch& m) {
    const Vendor& v = *m.vendor;
    const VendorGrant* grant = nullptr;
    for (const auto& g : policy_.vendors) {
      if (g.id == v.id) grant = &g;
    }
    out_.vendor_id = v.id;
    out_.region = pinnedRegion(v, m, grant);
    std::string how = m.pattern != nullptr ? "pattern " + m.pattern->pattern
                                           : "the vendor's published address ranges";
    add("vendor", (target_.host.empty() ? target_.ip->canonical() : target_.host) + " is " +
                      v.name + " (catalog " + catalog_.version() + ": " + v.id + ", " + how + ")");
    checkBaa(v, grant);
    checkRegion(v, m, grant);
    if (failed_) {
      out_.cls = *failed_;
      add("class", "class " + cls(out_.cls) + ": the strictest default of the failed checks");
    } else {
      out_.cls = DestClass::kInspect;
      add("class",
          "class inspect: an AI API with a valid BAA in an allowed region; requests are "
          "scanned for PHI");
    }
  }

  void finish() {
    if (out_.cls == DestClass::kInspect) {
      for (const auto& r : policy_.rules) {
        std::string phi;
        for (const auto& t : r.phi) phi += (phi.empty() ? "" : ", ") + t;
        out_.rules.push_back(r.name);
        add("rule", "rule '" + r.name + "': " + phi + " -> " + r.action, r.loc);
      }
      if (policy_.rules.empty()) add("rule", "no PHI rules: inspected requests are allowed");
      add("tls", "if the TLS cannot be inspected: spec.defaults.uninspectableTls: " +
                     cls(policy_.defaults.uninspectable_tls) +
                     "; encrypted ClientHello: spec.defaults.ech: " + cls(policy_.defaults.ech));
    }
    out_.enforced = policy_.mode == Mode::kEnforce;
    if (!out_.enforced && out_.cls != DestClass::kAllow) {
      add("mode", "spec.mode is audit: this is reported, never blocked");
    }
  }

  const Policy& policy_;
  const Catalog& catalog_;
  const Target& target_;
  const DecideOptions& options_;
  Decision out_;
  std::optional<DestClass> failed_;
};

}  // namespace

DestClass stricter(DestClass a, DestClass b) {
  return rank(a) >= rank(b) ? a : b;
}

Decision decide(const Policy& policy, const Catalog& catalog, const Target& target,
                const DecideOptions& options) {
  return Engine(policy, catalog, target, options).run();
}

std::vector<std::string> enforcementNames(const Policy& policy, const Catalog& catalog) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& name) {
    if (seen.insert(name).second) out.push_back(name);
  };
  for (const auto& d : policy.destinations) {
    for (const auto& h : d.hosts) add(h);
  }
  for (const auto& v : catalog.vendors()) {
    const VendorGrant* grant = nullptr;
    for (const auto& g : policy.vendors) {
      if (g.id == v.id) grant = &g;
    }
    for (const auto& p : v.hosts) {
      auto at = p.pattern.find("{region}");
      if (at == std::string::npos) {
        add(p.pattern);
      } else {
        for (const auto& r : v.regions) add(std::string(p.pattern).replace(at, 8, r));
      }
      if (v.resource_pins && grant != nullptr && p.region.empty() &&
          p.pattern.rfind("*.", 0) == 0 && at == std::string::npos) {
        for (const auto& pin : grant->resources) add(pin.resource + p.pattern.substr(1));
      }
    }
  }
  return out;
}

std::string Target::toString() const {
  std::string h = host;
  if (h.empty() && ip) {
    std::string a = ip->canonical();
    a = a.substr(0, a.find('/'));
    h = ip->is_v4 ? a : "[" + a + "]";
  }
  std::string out = h + ":" + std::to_string(port);
  if (!host.empty() && ip) out += " (" + ip->canonical().substr(0, ip->canonical().find('/')) + ")";
  return out;
}

Result<Target> parseTarget(std::string_view text) {
  Target t;
  std::string_view host = text;
  std::optional<std::string_view> port;
  const std::string quoted = "'" + std::string(text) + "'";
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return invalidArgument("unclosed '[' in " + quoted);
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      return invalidArgument("expected ':PORT' after ']' in " + quoted);
    }
    if (!rest.empty()) port = rest.substr(1);
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    // One colon is host:port; more is an IPv6 address without a port.
    host = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  if (port) {
    unsigned p = 0;
    auto [end, ec] = std::from_chars(port->data(), port->data() + port->size(), p);
    if (ec != std::errc() || end != port->data() + port->size() || p < 1 || p > 65535) {
      return invalidArgument("bad port '" + std::string(*port) + "' in " + quoted);
    }
    t.port = static_cast<uint16_t>(p);
  }
  if (host.empty()) return invalidArgument("no host in '" + std::string(text) + "'");
  if (auto addr = Cidr::parseAddress(host)) {
    t.ip = *addr;
    return t;
  }
  std::string h = detail::normalizeHost(host);
  if (auto why = detail::hostPatternProblem(h); why || h.front() == '*') {
    return invalidArgument("'" + std::string(host) + "' is not a host name or address" +
                           (why ? ": " + *why : ""));
  }
  t.host = h;
  return t;
}

}  // namespace sluice::policy
