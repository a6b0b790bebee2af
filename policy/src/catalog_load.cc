// Reading the catalog YAML (kind: Catalog and kind: Vendor files) with the same diagnostics as
// the policy loader, and checking it hangs together: unique ids, valid patterns, every region
// known and in exactly one group.
#include <dirent.h>

#include <algorithm>
#include <cerrno>
#include <set>

#include "sluice/policy/catalog.h"

#include "catalog_internal.h"
#include "host_pattern.h"
#include "text_file.h"
#include "yaml_reader.h"

namespace sluice::policy {
namespace {

using detail::Diagnostics;
using detail::MapReader;

struct Loader {
  std::string version;
  std::vector<Vendor> vendors;
  std::vector<RegionGroup> groups;
  int catalog_files = 0;
};

void readGroups(const YAML::Node& node, Loader& out, Diagnostics& diags) {
  for (const auto& [key, value] : detail::readNamedMap(node, "regionGroups", diags)) {
    RegionGroup g;
    g.id = key.Scalar();
    MapReader m(value, "regionGroups." + g.id, {"description", "regions"}, diags);
    if (const auto* n = m.get("description")) {
      g.description = detail::readString(*n, "description", diags).value_or("");
    }
    if (const auto* n = m.require("regions")) {
      for (auto& [item, r] : detail::readStringList(*n, "regionGroups." + g.id, diags)) {
        g.regions.push_back(r);
      }
    }
    out.groups.push_back(std::move(g));
  }
}

void readCatalogFile(MapReader& m, Loader& out, Diagnostics& diags) {
  ++out.catalog_files;
  if (const auto* n = m.require("version")) {
    out.version = detail::readString(*n, "version", diags).value_or("");
  }
  if (const auto* n = m.require("regionGroups")) readGroups(*n, out, diags);
}

void readHosts(const YAML::Node& node, Vendor& v, Diagnostics& diags) {
  for (const auto& item : detail::readList(node, "hosts", diags)) {
    MapReader m(item, "hosts[]", {"pattern", "region"}, diags);
    HostPattern p;
    if (const auto* n = m.require("pattern")) {
      p.pattern = detail::readString(*n, "pattern", diags).value_or("");
      if (auto why = detail::catalogPatternProblem(p.pattern)) {
        diags.error(*n, "bad host pattern '" + p.pattern + "': " + *why);
      }
    }
    if (const auto* n = m.get("region"))
      p.region = detail::readString(*n, "region", diags).value_or("");
    v.hosts.push_back(std::move(p));
  }
}

void readVendorFile(MapReader& m, Loader& out, Diagnostics& diags) {
  Vendor v;
  v.loc = detail::locOf(m.node(), diags.file());
  if (const auto* n = m.require("id")) v.id = detail::readString(*n, "id", diags).value_or("");
  if (const auto* n = m.require("name"))
    v.name = detail::readString(*n, "name", diags).value_or("");
  if (const auto* n = m.require("baa")) {
    MapReader baa(*n, "baa", {"offered", "notes"}, diags);
    if (const auto* o = baa.require("offered")) {
      v.baa_offered = detail::readEnum<BaaOffer>(*o, "baa.offered",
                                                 {{"offered", BaaOffer::kOffered},
                                                  {"not-offered", BaaOffer::kNotOffered},
                                                  {"unknown", BaaOffer::kUnknown}},
                                                 diags)
                          .value_or(BaaOffer::kUnknown);
    }
    if (const auto* t = baa.get("notes"))
      v.baa_notes = detail::readString(*t, "notes", diags).value_or("");
  }
  if (const auto* n = m.get("region"))
    v.region = detail::readString(*n, "region", diags).value_or("");
  if (const auto* n = m.get("regions")) {
    for (auto& [item, r] : detail::readStringList(*n, "regions", diags)) v.regions.push_back(r);
  }
  if (const auto* n = m.get("resourcePins")) {
    v.resource_pins = detail::readBool(*n, "resourcePins", diags).value_or(false);
  }
  if (const auto* n = m.require("hosts")) readHosts(*n, v, diags);
  if (const auto* n = m.get("ipRanges")) {
    for (auto& [item, text] : detail::readStringList(*n, "ipRanges", diags)) {
      auto c = Cidr::parse(text);
      if (c) {
        v.ip_ranges.push_back(*c);
      } else {
        diags.error(item, "bad CIDR in ipRanges: " + c.error().message());
      }
    }
  }
  if (const auto* n = m.get("ipRangesNote")) {
    v.ip_ranges_note = detail::readString(*n, "ipRangesNote", diags).value_or("");
  }
  if (const auto* n = m.require("sources")) {
    for (auto& [item, s] : detail::readStringList(*n, "sources", diags)) v.sources.push_back(s);
    if (v.sources.empty()) diags.error(*n, "a vendor needs at least one source");
  }
  out.vendors.push_back(std::move(v));
}

void readFile(const std::string& name, const std::string& text, Loader& out,
              std::vector<Diagnostic>& all) {
  Diagnostics diags(name);
  try {
    YAML::Node root = YAML::Load(text);
    MapReader m(root, "the catalog file",
                {"apiVersion", "kind", "version", "regionGroups", "id", "name", "baa", "region",
                 "regions", "resourcePins", "hosts", "ipRanges", "ipRangesNote", "sources"},
                diags);
    if (m.isMap()) {
      const auto* kind = m.require("kind");
      std::string k = kind ? detail::readString(*kind, "kind", diags).value_or("") : "";
      if (k == "Catalog") {
        readCatalogFile(m, out, diags);
      } else if (k == "Vendor") {
        readVendorFile(m, out, diags);
      } else if (kind != nullptr) {
        diags.error(*kind, "unknown kind '" + k + "'; expected Catalog or Vendor");
      }
    }
  } catch (const YAML::Exception& e) {
    diags.add(SourceLoc{name, e.mark.line + 1, e.mark.column + 1}, "YAML: " + e.msg,
              Severity::kError);
  }
  for (auto& d : diags.all()) all.push_back(std::move(d));
}

// Checks across files, once every file is read.
void checkWhole(int catalog_files, const Catalog& partial, std::vector<Diagnostic>& all) {
  auto error = [&](SourceLoc loc, std::string msg) {
    all.push_back(Diagnostic{std::move(loc), std::move(msg), Severity::kError});
  };
  if (catalog_files != 1) {
    error(SourceLoc{},
          "a catalog needs exactly one kind: Catalog file, found " + std::to_string(catalog_files));
  }
  std::set<std::string> seen_regions;
  for (const auto& g : partial.regionGroups()) {
    for (const auto& r : g.regions) {
      if (!seen_regions.insert(r).second) error(SourceLoc{}, "region '" + r + "' is in two groups");
    }
  }
  std::set<std::string> ids;
  for (const auto& v : partial.vendors()) {
    if (!ids.insert(v.id).second) error(v.loc, "duplicate vendor id '" + v.id + "'");
    auto checkRegion = [&](const std::string& r) {
      if (!r.empty() && !partial.isKnownRegion(r)) {
        error(v.loc, "vendor '" + v.id + "' names unknown region '" + r + "'");
      }
    };
    checkRegion(v.region);
    for (const auto& r : v.regions) checkRegion(r);
    for (const auto& h : v.hosts) checkRegion(h.region);
  }
}

}  // namespace

Result<Catalog> Catalog::fromTexts(const std::vector<std::pair<std::string, std::string>>& files) {
  Loader out;
  std::vector<Diagnostic> all;
  for (const auto& [name, text] : files) readFile(name, text, out, all);
  Catalog c;
  c.version_ = out.version;
  c.groups_ = std::move(out.groups);
  c.vendors_ = std::move(out.vendors);
  checkWhole(out.catalog_files, c, all);
  std::string msg;
  for (const auto& d : all) {
    if (d.severity == Severity::kError) msg += (msg.empty() ? "" : "\n") + d.toString();
  }
  if (!msg.empty()) return invalidArgument(msg);
  return c;
}

Result<Catalog> Catalog::loadDirectory(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return errnoError(errno, "cannot open catalog directory " + dir);
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 5 && n.substr(n.size() - 5) == ".yaml") names.push_back(n);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& n : names) {
    std::string path = dir + "/" + n;
    SLUICE_ASSIGN_OR_RETURN(std::string text, detail::readTextFile(path, "catalog file"));
    files.emplace_back(path, std::move(text));
  }
  return fromTexts(files);
}

}  // namespace sluice::policy
