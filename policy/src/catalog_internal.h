// File: catalog_internal.h (internal to sluice_policy)
//
// Catalog hostname patterns: literal labels, one optional "{region}" inside a label, and an
// optional leading "*." for one or more labels. Matching walks labels from the right, so it
// costs a few comparisons per pattern and needs no regex engine on the agent's SNI path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::policy::detail {

std::optional<std::string> catalogPatternProblem(std::string_view pattern);

struct PatternMatch {
  std::string region;    // what {region} matched, "" without one
  std::string resource;  // what "*" matched, "" without one
  int specificity = 0;   // higher wins: exact > {region} > wildcard, then longer literals
};

// `host` must already be normalized (lower case, no trailing dot).
std::optional<PatternMatch> matchCatalogPattern(std::string_view pattern, std::string_view host);

}  // namespace sluice::policy::detail
