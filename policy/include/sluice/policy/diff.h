// File: diff.h
//
// What changes if policy OLD is replaced by NEW, in terms of destinations. A reviewer of a
// policy change wants to know which traffic starts or stops flowing, not which YAML lines
// moved. So the diff decides a set of probe destinations under both versions: every host and
// address range either policy names, and every catalog vendor's hostnames (each region of a
// {region} pattern). A changed decision is listed with both chains of reasons, loosening ones
// first. The two sides can use different catalogs, so a catalog upgrade that would loosen a
// decision is never silent (`sluicectl policy diff --old-catalog DIR`).
#pragma once

#include <string>
#include <vector>

#include "sluice/policy/catalog.h"
#include "sluice/policy/decision.h"
#include "sluice/policy/policy.h"

namespace sluice::policy {

struct DecisionChange {
  Target target;
  std::string origin;  // "destination 'x'", "catalog vendor openai", "default"
  Decision before;
  Decision after;
  // Less restrictive after than before, or no longer enforced.
  bool loosened() const;
};

struct PolicyDiff {
  std::string old_catalog_version;
  std::string new_catalog_version;
  std::vector<std::string> settings;      // "spec.mode: enforce -> audit", "vendor openai: ..."
  std::vector<std::string> destinations;  // "added 'x'", "removed 'y'", "changed 'z': class"
  std::vector<DecisionChange> changes;    // loosened first, then by target
  bool empty() const { return settings.empty() && destinations.empty() && changes.empty(); }
};

struct DiffOptions {
  const Catalog* old_catalog = nullptr;  // null = Catalog::builtin()
  const Catalog* new_catalog = nullptr;  // null = Catalog::builtin()
  std::string today;                     // for BAA expiry; empty = the current UTC date
};

PolicyDiff diffPolicies(const Policy& old_policy, const Policy& new_policy,
                        const DiffOptions& options = {});

}  // namespace sluice::policy
