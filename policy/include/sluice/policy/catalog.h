// File: catalog.h
//
// The AI-vendor catalog answers "is this hostname (or IP) an AI API, whose, and in which
// region does it process data?". A policy only says which BAAs were signed and which regions
// are allowed; the catalog supplies the facts about vendors, so a policy stays short and a new
// vendor endpoint reaches every host with a Sluice upgrade rather than a policy edit.
//
// The data lives in policy/catalog/*.yaml and is compiled into the library, so
// `Catalog::builtin()` needs no data path at run time. `Catalog::loadDirectory` reads another
// version (a newer catalog under review, or an older one for `policy diff --old-catalog`).
//
//   const Catalog& cat = Catalog::builtin();
//   if (auto m = cat.matchHost("bedrock-runtime.eu-west-1.amazonaws.com")) {
//     m->vendor->id;  // "aws-bedrock"
//     m->region;      // "eu-west-1"; cat.groupOf("eu-west-1") == "eu"
//   }
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/policy/policy.h"

namespace sluice::policy {

enum class BaaOffer { kOffered, kNotOffered, kUnknown };
std::string_view baaOfferName(BaaOffer o);

// A hostname pattern. "{region}" stands for (part of) one label and yields the region;
// a leading "*." stands for one or more labels (the resource name for Azure OpenAI).
struct HostPattern {
  std::string pattern;
  std::string region;  // fixed region of names matching this pattern; "" = {region} or vendor's
};

struct Vendor {
  std::string id;  // what spec.vendors keys name
  std::string name;
  BaaOffer baa_offered = BaaOffer::kUnknown;
  std::string baa_notes;
  std::vector<HostPattern> hosts;
  std::string region;                // default region of the vendor's names; "" = unknown
  std::vector<std::string> regions;  // regions the vendor serves ({region} patterns)
  bool resource_pins = false;        // the "*" label is a resource the policy pins to a region
  std::vector<Cidr> ip_ranges;       // published by the vendor; empty for most
  std::string ip_ranges_note;
  std::vector<std::string> sources;
  SourceLoc loc;
};

struct RegionGroup {
  std::string id;  // "us", "eu", ...
  std::string description;
  std::vector<std::string> regions;
};

struct VendorMatch {
  const Vendor* vendor = nullptr;
  const HostPattern* pattern = nullptr;  // null for an IP match
  std::string region;                    // "" when neither the name nor the catalog says
  std::string resource;                  // the labels "*" matched, for vendors with resource_pins
};

class Catalog {
 public:
  // Builds a catalog from (file name, YAML text) pairs: one kind: Catalog file and any number
  // of kind: Vendor files. Reports every problem, like the policy loader.
  static Result<Catalog> fromTexts(const std::vector<std::pair<std::string, std::string>>& files);
  // Every *.yaml in `dir`.
  static Result<Catalog> loadDirectory(const std::string& dir);
  // The catalog compiled into this binary.
  static const Catalog& builtin();

  const std::string& version() const { return version_; }
  const std::vector<Vendor>& vendors() const { return vendors_; }
  const std::vector<RegionGroup>& regionGroups() const { return groups_; }
  const Vendor* findVendor(std::string_view id) const;
  std::vector<std::string> vendorIds() const;

  // The most specific pattern wins: an exact name over a {region} pattern over a wildcard.
  std::optional<VendorMatch> matchHost(std::string_view host) const;
  // A vendor whose published ranges contain `addr` (longest prefix wins).
  std::optional<VendorMatch> matchIp(const Cidr& addr) const;

  // A region id, a group id, or "global".
  bool isKnownRegion(std::string_view region) const;
  std::vector<std::string> knownRegions() const;  // for suggestions
  // The group a region belongs to; the id itself for a group; "" for global or unknown ids.
  std::string groupOf(std::string_view region) const;
  // `region` is allowed by `allowed` when it, or its group, is listed. A group region ("eu")
  // is not allowed by one of its members ("eu-west-1"): it may mean any of them.
  bool regionAllowed(std::string_view region, const std::vector<std::string>& allowed) const;
  // Concrete hostnames for a vendor: fixed names as they are, {region} patterns instantiated
  // for each served region, wildcards with "example" as the resource. Used by policy diff.
  std::vector<std::string> sampleHosts(const Vendor& vendor) const;

 private:
  std::string version_;
  std::vector<Vendor> vendors_;
  std::vector<RegionGroup> groups_;
};

// The text of a policy pack shipped in policy/packs/ ("hipaa-default"), compiled in.
std::optional<std::string_view> builtinPack(std::string_view name);

}  // namespace sluice::policy
