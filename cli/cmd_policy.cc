// sluicectl policy validate|explain|diff: the policy author's tools. The logic is in
// sluice_policy (policy.h, decision.h, diff.h); this file parses flags and prints. The
// controller-backed subcommands (push, history, show, rollback, status) are handed to
// cmd_policy_remote.cc.
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "cmd_policy_remote.h"
#include "command.h"
#include "sluice/policy/catalog.h"
#include "sluice/policy/decision.h"
#include "sluice/policy/diff.h"
#include "sluice/policy/policy.h"

namespace sluice::cli {
namespace {

namespace pol = sluice::policy;

constexpr const char* kUsage =
    "usage: sluicectl policy validate FILE... [--today YYYY-MM-DD] [--catalog DIR] [--quiet]\n"
    "       sluicectl policy explain FILE HOST[:PORT] [--ip IP] [--udp] [--json]\n"
    "                                [--today YYYY-MM-DD] [--catalog DIR]\n"
    "       sluicectl policy diff OLD NEW [--old-catalog DIR] [--catalog DIR] [--json]\n"
    "                                [--today YYYY-MM-DD]\n"
    "       sluicectl policy catalog [--catalog DIR] [--json]\n"
    "\n"
    "validate  prints every problem as file:line:col; exits 0 when all files are valid, 1 not.\n"
    "explain   prints the decision for a destination (allow, inspect or deny) and why.\n"
    "diff      prints what changes for destinations if OLD is replaced by NEW, loosening\n"
    "          first; exits 0 when nothing changes, 1 when something does, 2 on errors.\n"
    "catalog   lists the AI vendors Sluice recognises: hostnames, BAA offered, region.\n"
    "--catalog uses the catalog in DIR instead of the built-in one (--old-catalog for OLD).\n"
    "\n"
    "On the controller:\n";

void printUsage(FILE* out) {
  std::fputs(kUsage, out);
  std::fputs(kPolicyRemoteUsage, out);
}

int usageError(const std::string& sub, const std::string& message) {
  std::fprintf(stderr, "sluicectl policy %s: %s\n", sub.c_str(), message.c_str());
  printUsage(stderr);
  return 2;
}

// Owns a catalog loaded from --catalog/--old-catalog, or points at the built-in one.
struct CatalogChoice {
  std::unique_ptr<pol::Catalog> loaded;
  const pol::Catalog* catalog = &pol::Catalog::builtin();
};

std::optional<CatalogChoice> chooseCatalog(const std::string& dir) {
  CatalogChoice choice;
  if (dir.empty()) return choice;
  auto c = pol::Catalog::loadDirectory(dir);
  if (!c) {
    std::fprintf(stderr, "sluicectl policy: catalog %s:\n%s\n", dir.c_str(),
                 c.error().message().c_str());
    return std::nullopt;
  }
  choice.loaded = std::make_unique<pol::Catalog>(std::move(*c));
  choice.catalog = choice.loaded.get();
  return choice;
}

// Loads a policy for explain/diff. An expired BAA is a warning there: explaining what an
// expired BAA does is exactly what those commands are for.
std::optional<pol::Policy> loadForUse(const std::string& path, const pol::ParseOptions& base) {
  pol::ParseOptions options = base;
  options.expired_baa_is_error = false;
  auto p = pol::loadPolicyFile(path, options);
  if (!p) {
    std::fprintf(stderr, "%s\n", p.error().message().c_str());
    return std::nullopt;
  }
  return std::move(*p);
}

int runValidate(const FlagParser& flags, const pol::ParseOptions& options) {
  if (flags.positional().empty()) return usageError("validate", "needs at least one FILE");
  int status = 0;
  for (const auto& path : flags.positional()) {
    auto report = pol::checkPolicyFile(path, options);
    if (!report) {
      std::fprintf(stderr, "%s\n", report.error().message().c_str());
      status = 1;
      continue;
    }
    size_t errors = report->errorCount();
    size_t warnings = report->diagnostics.size() - errors;
    for (const auto& d : report->diagnostics) {
      if (d.severity == pol::Severity::kError || !flags.has("--quiet")) {
        std::printf("%s\n", d.toString().c_str());
      }
    }
    if (report->ok()) {
      std::printf("%s: valid, %zu warning(s); policy '%s' sha256 %s\n", path.c_str(), warnings,
                  report->policy->name.c_str(), report->policy->sha256.c_str());
    } else {
      std::printf("%s: invalid, %zu error(s), %zu warning(s)\n", path.c_str(), errors, warnings);
      status = 1;
    }
  }
  return status;
}

std::string atText(const pol::SourceLoc& loc) {
  return loc.line > 0 ? "  (" + loc.toString() + ")" : "";
}

nlohmann::json decisionJson(const pol::Decision& d) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : d.reasons) {
    nlohmann::json j = {{"step", r.step}, {"text", r.text}};
    if (r.loc.line > 0) j["at"] = r.loc.toString();
    reasons.push_back(j);
  }
  return {{"class", pol::destClassName(d.cls)},
          {"enforced", d.enforced},
          {"destination", d.destination},
          {"vendor", d.vendor_id},
          {"region", d.region},
          {"rules", d.rules},
          {"reasons", reasons}};
}

int runExplain(const FlagParser& flags, const pol::ParseOptions& options) {
  const auto& pos = flags.positional();
  if (pos.size() != 2) return usageError("explain", "needs FILE and HOST[:PORT]");
  auto target = pol::parseTarget(pos[1]);
  if (!target) return usageError("explain", target.error().message());
  if (flags.has("--ip")) {
    auto ip = pol::Cidr::parseAddress(flags.get("--ip"));
    if (!ip) return usageError("explain", ip.error().message());
    target->ip = *ip;
  }
  if (flags.has("--udp")) target->protocol = pol::Protocol::kUdp;
  auto policy = loadForUse(pos[0], options);
  if (!policy) return 1;
  pol::Decision d = pol::decide(*policy, *options.catalog, *target, {options.today});
  std::string what = target->toString() + "/" + std::string(pol::protocolName(target->protocol));
  if (flags.has("--json")) {
    nlohmann::json j = decisionJson(d);
    j["target"] = what;
    j["policy"] = {{"name", policy->name},
                   {"file", policy->source_file},
                   {"sha256", policy->sha256},
                   {"catalog", options.catalog->version()}};
    std::cout << j.dump(2) << '\n';
    return 0;
  }
  std::printf("%s: %s%s\n", what.c_str(), std::string(pol::destClassName(d.cls)).c_str(),
              d.enforced ? "" : " (audit mode: reported, not enforced)");
  std::printf("  %-12s %s (%s, sha256 %.12s)\n", "policy", policy->name.c_str(),
              policy->source_file.c_str(), policy->sha256.c_str());
  for (const auto& r : d.reasons) {
    std::printf("  %-12s %s%s\n", r.step.c_str(), r.text.c_str(), atText(r.loc).c_str());
  }
  return 0;
}

// The reasons of `a` that `b` does not have, each prefixed with `mark`.
void printReasonDelta(const pol::Decision& a, const pol::Decision& b, const char* mark) {
  for (const auto& r : a.reasons) {
    bool shared = std::any_of(b.reasons.begin(), b.reasons.end(),
                              [&](const pol::Reason& o) { return o.text == r.text; });
    if (!shared) std::printf("      %s %s: %s\n", mark, r.step.c_str(), r.text.c_str());
  }
}

void printDiff(const pol::PolicyDiff& diff) {
  auto section = [](const char* title, const std::vector<std::string>& lines) {
    if (lines.empty()) return;
    std::printf("%s:\n", title);
    for (const auto& l : lines) std::printf("  %s\n", l.c_str());
  };
  section("settings", diff.settings);
  section("destinations", diff.destinations);
  size_t loosened = 0;
  for (const auto& c : diff.changes) loosened += c.loosened() ? 1 : 0;
  std::printf("decisions: %zu changed, %zu loosened\n", diff.changes.size(), loosened);
  for (const auto& c : diff.changes) {
    auto state = [](const pol::Decision& d) {
      return std::string(pol::destClassName(d.cls)) + (d.enforced ? "" : " (audit)");
    };
    std::printf("  %-9s %s  %s -> %s  [%s]\n", c.loosened() ? "LOOSENED" : "tightened",
                c.target.toString().c_str(), state(c.before).c_str(), state(c.after).c_str(),
                c.origin.c_str());
    printReasonDelta(c.before, c.after, "-");
    printReasonDelta(c.after, c.before, "+");
  }
}

int runDiff(const FlagParser& flags, const pol::ParseOptions& options) {
  const auto& pos = flags.positional();
  if (pos.size() != 2) return usageError("diff", "needs OLD and NEW");
  auto old_catalog = chooseCatalog(flags.get("--old-catalog"));
  if (!old_catalog) return 2;
  pol::ParseOptions old_options = options;
  old_options.catalog = old_catalog->catalog;
  auto old_policy = loadForUse(pos[0], old_options);
  auto new_policy = loadForUse(pos[1], options);
  if (!old_policy || !new_policy) return 2;
  pol::PolicyDiff diff =
      pol::diffPolicies(*old_policy, *new_policy,
                        pol::DiffOptions{old_catalog->catalog, options.catalog, options.today});
  if (flags.has("--json")) {
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& c : diff.changes) {
      changes.push_back({{"target", c.target.toString()},
                         {"origin", c.origin},
                         {"loosened", c.loosened()},
                         {"before", decisionJson(c.before)},
                         {"after", decisionJson(c.after)}});
    }
    nlohmann::json j = {{"old", {{"file", pos[0]}, {"catalog", diff.old_catalog_version}}},
                        {"new", {{"file", pos[1]}, {"catalog", diff.new_catalog_version}}},
                        {"settings", diff.settings},
                        {"destinations", diff.destinations},
                        {"changes", changes}};
    std::cout << j.dump(2) << '\n';
  } else {
    std::printf("policy diff %s -> %s (catalog %s -> %s)\n", pos[0].c_str(), pos[1].c_str(),
                diff.old_catalog_version.c_str(), diff.new_catalog_version.c_str());
    if (diff.empty()) std::printf("no changes\n");
    printDiff(diff);
  }
  return diff.empty() ? 0 : 1;
}

int runCatalog(const FlagParser& flags, const pol::Catalog& catalog) {
  if (!flags.positional().empty()) return usageError("catalog", "takes no arguments");
  if (flags.has("--json")) {
    nlohmann::json vendors = nlohmann::json::array();
    for (const auto& v : catalog.vendors()) {
      nlohmann::json hosts = nlohmann::json::array();
      for (const auto& h : v.hosts) hosts.push_back({{"pattern", h.pattern}, {"region", h.region}});
      std::vector<std::string> ranges;
      for (const auto& c : v.ip_ranges) ranges.push_back(c.canonical());
      vendors.push_back({{"id", v.id},
                         {"name", v.name},
                         {"baa", pol::baaOfferName(v.baa_offered)},
                         {"baaNotes", v.baa_notes},
                         {"region", v.region},
                         {"resourcePins", v.resource_pins},
                         {"hosts", hosts},
                         {"ipRanges", ranges},
                         {"sources", v.sources}});
    }
    std::cout << nlohmann::json{{"version", catalog.version()}, {"vendors", vendors}}.dump(2)
              << '\n';
    return 0;
  }
  std::printf("catalog %s: %zu vendors\n", catalog.version().c_str(), catalog.vendors().size());
  for (const auto& v : catalog.vendors()) {
    std::string region = v.resource_pins    ? "pinned per resource"
                         : v.region.empty() ? "from hostname"
                                            : v.region;
    std::printf("\n%-14s %s\n  BAA %s; region %s%s\n", v.id.c_str(), v.name.c_str(),
                std::string(pol::baaOfferName(v.baa_offered)).c_str(), region.c_str(),
                v.ip_ranges.empty() ? "" : "; published IP ranges");
    for (const auto& h : v.hosts) {
      std::printf("  %s%s\n", h.pattern.c_str(),
                  h.region.empty() ? "" : ("  (" + h.region + ")").c_str());
    }
  }
  return 0;
}

int runPolicy(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    printUsage(args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  const std::string sub = args[0];
  Args rest(args.begin() + 1, args.end());
  if (isPolicyRemoteSubcommand(sub)) return runPolicyRemote(sub, rest);
  FlagParser flags(rest);
  std::string err;
  if (!flags.parse({"--today", "--catalog", "--old-catalog", "--ip"},
                   {"--quiet", "--json", "--udp"}, err)) {
    return usageError(sub, err);
  }
  auto catalog = chooseCatalog(flags.get("--catalog"));
  if (!catalog) return 2;
  pol::ParseOptions options;
  options.today = flags.get("--today");
  options.catalog = catalog->catalog;
  if (sub == "validate") return runValidate(flags, options);
  if (sub == "explain") return runExplain(flags, options);
  if (sub == "diff") return runDiff(flags, options);
  if (sub == "catalog") return runCatalog(flags, *options.catalog);
  return usageError(sub, "unknown subcommand");
}

const CommandRegistrar kRegistrar(Command{"policy", "validate, explain and diff egress policies",
                                          runPolicy});

}  // namespace
}  // namespace sluice::cli
