// File: parse_internal.h (internal to sluice_policy)
//
// The loader runs in two passes. The first (parse_policy.cc) reads the YAML shape into the
// model, one field at a time. The second (validate_policy.cc) checks what only makes sense
// across fields: duplicate names, overlapping destinations, BAA dates, catalog ids. The second
// pass needs to point at individual hosts and CIDRs, so the first keeps their nodes here.
#pragma once

#include <yaml-cpp/yaml.h>

#include <vector>

#include "sluice/policy/policy.h"
#include "yaml_reader.h"

namespace sluice::policy::detail {

struct DestinationNodes {
  YAML::Node name;
  std::vector<YAML::Node> hosts;  // parallel to Destination::hosts
  std::vector<YAML::Node> cidrs;  // parallel to Destination::cidrs
  YAML::Node region;
};

struct VendorNodes {
  YAML::Node id;
  YAML::Node expires;
  std::vector<YAML::Node> regions;  // parallel to VendorGrant::regions
};

struct ParsedPolicy {
  Policy policy;
  std::vector<DestinationNodes> destination_nodes;  // parallel to policy.destinations
  std::vector<VendorNodes> vendor_nodes;            // parallel to policy.vendors
  std::vector<YAML::Node> allowed_region_nodes;     // parallel to policy.allowed_regions
  YAML::Node spec;                                  // for policy-wide messages
  bool has_regions = false;
};

// Pass 1: the shape. Returns false when the document is not a policy at all.
bool parseShape(const YAML::Node& root, ParsedPolicy& out, Diagnostics& diags);
// Pass 2: cross-field checks, then the checks against the catalog.
void validateSemantics(ParsedPolicy& parsed, const ParseOptions& options, Diagnostics& diags);
void validateAgainstCatalog(const ParsedPolicy& parsed, const Catalog& catalog, Diagnostics& diags);

}  // namespace sluice::policy::detail
