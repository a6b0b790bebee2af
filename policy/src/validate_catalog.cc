// Pass 2, continued: the policy against the AI-vendor catalog. Vendor ids and regions must be
// ones the catalog knows, because a misspelt vendor is a BAA that silently does not apply and
// a misspelt region is a restriction that silently matches nothing.
#include "host_pattern.h"
#include "parse_internal.h"
#include "sluice/policy/catalog.h"

namespace sluice::policy::detail {
namespace {

void checkRegion(const std::string& region, const YAML::Node& at, const std::string& where,
                 const Catalog& catalog, Diagnostics& diags) {
  if (region.empty() || catalog.isKnownRegion(region)) return;
  diags.error(at, "unknown region '" + region + "' in " + where +
                      didYouMean(region, catalog.knownRegions()) +
                      " (regions and groups come from the catalog, version " + catalog.version() +
                      ")");
}

void checkVendor(const VendorGrant& g, const VendorNodes& nodes, const Catalog& catalog,
                 Diagnostics& diags) {
  const std::string path = "spec.vendors." + g.id;
  const Vendor* v = catalog.findVendor(g.id);
  if (v == nullptr) {
    diags.error(nodes.id, "unknown vendor '" + g.id + "' in spec.vendors" +
                              didYouMean(g.id, catalog.vendorIds()) +
                              " (not in the catalog, "
                              "version " +
                              catalog.version() + ")");
    return;
  }
  if (g.baa.is_signed && v->baa_offered == BaaOffer::kNotOffered) {
    diags.warning(nodes.id, "the catalog says " + v->name + " does not offer a BAA (" +
                                v->baa_notes + "); check the agreement you recorded here");
  }
  for (size_t i = 0; i < g.regions.size(); ++i) {
    checkRegion(g.regions[i], nodes.regions[i], path + ".regions", catalog, diags);
  }
  if (!g.resources.empty() && !v->resource_pins) {
    diags.add(g.resources.front().loc,
              path + ".resources: " + v->name + " hostnames carry no resource name to pin",
              Severity::kError);
  }
  for (const auto& pin : g.resources) {
    if (!catalog.isKnownRegion(pin.region)) {
      diags.add(pin.loc,
                "unknown region '" + pin.region + "' for resource '" + pin.resource + "'" +
                    didYouMean(pin.region, catalog.knownRegions()),
                Severity::kError);
    }
  }
}

}  // namespace

void validateAgainstCatalog(const ParsedPolicy& parsed, const Catalog& catalog,
                            Diagnostics& diags) {
  const Policy& p = parsed.policy;
  for (size_t i = 0; i < p.allowed_regions.size(); ++i) {
    checkRegion(p.allowed_regions[i], parsed.allowed_region_nodes[i], "spec.regions.allowed",
                catalog, diags);
  }
  for (size_t i = 0; i < p.vendors.size(); ++i) {
    checkVendor(p.vendors[i], parsed.vendor_nodes[i], catalog, diags);
  }
  for (size_t i = 0; i < p.destinations.size(); ++i) {
    const Destination& d = p.destinations[i];
    const DestinationNodes& nodes = parsed.destination_nodes[i];
    checkRegion(d.region, nodes.region, "spec.destinations[" + std::to_string(i) + "].region",
                catalog, diags);
    for (size_t h = 0; h < d.hosts.size(); ++h) {
      auto m = catalog.matchHost(d.hosts[h]);
      if (!m || d.cls == DestClass::kDeny) continue;
      diags.warning(nodes.hosts[h], d.hosts[h] + " is " + m->vendor->name +
                                        " in the catalog; "
                                        "destination '" +
                                        d.name + "' (class " + std::string(destClassName(d.cls)) +
                                        ") overrides its BAA and region checks");
    }
  }
}

}  // namespace sluice::policy::detail
