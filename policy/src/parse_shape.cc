// Pass 1 of the loader: the YAML shape of an EgressPolicy, field by field, into the model.
// Every reader records its problem and carries on, so one run reports everything.
#include <algorithm>

#include "sluice/policy/dates.h"
#include "host_pattern.h"
#include "parse_internal.h"

namespace sluice::policy::detail {
namespace {

const std::vector<std::pair<std::string, DestClass>> kClasses = {
    {"allow", DestClass::kAllow}, {"inspect", DestClass::kInspect}, {"deny", DestClass::kDeny}};

std::string indexed(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

void parseMetadata(const YAML::Node& node, Policy& p, Diagnostics& diags) {
  MapReader m(node, "metadata", {"name", "labels"}, diags);
  if (const auto* n = m.require("name")) {
    if (auto name = readString(*n, "metadata.name", diags)) {
      bool ok = !name->empty() && name->size() <= 253 &&
                std::all_of(name->begin(), name->end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                         c == '_';
                });
      if (!ok) {
        diags.error(*n, "metadata.name '" + *name +
                            "' must be 1-253 characters of a-z, 0-9, '-', '.', '_'");
      }
      p.name = *name;
    }
  }
  if (const auto* n = m.get("labels")) {
    for (const auto& [k, v] : readNamedMap(*n, "metadata.labels", diags)) {
      if (auto value = readString(v, "label '" + k.Scalar() + "'", diags)) {
        p.labels.emplace_back(k.Scalar(), *value);
      }
    }
  }
}

void parseBaa(const YAML::Node& node, const std::string& path, VendorGrant& g, VendorNodes& vn,
              Diagnostics& diags) {
  MapReader m(node, path, {"signed", "expires"}, diags);
  if (const auto* n = m.require("signed")) {
    g.baa.is_signed = readBool(*n, path + ".signed", diags).value_or(false);
  }
  if (const auto* n = m.get("expires")) {
    auto text = readString(*n, path + ".expires", diags);
    if (text && !parseDay(*text)) {
      diags.error(*n, "bad date '" + *text + "' for " + path +
                          ".expires; expected YYYY-MM-DD, e.g. 2027-06-30");
    } else if (text) {
      g.baa.expires = *text;
      vn.expires = *n;
    }
  }
}

void parseVendors(const YAML::Node& node, ParsedPolicy& out, Diagnostics& diags) {
  for (const auto& [key, value] : readNamedMap(node, "spec.vendors", diags)) {
    const std::string path = "spec.vendors." + key.Scalar();
    VendorGrant g;
    VendorNodes vn;
    g.id = key.Scalar();
    g.loc = locOf(key, diags.file());
    vn.id = key;
    MapReader m(value, path, {"baa", "regions", "resources"}, diags);
    if (const auto* n = m.require("baa")) parseBaa(*n, path + ".baa", g, vn, diags);
    if (const auto* n = m.get("regions")) {
      for (const auto& [item, region] : readStringList(*n, path + ".regions", diags)) {
        g.regions.push_back(region);
        vn.regions.push_back(item);
      }
      if (n->IsSequence() && n->size() == 0) {
        diags.error(*n, path +
                            ".regions is empty; list regions, or remove it to use "
                            "spec.regions.allowed");
      }
    }
    if (const auto* n = m.get("resources")) {
      for (const auto& [rk, rv] : readNamedMap(*n, path + ".resources", diags)) {
        if (auto region = readString(rv, path + ".resources." + rk.Scalar(), diags)) {
          g.resources.push_back(ResourcePin{rk.Scalar(), *region, locOf(rv, diags.file())});
        }
      }
    }
    out.policy.vendors.push_back(std::move(g));
    out.vendor_nodes.push_back(std::move(vn));
  }
}

void parseDestination(const YAML::Node& node, const std::string& path, ParsedPolicy& out,
                      Diagnostics& diags) {
  MapReader m(node, path, {"name", "hosts", "cidrs", "ports", "protocol", "class", "baa", "region"},
              diags);
  if (!m.isMap()) return;
  Destination d;
  DestinationNodes dn;
  d.loc = locOf(node, diags.file());
  if (const auto* n = m.require("name")) {
    d.name = readString(*n, path + ".name", diags).value_or("");
    dn.name = *n;
  }
  if (const auto* n = m.get("hosts")) {
    for (const auto& [item, host] : readStringList(*n, path + ".hosts", diags)) {
      std::string h = normalizeHost(host);
      if (auto why = hostPatternProblem(h)) {
        diags.error(item, "bad host '" + host + "' in " + path + ".hosts: " + *why);
        continue;
      }
      d.hosts.push_back(h);
      dn.hosts.push_back(item);
    }
  }
  if (const auto* n = m.get("cidrs")) {
    for (const auto& [item, text] : readStringList(*n, path + ".cidrs", diags)) {
      auto cidr = Cidr::parse(text);
      if (!cidr) {
        diags.error(item, "bad CIDR in " + path + ".cidrs: " + cidr.error().message());
        continue;
      }
      d.cidrs.push_back(*cidr);
      dn.cidrs.push_back(item);
    }
  }
  if (!m.get("hosts") && !m.get("cidrs")) {
    diags.error(node, path + " needs 'hosts' or 'cidrs' (or both) to say what it matches");
  }
  if (const auto* n = m.get("ports")) {
    for (const auto& item : readList(*n, path + ".ports", diags)) {
      if (!item.IsScalar()) {
        diags.error(item, "expected a port or range for each item of " + path + ".ports, got " +
                              std::string(nodeKind(item)));
        continue;
      }
      auto range = parsePortRange(item.Scalar());
      if (!range) {
        diags.error(item, range.error().message() + " in " + path + ".ports");
        continue;
      }
      d.ports.push_back(*range);
    }
  }
  if (const auto* n = m.get("protocol")) {
    d.protocol =
        readEnum<Protocol>(
            *n, path + ".protocol",
            {{"tcp", Protocol::kTcp}, {"udp", Protocol::kUdp}, {"any", Protocol::kAny}}, diags)
            .value_or(Protocol::kAny);
  }
  if (const auto* n = m.require("class")) {
    d.cls = readEnum<DestClass>(*n, path + ".class", kClasses, diags).value_or(DestClass::kDeny);
  }
  if (const auto* n = m.get("baa")) d.baa = readBool(*n, path + ".baa", diags);
  if (const auto* n = m.get("region")) {
    d.region = readString(*n, path + ".region", diags).value_or("");
    dn.region = *n;
  }
  out.policy.destinations.push_back(std::move(d));
  out.destination_nodes.push_back(std::move(dn));
}

void parseRule(const YAML::Node& node, const std::string& path, Policy& p, Diagnostics& diags) {
  MapReader m(node, path, {"name", "match", "action"}, diags);
  if (!m.isMap()) return;
  PhiRule r;
  r.loc = locOf(node, diags.file());
  if (const auto* n = m.require("name"))
    r.name = readString(*n, path + ".name", diags).value_or("");
  if (const auto* n = m.require("match")) {
    MapReader match(*n, path + ".match", {"phi", "destination"}, diags);
    if (const auto* d = match.get("destination")) {
      MapReader dest(*d, path + ".match.destination", {"vendors", "hosts"}, diags);
      if (const auto* v = dest.get("vendors")) {
        for (auto& [item, id] : readStringList(*v, path + ".match.destination.vendors", diags)) {
          r.vendors.push_back(id);
        }
      }
      if (const auto* h = dest.get("hosts")) {
        for (auto& [item, host] : readStringList(*h, path + ".match.destination.hosts", diags)) {
          if (auto problem = detail::hostPatternProblem(host)) {
            diags.error(item, path + ".match.destination.hosts: " + *problem);
            continue;
          }
          r.hosts.push_back(detail::normalizeHost(host));
        }
      }
    }
    if (const auto* phi = match.require("phi")) {
      const auto& known = phiTypeNames();
      for (const auto& [item, type] : readStringList(*phi, path + ".match.phi", diags)) {
        if (std::find(known.begin(), known.end(), type) == known.end()) {
          diags.error(item, "unknown PHI type '" + type + "' in " + path + ".match.phi" +
                                didYouMean(type, known));
          continue;
        }
        r.phi.push_back(type);
      }
    }
  }
  if (const auto* n = m.require("action")) {
    r.action =
        readEnum<std::string>(*n, path + ".action",
                              {{"block", "block"}, {"audit", "audit"}, {"allow", "allow"}}, diags)
            .value_or("");
  }
  p.rules.push_back(std::move(r));
}

void parseDefaults(const YAML::Node& node, Defaults& d, Diagnostics& diags) {
  const std::vector<std::pair<std::string, DestClass*>> fields = {
      {"unknownDestination", &d.unknown_destination},
      {"aiWithoutBaa", &d.ai_without_baa},
      {"outOfRegion", &d.out_of_region},
      {"expiredBaa", &d.expired_baa},
      {"uninspectableTls", &d.uninspectable_tls},
      {"ech", &d.ech}};
  std::vector<std::string> keys;
  for (const auto& f : fields) keys.push_back(f.first);
  MapReader m(node, "spec.defaults", keys, diags);
  for (const auto& [key, target] : fields) {
    if (const auto* n = m.get(key)) {
      if (auto c = readEnum<DestClass>(*n, "spec.defaults." + key, kClasses, diags)) *target = *c;
    }
  }
}

void parseSpec(const YAML::Node& node, ParsedPolicy& out, Diagnostics& diags) {
  Policy& p = out.policy;
  out.spec = node;
  MapReader m(node, "spec",
              {"mode", "scope", "failMode", "holdTimeoutMs", "regions", "vendors", "destinations",
               "rules", "defaults"},
              diags);
  if (const auto* n = m.get("mode")) {
    p.mode = readEnum<Mode>(*n, "spec.mode", {{"enforce", Mode::kEnforce}, {"audit", Mode::kAudit}},
                            diags)
                 .value_or(Mode::kEnforce);
  }
  if (const auto* n = m.get("scope")) {
    MapReader scope(*n, "spec.scope", {"cgroup"}, diags);
    if (const auto* c = scope.require("cgroup")) {
      auto path = readString(*c, "spec.scope.cgroup", diags);
      if (path && (path->empty() || path->front() != '/' ||
                   path->find("/../") != std::string::npos || path->ends_with("/.."))) {
        diags.error(*c, "spec.scope.cgroup '" + *path +
                            "' must be an absolute path inside the cgroup2 mount, like / or "
                            "/system.slice/app.service");
      } else if (path) {
        p.scope_cgroup = *path;
      }
    }
  }
  if (const auto* n = m.get("failMode")) {
    p.fail_mode =
        readEnum<FailMode>(*n, "spec.failMode",
                           {{"closed", FailMode::kClosed}, {"open", FailMode::kOpen}}, diags)
            .value_or(FailMode::kClosed);
  }
  if (const auto* n = m.get("holdTimeoutMs")) {
    p.hold_timeout_ms =
        static_cast<uint32_t>(readInt(*n, "spec.holdTimeoutMs", 1, 60000, diags).value_or(2000));
  }
  if (const auto* n = m.get("regions")) {
    out.has_regions = true;
    MapReader regions(*n, "spec.regions", {"allowed"}, diags);
    if (const auto* a = regions.require("allowed")) {
      for (const auto& [item, region] : readStringList(*a, "spec.regions.allowed", diags)) {
        p.allowed_regions.push_back(region);
        out.allowed_region_nodes.push_back(item);
      }
      if (a->IsSequence() && a->size() == 0) {
        diags.error(*a,
                    "spec.regions.allowed is empty; list at least one region or group "
                    "(us, eu, us-east-1, ...), or remove spec.regions for no restriction");
      }
    }
  }
  if (const auto* n = m.get("vendors")) parseVendors(*n, out, diags);
  if (const auto* n = m.get("destinations")) {
    auto items = readList(*n, "spec.destinations", diags);
    for (size_t i = 0; i < items.size(); ++i) {
      parseDestination(items[i], indexed("spec.destinations", i), out, diags);
    }
  }
  if (const auto* n = m.get("rules")) {
    auto items = readList(*n, "spec.rules", diags);
    for (size_t i = 0; i < items.size(); ++i) {
      parseRule(items[i], indexed("spec.rules", i), p, diags);
    }
  }
  if (const auto* n = m.get("defaults")) parseDefaults(*n, p.defaults, diags);
}

}  // namespace

bool parseShape(const YAML::Node& root, ParsedPolicy& out, Diagnostics& diags) {
  MapReader m(root, "the policy document", {"apiVersion", "kind", "metadata", "spec"}, diags);
  if (!m.isMap()) return false;
  if (const auto* n = m.require("apiVersion")) {
    auto v = readString(*n, "apiVersion", diags);
    if (v && *v != "sluice.dev/v1") {
      diags.error(*n, "unsupported apiVersion '" + *v + "'; expected sluice.dev/v1");
    }
  }
  if (const auto* n = m.require("kind")) {
    auto v = readString(*n, "kind", diags);
    if (v && *v != "EgressPolicy") {
      diags.error(*n, "unsupported kind '" + *v + "'; expected EgressPolicy" +
                          didYouMean(*v, {"EgressPolicy"}));
    }
  }
  if (const auto* n = m.require("metadata")) parseMetadata(*n, out.policy, diags);
  if (const auto* n = m.require("spec")) parseSpec(*n, out, diags);
  return true;
}

}  // namespace sluice::policy::detail
