// The decision engine: precedence (policy destinations, catalog, defaults), BAA, expiry,
// region, resource pins, audit mode, and the reasons that explain each answer.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "sluice/policy/decision.h"

namespace sluice::policy {
namespace {

using ::testing::HasSubstr;

constexpr const char* kToday = "2026-06-01";

Policy mustParse(const std::string& spec) {
  std::string text =
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\nspec:\n" + spec;
  auto p = parsePolicy(text, "t.yaml", ParseOptions{kToday, false, nullptr});
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message());
  return p.ok() ? *p : Policy{};
}

Decision decideFor(const Policy& p, const std::string& target, const std::string& today = kToday) {
  auto t = parseTarget(target);
  EXPECT_TRUE(t.ok()) << target;
  return decide(p, Catalog::builtin(), t.ok() ? *t : Target{}, DecideOptions{today});
}

std::string reasonsOf(const Decision& d) {
  std::string out;
  for (const auto& r : d.reasons) out += r.step + ": " + r.text + "\n";
  return out;
}

// The reason for `step`, or "" when there is none.
std::string reason(const Decision& d, const std::string& step) {
  for (const auto& r : d.reasons) {
    if (r.step == step) return r.text;
  }
  return "";
}

const char* kUsNoBaa = "  regions: {allowed: [us]}\n";

TEST(DecisionTest, AiVendorWithoutBaaIsDenied) {
  Policy p = mustParse(kUsNoBaa);
  Decision d = decideFor(p, "api.openai.com");
  EXPECT_EQ(d.cls, DestClass::kDeny) << reasonsOf(d);
  EXPECT_TRUE(d.enforced);
  EXPECT_EQ(d.vendor_id, "openai");
  EXPECT_EQ(d.region, "us");
  EXPECT_THAT(reason(d, "vendor"), HasSubstr("api.openai.com is OpenAI API"));
  EXPECT_THAT(reason(d, "baa"),
              HasSubstr("no BAA signed with openai in spec.vendors (the vendor offers one) -> "
                        "spec.defaults.aiWithoutBaa: deny"));
  EXPECT_THAT(reason(d, "region"), HasSubstr("region us is allowed"));
  EXPECT_EQ(decideFor(p, "api.mistral.ai").cls, DestClass::kDeny);
}

TEST(DecisionTest, AiVendorWithBaaInRegionIsInspectedUnderTheRules) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  vendors: {openai: {baa: {signed: true, expires: 2027-06-30}}}\n"
                       "  rules: [{name: no-ssn, match: {phi: [SSN, MRN]}, action: block}]\n");
  Decision d = decideFor(p, "api.openai.com:443");
  EXPECT_EQ(d.cls, DestClass::kInspect) << reasonsOf(d);
  EXPECT_THAT(reason(d, "baa"), HasSubstr("signed, valid through 2027-06-30"));
  EXPECT_EQ(d.rules, std::vector<std::string>{"no-ssn"});
  EXPECT_THAT(reason(d, "rule"), HasSubstr("rule 'no-ssn': SSN, MRN -> block"));
  EXPECT_THAT(reason(d, "tls"), HasSubstr("uninspectableTls: deny"));
  // The same vendor's EU endpoint is out of region.
  Decision eu = decideFor(p, "eu.api.openai.com");
  EXPECT_EQ(eu.cls, DestClass::kDeny) << reasonsOf(eu);
  EXPECT_THAT(reason(eu, "region"), HasSubstr("region eu is not in spec.regions.allowed [us]"));
}

TEST(DecisionTest, BedrockRegionComesFromTheHostname) {
  Policy p = mustParse(std::string(kUsNoBaa) + "  vendors: {aws-bedrock: {baa: {signed: true}}}\n");
  Decision us = decideFor(p, "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(us.cls, DestClass::kInspect) << reasonsOf(us);
  EXPECT_EQ(us.region, "us-east-1");
  EXPECT_THAT(reason(us, "region"), HasSubstr("region us-east-1 (group us) is allowed"));
  Decision eu = decideFor(p, "bedrock-runtime.eu-west-1.amazonaws.com");
  EXPECT_EQ(eu.cls, DestClass::kDeny) << reasonsOf(eu);
  EXPECT_THAT(reason(eu, "region"),
              HasSubstr("region eu-west-1 (group eu) is not in spec.regions.allowed [us] -> "
                        "spec.defaults.outOfRegion: deny"));
}

TEST(DecisionTest, VendorRegionsOverrideThePolicyWideList) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  vendors: {aws-bedrock: {baa: {signed: true}, regions: [us-west-2]}}\n");
  EXPECT_EQ(decideFor(p, "bedrock-runtime.us-west-2.amazonaws.com").cls, DestClass::kInspect);
  Decision d = decideFor(p, "bedrock-runtime.us-east-1.amazonaws.com");
  EXPECT_EQ(d.cls, DestClass::kDeny);
  EXPECT_THAT(reason(d, "region"), HasSubstr("not in spec.vendors.aws-bedrock.regions"));
}

TEST(DecisionTest, ExpiredBaaAppliesItsOwnDefaultFromTheExpiryDay) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  vendors: {openai: {baa: {signed: true, expires: 2026-05-31}}}\n"
                       "  defaults: {expiredBaa: allow, aiWithoutBaa: deny}\n");
  EXPECT_EQ(decideFor(p, "api.openai.com", "2026-05-31").cls, DestClass::kInspect);
  Decision d = decideFor(p, "api.openai.com", "2026-06-01");
  EXPECT_EQ(d.cls, DestClass::kAllow) << reasonsOf(d);
  EXPECT_THAT(reason(d, "baa"), HasSubstr("expired on 2026-05-31 (today is 2026-06-01) -> "
                                          "spec.defaults.expiredBaa: allow"));
}

TEST(DecisionTest, AnUnreadableTodayCountsAsExpired) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  vendors: {openai: {baa: {signed: true, expires: 2030-01-01}}}\n");
  EXPECT_EQ(decideFor(p, "api.openai.com", "2026-06-01").cls, DestClass::kInspect);
  EXPECT_EQ(decideFor(p, "api.openai.com", "June 1st").cls, DestClass::kDeny);
}

TEST(DecisionTest, TheStrictestFailedCheckWins) {
  Policy p =
      mustParse(std::string(kUsNoBaa) + "  defaults: {aiWithoutBaa: inspect, outOfRegion: deny}\n");
  EXPECT_EQ(decideFor(p, "api.openai.com").cls, DestClass::kInspect);  // only no BAA
  EXPECT_EQ(decideFor(p, "eu.api.openai.com").cls, DestClass::kDeny);  // and out of region
}

TEST(DecisionTest, NoRegionRestrictionWhenThePolicySetsNone) {
  Policy p = mustParse("  vendors: {mistral: {baa: {signed: true}}}\n");
  Decision d = decideFor(p, "api.mistral.ai");
  EXPECT_EQ(d.cls, DestClass::kInspect) << reasonsOf(d);
  EXPECT_THAT(reason(d, "region"), HasSubstr("the policy sets no region restriction"));
}

TEST(DecisionTest, AzureResourcesArePinnedToRegionsByThePolicy) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  vendors:\n    azure-openai:\n      baa: {signed: true}\n"
                       "      resources: {contoso-east: eastus, contoso-eu: westeurope}\n");
  Decision east = decideFor(p, "contoso-east.openai.azure.com");
  EXPECT_EQ(east.cls, DestClass::kInspect) << reasonsOf(east);
  EXPECT_EQ(east.region, "eastus");
  EXPECT_EQ(decideFor(p, "contoso-eu.openai.azure.com").cls, DestClass::kDeny);
  Decision unpinned = decideFor(p, "other.openai.azure.com");
  EXPECT_EQ(unpinned.cls, DestClass::kDeny) << reasonsOf(unpinned);
  EXPECT_THAT(reason(unpinned, "region"),
              HasSubstr("unknown; pin resource 'other' in spec.vendors.azure-openai.resources"));
}

TEST(DecisionTest, UnknownDestinationsFollowTheDefault) {
  Policy p = mustParse(std::string(kUsNoBaa) + "  defaults: {unknownDestination: inspect}\n");
  Decision d = decideFor(p, "example.org:8443");
  EXPECT_EQ(d.cls, DestClass::kInspect);
  EXPECT_TRUE(d.vendor_id.empty());
  EXPECT_THAT(reason(d, "default"),
              HasSubstr("example.org:8443 is neither a policy destination nor an AI API"));
  EXPECT_EQ(decideFor(mustParse(kUsNoBaa), "example.org").cls, DestClass::kAllow);
}

TEST(DecisionTest, PolicyDestinationsComeBeforeTheCatalog) {
  Policy p =
      mustParse(std::string(kUsNoBaa) +
                "  destinations:\n"
                "    - {name: proxy, hosts: [api.openai.com], ports: [443], class: allow}\n");
  Decision d = decideFor(p, "api.openai.com:443");
  EXPECT_EQ(d.cls, DestClass::kAllow) << reasonsOf(d);
  EXPECT_EQ(d.destination, "proxy");
  EXPECT_THAT(reason(d, "destination"),
              HasSubstr("policy destination 'proxy' matches host api.openai.com -> class allow"));
  ASSERT_FALSE(d.reasons.empty());
  EXPECT_EQ(d.reasons[0].loc.line, 7);
  // Another port is not that destination: the catalog decides.
  EXPECT_EQ(decideFor(p, "api.openai.com:8443").cls, DestClass::kDeny);
}

TEST(DecisionTest, MostSpecificDestinationWins) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  destinations:\n"
                       "    - {name: corp, hosts: [\"*.corp.example\"], cidrs: [10.0.0.0/8], "
                       "class: deny}\n"
                       "    - {name: llm, hosts: [llm.corp.example], cidrs: [10.20.0.0/16], "
                       "class: allow}\n"
                       "    - {name: dns, cidrs: [10.0.0.53/32], protocol: udp, class: inspect}\n");
  EXPECT_EQ(decideFor(p, "llm.corp.example").destination, "llm");
  EXPECT_EQ(decideFor(p, "a.b.corp.example").destination, "corp");
  EXPECT_EQ(decideFor(p, "10.20.1.1:443").destination, "llm");
  EXPECT_EQ(decideFor(p, "10.30.1.1:443").destination, "corp");
  // Protocol matters: TCP to the DNS server is the /8, not the UDP-only /32.
  EXPECT_EQ(decideFor(p, "10.0.0.53:53").destination, "corp");
  // A host match beats an address match: the name is what the client asked for.
  auto t = parseTarget("llm.corp.example");
  ASSERT_TRUE(t.ok());
  t->ip = *Cidr::parseAddress("10.30.0.1");
  Decision d = decide(p, Catalog::builtin(), *t, DecideOptions{kToday});
  EXPECT_EQ(d.destination, "llm");
}

TEST(DecisionTest, DestinationOutsideTheAllowedRegionsIsMadeStricter) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  destinations:\n"
                       "    - {name: eu-llm, hosts: [llm.eu.example], class: allow, "
                       "region: eu-west-1}\n");
  Decision d = decideFor(p, "llm.eu.example");
  EXPECT_EQ(d.cls, DestClass::kDeny) << reasonsOf(d);
  EXPECT_THAT(reason(d, "region"), HasSubstr("region eu-west-1 is not in spec.regions.allowed"));
}

TEST(DecisionTest, PublishedRangesIdentifyAVendorByAddress) {
  Policy p = mustParse(kUsNoBaa);
  Decision d = decideFor(p, "160.79.104.10:443");
  EXPECT_EQ(d.vendor_id, "anthropic") << reasonsOf(d);
  EXPECT_EQ(d.cls, DestClass::kDeny);
  EXPECT_THAT(reason(d, "vendor"), HasSubstr("published address ranges"));
}

TEST(DecisionTest, AuditModeReportsAndNeverEnforces) {
  Policy p = mustParse(std::string(kUsNoBaa) + "  mode: audit\n");
  Decision d = decideFor(p, "api.openai.com");
  EXPECT_EQ(d.cls, DestClass::kDeny);
  EXPECT_FALSE(d.enforced);
  EXPECT_THAT(reason(d, "mode"), HasSubstr("reported, never blocked"));
}

TEST(DecisionTest, HipaaDefaultPackBlocksAiAndAllowsTheRest) {
  auto text = builtinPack("hipaa-default");
  ASSERT_TRUE(text.has_value());
  auto p = parsePolicy(*text, "hipaa-default.yaml");
  ASSERT_TRUE(p.ok()) << p.error().message();
  for (const auto& v : Catalog::builtin().vendors()) {
    for (const auto& host : Catalog::builtin().sampleHosts(v)) {
      EXPECT_EQ(decideFor(*p, host).cls, DestClass::kDeny) << host;
    }
  }
  EXPECT_EQ(decideFor(*p, "deb.debian.org").cls, DestClass::kAllow);
}

TEST(TargetTest, ParsesHostsPortsAndAddresses) {
  auto a = parseTarget("API.OpenAI.com:8443");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "api.openai.com");
  EXPECT_EQ(a->port, 8443);
  auto b = parseTarget("api.openai.com");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->port, 443);
  auto v4 = parseTarget("10.1.2.3:53");
  ASSERT_TRUE(v4.ok());
  EXPECT_TRUE(v4->host.empty());
  ASSERT_TRUE(v4->ip.has_value());
  EXPECT_TRUE(v4->ip->is_v4);
  EXPECT_EQ(v4->toString(), "10.1.2.3:53");
  auto v6 = parseTarget("[2001:db8::1]:8443");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->port, 8443);
  EXPECT_EQ(v6->toString(), "[2001:db8::1]:8443");
  auto bare6 = parseTarget("2001:db8::1");
  ASSERT_TRUE(bare6.ok());
  EXPECT_EQ(bare6->port, 443);
  for (const char* bad : {"", "host:", "host:0", "host:99999", "[::1", "[::1]x", "bad host",
                          "*.example.com", ":443"}) {
    EXPECT_FALSE(parseTarget(bad).ok()) << bad;
  }
}

TEST(DecisionTest, StricterOrdersClasses) {
  EXPECT_EQ(stricter(DestClass::kAllow, DestClass::kInspect), DestClass::kInspect);
  EXPECT_EQ(stricter(DestClass::kDeny, DestClass::kInspect), DestClass::kDeny);
  EXPECT_EQ(stricter(DestClass::kAllow, DestClass::kAllow), DestClass::kAllow);
}

}  // namespace
}  // namespace sluice::policy

namespace sluice::policy {
namespace {

TEST(DecisionTest, OnTheSamePrefixTheDestinationThatNamesThePortWins) {
  // Mirrors the kernel LPM key, where the port is part of the prefix.
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  destinations:\n"
                       "    - {name: all, cidrs: [10.0.0.0/8], class: deny}\n"
                       "    - {name: https, cidrs: [10.0.0.0/8], ports: [443], class: allow}\n");
  EXPECT_EQ(decideFor(p, "10.1.1.1:443").destination, "https");
  EXPECT_EQ(decideFor(p, "10.1.1.1:443").cls, DestClass::kAllow);
  EXPECT_EQ(decideFor(p, "10.1.1.1:80").destination, "all");
}

}  // namespace
}  // namespace sluice::policy

namespace sluice::policy {
namespace {

TEST(EnforcementNamesTest, PolicyHostsCatalogNamesAndPinnedResources) {
  Policy p = mustParse(std::string(kUsNoBaa) +
                       "  vendors:\n    azure-openai: {baa: {signed: true}, "
                       "resources: {contoso: eastus}}\n"
                       "  destinations: [{name: d, hosts: [llm.corp.example], class: allow}]\n");
  auto names = enforcementNames(p, Catalog::builtin());
  auto has = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  EXPECT_TRUE(has("llm.corp.example"));
  EXPECT_TRUE(has("api.openai.com"));
  EXPECT_TRUE(has("bedrock-runtime.us-east-1.amazonaws.com"));
  EXPECT_TRUE(has("bedrock-runtime.me-central-1.amazonaws.com"));
  EXPECT_TRUE(has("europe-west4-aiplatform.googleapis.com"));
  EXPECT_TRUE(has("*.openai.azure.com"));
  EXPECT_TRUE(has("contoso.openai.azure.com"));
  EXPECT_TRUE(has("*.us-east-1.aws.endpoints.huggingface.cloud"));
  EXPECT_FALSE(has("bedrock-runtime.{region}.amazonaws.com"));
  std::set<std::string> unique(names.begin(), names.end());
  EXPECT_EQ(unique.size(), names.size());
  // The pinned resource decides differently from the wildcard it sits under, which is why it
  // needs its own entry.
  EXPECT_EQ(decideFor(p, "contoso.openai.azure.com").cls, DestClass::kInspect);
  EXPECT_EQ(decideFor(p, "other.openai.azure.com").cls, DestClass::kDeny);
  // Without pins, no resource names.
  auto plain = enforcementNames(mustParse(kUsNoBaa), Catalog::builtin());
  EXPECT_EQ(std::find(plain.begin(), plain.end(), "contoso.openai.azure.com"), plain.end());
}

}  // namespace
}  // namespace sluice::policy
