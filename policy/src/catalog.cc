// Catalog queries: hostname and IP matching, regions and groups, sample names for diffs, and
// the built-in catalog and packs.
#include "sluice/policy/catalog.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "catalog_internal.h"
#include "embedded_data.h"
#include "host_pattern.h"

namespace sluice::policy {
namespace detail {
namespace {

constexpr std::string_view kRegionToken = "{region}";

std::vector<std::string_view> splitLabels(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (dot == std::string_view::npos) return out;
    start = dot + 1;
  }
}

bool isRegionText(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace

std::optional<std::string> catalogPatternProblem(std::string_view pattern) {
  std::string probe(pattern);
  if (auto at = probe.find(kRegionToken); at != std::string::npos) {
    probe.replace(at, kRegionToken.size(), "r");
    if (probe.find(kRegionToken) != std::string::npos) return "more than one {region}";
  }
  if (probe != normalizeHost(probe)) return "patterns are lower case without a trailing dot";
  return hostPatternProblem(probe);
}

std::optional<PatternMatch> matchCatalogPattern(std::string_view pattern, std::string_view host) {
  PatternMatch m;
  bool wildcard = pattern.substr(0, 2) == "*.";
  auto p = splitLabels(wildcard ? pattern.substr(2) : pattern);
  auto h = splitLabels(host);
  if (wildcard ? h.size() <= p.size() : h.size() != p.size()) return std::nullopt;
  size_t offset = h.size() - p.size();
  for (size_t i = 0; i < p.size(); ++i) {
    std::string_view pl = p[i];
    std::string_view hl = h[offset + i];
    size_t at = pl.find(kRegionToken);
    if (at == std::string_view::npos) {
      if (pl != hl) return std::nullopt;
      continue;
    }
    std::string_view prefix = pl.substr(0, at);
    std::string_view suffix = pl.substr(at + kRegionToken.size());
    if (hl.size() <= prefix.size() + suffix.size() || hl.substr(0, prefix.size()) != prefix ||
        hl.substr(hl.size() - suffix.size()) != suffix) {
      return std::nullopt;
    }
    std::string_view region = hl.substr(prefix.size(), hl.size() - prefix.size() - suffix.size());
    if (!isRegionText(region)) return std::nullopt;
    m.region = std::string(region);
  }
  if (wildcard) {
    size_t resource_len = 0;
    for (size_t i = 0; i < offset; ++i) resource_len += h[i].size() + (i > 0 ? 1 : 0);
    m.resource = std::string(host.substr(0, resource_len));
  }
  int literal = static_cast<int>(pattern.size()) - (m.region.empty() ? 0 : 8) - (wildcard ? 2 : 0);
  m.specificity = literal + (wildcard ? 0 : m.region.empty() ? 2000 : 1000);
  return m;
}

}  // namespace detail

std::string_view baaOfferName(BaaOffer o) {
  switch (o) {
    case BaaOffer::kOffered: return "offered";
    case BaaOffer::kNotOffered: return "not-offered";
    case BaaOffer::kUnknown: return "unknown";
  }
  return "?";
}

const Vendor* Catalog::findVendor(std::string_view id) const {
  for (const auto& v : vendors_) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

std::vector<std::string> Catalog::vendorIds() const {
  std::vector<std::string> out;
  for (const auto& v : vendors_) out.push_back(v.id);
  return out;
}

std::optional<VendorMatch> Catalog::matchHost(std::string_view host) const {
  std::string h = detail::normalizeHost(host);
  std::optional<VendorMatch> best;
  int best_score = -1;
  for (const auto& v : vendors_) {
    for (const auto& p : v.hosts) {
      auto m = detail::matchCatalogPattern(p.pattern, h);
      if (!m || m->specificity <= best_score) continue;
      best_score = m->specificity;
      std::string region = !p.region.empty() ? p.region : !m->region.empty() ? m->region : v.region;
      best = VendorMatch{&v, &p, region, m->resource};
    }
  }
  return best;
}

std::optional<VendorMatch> Catalog::matchIp(const Cidr& addr) const {
  std::optional<VendorMatch> best;
  int best_len = -1;
  for (const auto& v : vendors_) {
    for (const auto& c : v.ip_ranges) {
      if (c.contains(addr) && c.prefix_len > best_len) {
        best_len = c.prefix_len;
        best = VendorMatch{&v, nullptr, v.region, ""};
      }
    }
  }
  return best;
}

bool Catalog::isKnownRegion(std::string_view region) const {
  if (region == "global") return true;
  return std::any_of(groups_.begin(), groups_.end(), [&](const RegionGroup& g) {
    return g.id == region ||
           std::find(g.regions.begin(), g.regions.end(), region) != g.regions.end();
  });
}

std::vector<std::string> Catalog::knownRegions() const {
  std::vector<std::string> out = {"global"};
  for (const auto& g : groups_) {
    out.push_back(g.id);
    out.insert(out.end(), g.regions.begin(), g.regions.end());
  }
  return out;
}

std::string Catalog::groupOf(std::string_view region) const {
  for (const auto& g : groups_) {
    if (g.id == region ||
        std::find(g.regions.begin(), g.regions.end(), region) != g.regions.end()) {
      return g.id;
    }
  }
  return "";
}

bool Catalog::regionAllowed(std::string_view region,
                            const std::vector<std::string>& allowed) const {
  if (region.empty()) return false;
  std::string group = groupOf(region);
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) {
    return a == region || (!group.empty() && a == group);
  });
}

std::vector<std::string> Catalog::sampleHosts(const Vendor& vendor) const {
  std::vector<std::string> out;
  for (const auto& p : vendor.hosts) {
    std::string base = p.pattern;
    if (base.rfind("*.", 0) == 0) base.replace(0, 1, "example");
    auto at = base.find("{region}");
    if (at == std::string::npos) {
      out.push_back(base);
      continue;
    }
    for (const auto& r : vendor.regions) {
      std::string h = base;
      h.replace(at, 8, r);
      out.push_back(h);
    }
  }
  return out;
}

const Catalog& Catalog::builtin() {
  static const Catalog kCatalog = [] {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& f : detail::embeddedCatalogFiles()) {
      files.emplace_back("policy/catalog/" + std::string(f.name), std::string(f.text));
    }
    auto c = fromTexts(files);
    if (!c) {
      // The data is compiled in and a unit test loads it, so this is a broken build. Failing
      // open here would make every AI vendor an unknown destination: refuse to run instead.
      std::fprintf(stderr, "sluice: the built-in AI-vendor catalog is invalid:\n%s\n",
                   c.error().message().c_str());
      std::abort();
    }
    return std::move(*c);
  }();
  return kCatalog;
}

std::optional<std::string_view> builtinPack(std::string_view name) {
  for (const auto& f : detail::embeddedPackFiles()) {
    if (f.name.size() == name.size() + 5 && f.name.substr(0, name.size()) == name &&
        f.name.substr(name.size()) == ".yaml") {
      return f.text;
    }
  }
  return std::nullopt;
}

}  // namespace sluice::policy
