// Pass 2 of the loader: checks across fields. Destinations are matched most-specific-first
// (an exact host beats a wildcard, a longer prefix beats a shorter one), so a narrower
// destination inside a wider one with another class is a deliberate exception and only earns a
// warning. Two destinations that match the *same* host or prefix on overlapping ports with
// different classes have no most-specific winner: that is an error.
#include <set>

#include "sluice/policy/dates.h"
#include "host_pattern.h"
#include "parse_internal.h"
#include "sluice/policy/catalog.h"

namespace sluice::policy::detail {
namespace {

std::string classPair(const Destination& a, const Destination& b) {
  return std::string(destClassName(b.cls)) + " vs " + std::string(destClassName(a.cls));
}

void checkDuplicateNames(const ParsedPolicy& parsed, Diagnostics& diags) {
  const auto& dests = parsed.policy.destinations;
  for (size_t j = 0; j < dests.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      if (!dests[j].name.empty() && dests[i].name == dests[j].name) {
        diags.error(parsed.destination_nodes[j].name, "duplicate destination name '" +
                                                          dests[j].name + "'; first defined at " +
                                                          dests[i].loc.toString());
        break;
      }
    }
  }
  std::set<std::string> rule_names;
  for (const auto& r : parsed.policy.rules) {
    if (!r.name.empty() && !rule_names.insert(r.name).second) {
      diags.add(r.loc, "duplicate rule name '" + r.name + "'", Severity::kError);
    }
  }
}

// Reports one overlap between destination b (at `at`) and an earlier destination a, where
// `same` says whether both name exactly the same host or prefix (`what`).
void reportOverlap(const Destination& a, const Destination& b, const YAML::Node& at, bool same,
                   const std::string& what, const std::string& winner, Diagnostics& diags) {
  const std::string who =
      "destination '" + b.name + "' and '" + a.name + "' (" + a.loc.toString() + ")";
  if (!same) {
    diags.warning(at, who + " overlap (" + what + ") with classes " + classPair(a, b) + "; " +
                          winner + " wins");
  } else if (a.ports.empty() != b.ports.empty()) {
    // As in the kernel's LPM key, where the port is part of the prefix.
    diags.warning(at, who + " both match " + what + " with classes " + classPair(a, b) +
                          "; on the ports one of them names, that one wins");
  } else {
    diags.error(at, who + " both match " + what +
                        " on overlapping ports with conflicting classes (" + classPair(a, b) +
                        "); merge them or split their ports");
  }
}

// Reports conflicts between destination j and an earlier destination i.
void checkPair(const ParsedPolicy& parsed, size_t i, size_t j, Diagnostics& diags) {
  const Destination& a = parsed.policy.destinations[i];
  const Destination& b = parsed.policy.destinations[j];
  if (a.cls == b.cls || !protocolsOverlap(a.protocol, b.protocol) ||
      !portsOverlap(a.ports, b.ports)) {
    return;
  }
  const DestinationNodes& nodes = parsed.destination_nodes[j];
  for (size_t hj = 0; hj < b.hosts.size(); ++hj) {
    for (const auto& ha : a.hosts) {
      if (!hostPatternsOverlap(ha, b.hosts[hj])) continue;
      bool same = ha == b.hosts[hj];
      reportOverlap(a, b, nodes.hosts[hj], same, same ? "host " + ha : b.hosts[hj] + " / " + ha,
                    "the more specific name", diags);
    }
  }
  for (size_t cj = 0; cj < b.cidrs.size(); ++cj) {
    for (const auto& ca : a.cidrs) {
      const Cidr& cb = b.cidrs[cj];
      if (!ca.overlaps(cb)) continue;
      bool same = ca.prefix_len == cb.prefix_len;
      reportOverlap(a, b, nodes.cidrs[cj], same,
                    same ? cb.canonical() : cb.canonical() + " / " + ca.canonical(),
                    "the longer prefix", diags);
    }
  }
}

void checkBaaDates(const ParsedPolicy& parsed, const ParseOptions& options, int64_t today,
                   Diagnostics& diags) {
  for (size_t i = 0; i < parsed.policy.vendors.size(); ++i) {
    const VendorGrant& g = parsed.policy.vendors[i];
    const YAML::Node& at = parsed.vendor_nodes[i].expires;
    if (!g.baa.expires) continue;
    if (!g.baa.is_signed) {
      diags.warning(at, "spec.vendors." + g.id +
                            ".baa.expires is set but signed is false; the "
                            "date is ignored");
      continue;
    }
    int64_t days = *parseDay(*g.baa.expires) - today;
    if (days < 0) {
      std::string msg = "the BAA with '" + g.id + "' expired on " + *g.baa.expires + " (" +
                        std::to_string(-days) + " day" + (days == -1 ? "" : "s") +
                        " ago); its traffic falls under spec.defaults.expiredBaa (" +
                        std::string(destClassName(parsed.policy.defaults.expired_baa)) + ")";
      diags.add(locOf(at, diags.file()), msg,
                options.expired_baa_is_error ? Severity::kError : Severity::kWarning);
    } else if (days <= 30) {
      diags.warning(at, "the BAA with '" + g.id + "' expires on " + *g.baa.expires + ", in " +
                            std::to_string(days) + " day" + (days == 1 ? "" : "s"));
    }
  }
}

}  // namespace

void validateSemantics(ParsedPolicy& parsed, const ParseOptions& options, Diagnostics& diags) {
  checkDuplicateNames(parsed, diags);
  const auto& dests = parsed.policy.destinations;
  for (size_t j = 0; j < dests.size(); ++j) {
    for (size_t i = 0; i < j; ++i) checkPair(parsed, i, j, diags);
  }
  std::string today_text = options.today.empty() ? todayUtc() : options.today;
  if (auto today = parseDay(today_text)) {
    checkBaaDates(parsed, options, *today, diags);
  } else {
    diags.add(SourceLoc{diags.file(), 0, 0},
              "bad 'today' date '" + today_text + "'; expected YYYY-MM-DD", Severity::kError);
  }
  if (!parsed.has_regions && parsed.spec.IsMap()) {
    diags.warning(parsed.spec,
                  "spec.regions is not set: AI vendors are allowed in every "
                  "region; add regions: {allowed: [us]} to restrict them");
  }
  validateAgainstCatalog(parsed, options.catalog ? *options.catalog : Catalog::builtin(), diags);
}

}  // namespace sluice::policy::detail
