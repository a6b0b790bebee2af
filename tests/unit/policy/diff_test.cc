// Policy diff: settings, destinations by name, and decision changes (loosened first),
// including a catalog upgrade under the same policy.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "sluice/policy/diff.h"

namespace sluice::policy {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

Policy mustParse(const std::string& spec) {
  std::string text =
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\nspec:\n"
      "  regions: {allowed: [us]}\n" +
      spec;
  auto p = parsePolicy(text, "t.yaml", ParseOptions{"2026-06-01", true, nullptr});
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message());
  return p.ok() ? *p : Policy{};
}

PolicyDiff diffOf(const Policy& a, const Policy& b) {
  return diffPolicies(a, b, DiffOptions{nullptr, nullptr, "2026-06-01"});
}

const DecisionChange* changeFor(const PolicyDiff& d, const std::string& target) {
  for (const auto& c : d.changes) {
    if (c.target.toString() == target) return &c;
  }
  return nullptr;
}

TEST(PolicyDiffTest, IdenticalPoliciesHaveNoDiff) {
  Policy p = mustParse("  vendors: {openai: {baa: {signed: true}}}\n");
  PolicyDiff d = diffOf(p, p);
  EXPECT_TRUE(d.empty());
  EXPECT_FALSE(d.old_catalog_version.empty());
}

TEST(PolicyDiffTest, SigningABaaLoosensThatVendorOnly) {
  Policy before = mustParse("");
  Policy after = mustParse("  vendors: {openai: {baa: {signed: true, expires: 2027-01-01}}}\n");
  PolicyDiff d = diffOf(before, after);
  EXPECT_THAT(d.settings, Contains("vendor openai: added (BAA signed until 2027-01-01)"));
  const DecisionChange* api = changeFor(d, "api.openai.com:443");
  ASSERT_NE(api, nullptr);
  EXPECT_TRUE(api->loosened());
  EXPECT_EQ(api->origin, "catalog vendor openai");
  EXPECT_EQ(api->before.cls, DestClass::kDeny);
  EXPECT_EQ(api->after.cls, DestClass::kInspect);
  // eu.api.openai.com stays denied (out of region), and no other vendor moves.
  EXPECT_EQ(changeFor(d, "eu.api.openai.com:443"), nullptr);
  EXPECT_EQ(d.changes.size(), 1u);
}

TEST(PolicyDiffTest, LoosenedChangesComeFirst) {
  Policy before = mustParse("  destinations: [{name: a, hosts: [a.example], class: allow}]\n");
  Policy after = mustParse(
      "  vendors: {anthropic: {baa: {signed: true}}}\n"
      "  destinations: [{name: a, hosts: [a.example], class: deny}]\n");
  PolicyDiff d = diffOf(before, after);
  ASSERT_GE(d.changes.size(), 2u);
  EXPECT_TRUE(d.changes.front().loosened());
  EXPECT_FALSE(d.changes.back().loosened());
  const DecisionChange* a = changeFor(d, "a.example:443");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->origin, "destination 'a'");
  ASSERT_EQ(d.destinations.size(), 1u);
  EXPECT_THAT(d.destinations[0], HasSubstr("changed 'a': hosts [a.example]"));
  EXPECT_THAT(d.destinations[0], HasSubstr("class allow -> hosts [a.example]"));
}

TEST(PolicyDiffTest, AuditModeLoosensEveryEnforcedBlock) {
  Policy before = mustParse("");
  Policy after = mustParse("  mode: audit\n");
  PolicyDiff d = diffOf(before, after);
  EXPECT_THAT(d.settings, Contains("spec.mode: enforce -> audit"));
  ASSERT_FALSE(d.changes.empty());
  EXPECT_TRUE(std::all_of(d.changes.begin(), d.changes.end(),
                          [](const DecisionChange& c) { return c.loosened(); }));
  EXPECT_NE(changeFor(d, "api.mistral.ai:443"), nullptr);
}

TEST(PolicyDiffTest, DestinationsAddedAndRemovedAreProbedByAddress) {
  Policy before = mustParse("  destinations: [{name: old, cidrs: [192.0.2.0/24], class: deny}]\n");
  Policy after = mustParse(
      "  destinations: [{name: new, cidrs: [198.51.100.0/24], ports: [8443], class: deny}]\n");
  PolicyDiff d = diffOf(before, after);
  ASSERT_EQ(d.destinations.size(), 2u);
  EXPECT_THAT(d.destinations[0], HasSubstr("added 'new'"));
  EXPECT_THAT(d.destinations[1], HasSubstr("removed 'old'"));
  const DecisionChange* gone = changeFor(d, "192.0.2.0:443");
  ASSERT_NE(gone, nullptr);
  EXPECT_TRUE(gone->loosened());
  const DecisionChange* added = changeFor(d, "198.51.100.0:8443");
  ASSERT_NE(added, nullptr);
  EXPECT_FALSE(added->loosened());
  EXPECT_EQ(added->after.cls, DestClass::kDeny);
}

TEST(PolicyDiffTest, SettingsAndDefaultsAreListed) {
  Policy before = mustParse("");
  Policy after = mustParse(
      "  failMode: open\n  holdTimeoutMs: 500\n  defaults: {ech: allow}\n"
      "  rules: [{name: r, match: {phi: [SSN]}, action: audit}]\n");
  PolicyDiff d = diffOf(before, after);
  EXPECT_THAT(d.settings, Contains("spec.failMode: closed -> open"));
  EXPECT_THAT(d.settings, Contains("spec.holdTimeoutMs: 2000 -> 500"));
  EXPECT_THAT(d.settings, Contains("spec.defaults.ech: deny -> allow"));
  EXPECT_THAT(d.settings, Contains("spec.rules: [] -> [r [SSN] -> audit]"));
}

TEST(PolicyDiffTest, ACatalogUpgradeThatDropsAVendorIsALoosening) {
  const std::string groups =
      "apiVersion: sluice.dev/v1\nkind: Catalog\nversion: v1\nregionGroups:\n"
      "  us: {regions: [us-east-1]}\n";
  const std::string vendor =
      "apiVersion: sluice.dev/v1\nkind: Vendor\nid: gone-ai\nname: Gone\n"
      "baa: {offered: unknown}\nregion: us\nhosts: [{pattern: api.gone.example}]\n"
      "sources: [https://gone.example]\n";
  auto old_cat = Catalog::fromTexts({{"c.yaml", groups}, {"v.yaml", vendor}});
  auto new_cat = Catalog::fromTexts({{"c.yaml", groups}});
  ASSERT_TRUE(old_cat.ok()) << old_cat.error().message();
  ASSERT_TRUE(new_cat.ok()) << new_cat.error().message();
  Policy p = mustParse("");
  PolicyDiff d = diffPolicies(p, p, DiffOptions{&*old_cat, &*new_cat, "2026-06-01"});
  ASSERT_EQ(d.changes.size(), 1u);
  EXPECT_EQ(d.changes[0].target.host, "api.gone.example");
  EXPECT_TRUE(d.changes[0].loosened());
  EXPECT_EQ(d.changes[0].origin, "catalog vendor gone-ai");
  EXPECT_EQ(d.old_catalog_version, "v1");
}

}  // namespace
}  // namespace sluice::policy
