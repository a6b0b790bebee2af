// Every validation error, each with its line and column. The policies are written block-style
// so a reader can count the columns; each case says which line the problem is on.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sluice/policy/catalog.h"
#include "sluice/policy/policy.h"

namespace sluice::policy {
namespace {

using ::testing::HasSubstr;

// Lines 1-5 of every case; the case's own lines start at line 6.
constexpr const char* kHead =
    "apiVersion: sluice.dev/v1\n"
    "kind: EgressPolicy\n"
    "metadata: {name: t}\n"
    "spec:\n"
    "  regions: {allowed: [us]}\n";

PolicyReport check(const std::string& body, ParseOptions options = {}) {
  if (options.today.empty()) options.today = "2026-06-01";
  return checkPolicy(std::string(kHead) + body, "p.yaml", options);
}

std::vector<Diagnostic> ofSeverity(const PolicyReport& r, Severity s) {
  std::vector<Diagnostic> out;
  for (const auto& d : r.diagnostics) {
    if (d.severity == s) out.push_back(d);
  }
  return out;
}

std::string dump(const PolicyReport& r) {
  std::string out;
  for (const auto& d : r.diagnostics) out += d.toString() + "\n";
  return out;
}

// Asserts that the report has exactly one error, at line:col, whose message has `text`.
void expectOneError(const PolicyReport& r, int line, int col, const std::string& text) {
  auto errors = ofSeverity(r, Severity::kError);
  ASSERT_EQ(errors.size(), 1u) << dump(r);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(errors[0].loc.file, "p.yaml");
  EXPECT_EQ(errors[0].loc.line, line) << dump(r);
  EXPECT_EQ(errors[0].loc.col, col) << dump(r);
  EXPECT_THAT(errors[0].message, HasSubstr(text));
  EXPECT_THAT(errors[0].toString(),
              HasSubstr("p.yaml:" + std::to_string(line) + ":" + std::to_string(col) + ": "));
}

struct At {
  int line;
  int col;
  std::string text;
};

// Asserts that the report's errors are exactly `want`, in order.
void expectErrors(const PolicyReport& r, const std::vector<At>& want) {
  auto errors = ofSeverity(r, Severity::kError);
  ASSERT_EQ(errors.size(), want.size()) << dump(r);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(errors[i].loc.line, want[i].line) << "error " << i << "\n" << dump(r);
    EXPECT_EQ(errors[i].loc.col, want[i].col) << "error " << i << "\n" << dump(r);
    EXPECT_THAT(errors[i].message, HasSubstr(want[i].text));
  }
}

TEST(PolicyValidationTest, TheHeadAloneIsValid) {
  auto r = check("");
  EXPECT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(PolicyValidationTest, UnknownKeySuggestsTheClosestKnownKey) {
  auto r = check(
      "  destinations:\n"
      "    - name: a\n"
      "      hosts: [x.example]\n"
      "      clas: deny\n"
      "      class: deny\n");
  expectOneError(r, 9, 7, "unknown key 'clas' in spec.destinations[0]; did you mean 'class'?");
}

TEST(PolicyValidationTest, UnknownKeyFarFromAnyListsTheKnownKeys) {
  auto r = check("  colour: blue\n");
  expectOneError(r, 6, 3, "unknown key 'colour' in spec; expected one of: mode, scope");
}

TEST(PolicyValidationTest, UnknownTopLevelAndDefaultsKeys) {
  auto r = check("  defaults: {aiWithoutBAA: deny}\n");
  expectOneError(r, 6, 14, "did you mean 'aiWithoutBaa'?");
}

TEST(PolicyValidationTest, DuplicateKey) {
  auto r = check("  mode: enforce\n  mode: audit\n");
  expectOneError(r, 7, 3, "duplicate key 'mode' in spec");
}

TEST(PolicyValidationTest, WrongTypes) {
  expectOneError(check("  holdTimeoutMs: soon\n"), 6, 18,
                 "expected an integer for spec.holdTimeoutMs, got 'soon'");
  expectOneError(check("  mode: [enforce]\n"), 6, 9, "expected a string for spec.mode, got a list");
  expectOneError(check("  destinations: {name: a}\n"), 6, 17,
                 "expected a list for spec.destinations, got a mapping");
  expectOneError(check("  scope: /\n"), 6, 10, "expected a mapping for spec.scope, got a string");
  expectOneError(check("  destinations:\n    - name: a\n      cidrs: [10.0.0.0/8]\n"
                       "      class: allow\n      baa: yes\n"),
                 10, 12, "expected true or false for spec.destinations[0].baa, got 'yes'");
}

TEST(PolicyValidationTest, NumberOutOfRange) {
  expectOneError(check("  holdTimeoutMs: 0\n"), 6, 18, "between 1 and 60000");
}

TEST(PolicyValidationTest, BadEnumValuesListTheAllowedOnes) {
  expectOneError(check("  mode: enfoce\n"), 6, 9,
                 "bad value 'enfoce' for spec.mode; expected one of: enforce, audit; did you "
                 "mean 'enforce'?");
  expectOneError(check("  failMode: ajar\n"), 6, 13, "expected one of: closed, open");
  expectOneError(check("  defaults:\n    unknownDestination: block\n"), 7, 25,
                 "expected one of: allow, inspect, deny");
  expectOneError(check("  destinations:\n    - name: a\n      cidrs: [10.0.0.0/8]\n"
                       "      protocol: icmp\n      class: deny\n"),
                 9, 17, "expected one of: tcp, udp, any");
  expectOneError(check("  rules:\n    - name: r\n      match: {phi: [SSN]}\n"
                       "      action: drop\n"),
                 9, 15, "expected one of: block, audit, allow");
}

TEST(PolicyValidationTest, BadCidrs) {
  auto r = check(
      "  destinations:\n"
      "    - name: a\n"
      "      cidrs:\n"
      "        - 10.0.0.0/33\n"
      "        - 10.1.2.3/8\n"
      "        - not-an-ip\n"
      "      class: deny\n");
  expectErrors(r, {{9, 11, "prefix length must be 0..32"},
                   {10, 11, "host bits set; write 10.0.0.0/8"},
                   {11, 11, "not an IPv4 or IPv6 address"}});
}

TEST(PolicyValidationTest, BadPorts) {
  auto r = check(
      "  destinations:\n"
      "    - name: a\n"
      "      cidrs: [10.0.0.0/8]\n"
      "      ports: [0, 70000, \"9-3\", https, [1]]\n"
      "      class: deny\n");
  expectErrors(r, {{9, 15, "bad port '0'"},
                   {9, 18, "bad port '70000'"},
                   {9, 25, "9 is above 3"},
                   {9, 32, "bad port 'https'"},
                   {9, 39, "got a list"}});
}

TEST(PolicyValidationTest, BadHostsAndDestinationWithoutMatch) {
  auto r = check(
      "  destinations:\n"
      "    - name: a\n"
      "      hosts: [\"api.*.example\", \"bad_host!\"]\n"
      "      class: deny\n"
      "    - name: b\n"
      "      class: deny\n");
  expectErrors(r, {{8, 15, "'*' is only allowed as the whole first label"},
                   {8, 32, "may not contain '!'"},
                   {10, 7, "needs 'hosts' or 'cidrs'"}});
}

TEST(PolicyValidationTest, DuplicateDestinationNames) {
  auto r = check(
      "  destinations:\n"
      "    - {name: llm, cidrs: [10.0.0.0/8], class: allow}\n"
      "    - {name: llm, cidrs: [192.168.0.0/16], class: allow}\n");
  expectOneError(r, 8, 14, "duplicate destination name 'llm'; first defined at p.yaml:7:7");
}

TEST(PolicyValidationTest, SamePrefixWithConflictingClassesIsAnError) {
  auto r = check(
      "  destinations:\n"
      "    - {name: a, cidrs: [10.0.0.0/8], ports: [443], class: allow}\n"
      "    - {name: b, cidrs: [10.0.0.0/8], ports: [\"400-500\"], class: deny}\n");
  expectOneError(r, 8, 25, "destination 'b' and 'a' (p.yaml:7:7) both match 10.0.0.0/8");
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("conflicting classes (deny vs allow)"));
}

TEST(PolicyValidationTest, SameHostWithConflictingClassesIsAnError) {
  auto r = check(
      "  destinations:\n"
      "    - {name: a, hosts: [llm.corp.example], class: inspect}\n"
      "    - {name: b, hosts: [LLM.corp.example], protocol: tcp, class: deny}\n");
  expectOneError(r, 8, 25, "both match host llm.corp.example");
}

TEST(PolicyValidationTest, OverlapsThatDoNotConflictAreNotErrors) {
  // Disjoint ports, disjoint protocols, or the same class: no conflict.
  auto r = check(
      "  destinations:\n"
      "    - {name: a, cidrs: [10.0.0.0/8], protocol: tcp, ports: [443], class: allow}\n"
      "    - {name: b, cidrs: [10.0.0.0/8], ports: [80], class: deny}\n"
      "    - {name: c, cidrs: [10.0.0.0/8], protocol: udp, ports: [443], class: deny}\n"
      "    - {name: d, hosts: [x.example], class: deny}\n"
      "    - {name: e, hosts: [x.example], class: deny}\n");
  EXPECT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(PolicyValidationTest, NestedDestinationWithAnotherClassIsAWarning) {
  auto r = check(
      "  destinations:\n"
      "    - {name: corp, cidrs: [10.0.0.0/8], hosts: [\"*.corp.example\"], class: deny}\n"
      "    - {name: llm, cidrs: [10.20.0.0/16], hosts: [llm.corp.example], class: allow}\n");
  EXPECT_TRUE(r.ok()) << dump(r);
  auto warnings = ofSeverity(r, Severity::kWarning);
  ASSERT_EQ(warnings.size(), 2u) << dump(r);
  EXPECT_EQ(warnings[0].loc.line, 8);
  EXPECT_EQ(warnings[0].loc.col, 27);
  EXPECT_THAT(warnings[0].message, HasSubstr("the longer prefix wins"));
  EXPECT_EQ(warnings[1].loc.col, 50);
  EXPECT_THAT(warnings[1].message, HasSubstr("the more specific name wins"));
  EXPECT_THAT(warnings[1].toString(), HasSubstr("p.yaml:8:50: warning: "));
}

TEST(PolicyValidationTest, BaaDateInThePastIsAnError) {
  std::string body =
      "  vendors:\n"
      "    openai:\n"
      "      baa: {signed: true, expires: 2026-05-31}\n";
  expectOneError(check(body), 8, 36, "the BAA with 'openai' expired on 2026-05-31 (1 day ago)");
  // The expiry day itself is still covered.
  ParseOptions on_the_day;
  on_the_day.today = "2026-05-31";
  EXPECT_TRUE(check(body, on_the_day).ok());
}

TEST(PolicyValidationTest, ExpiredBaaCanBeDowngradedToAWarningForReloads) {
  ParseOptions o;
  o.today = "2026-07-01";
  o.expired_baa_is_error = false;
  auto r = check("  vendors:\n    openai: {baa: {signed: true, expires: 2026-05-31}}\n", o);
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("31 days ago"));
  EXPECT_EQ(r.policy->warnings.size(), 1u);
}

TEST(PolicyValidationTest, BaaExpiringWithin30DaysIsAWarning) {
  auto r = check("  vendors:\n    openai: {baa: {signed: true, expires: 2026-06-21}}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].loc.line, 7);
  EXPECT_EQ(r.diagnostics[0].loc.col, 43);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("expires on 2026-06-21, in 20 days"));
  EXPECT_TRUE(check("  vendors:\n    openai: {baa: {signed: true, expires: 2026-07-02}}\n")
                  .diagnostics.empty());
}

TEST(PolicyValidationTest, BadDates) {
  expectOneError(check("  vendors:\n    openai: {baa: {signed: true, expires: 2027-02-29}}\n"), 7,
                 43, "bad date '2027-02-29'");
  expectOneError(check("  vendors:\n    openai: {baa: {signed: true, expires: 30/06/2027}}\n"), 7,
                 43, "expected YYYY-MM-DD");
  auto r = check("", ParseOptions{"yesterday", true, nullptr});
  ASSERT_EQ(r.errorCount(), 1u);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("bad 'today' date"));
}

TEST(PolicyValidationTest, MissingRequiredFields) {
  auto r = checkPolicy("kind: EgressPolicy\nmetadata: {labels: {a: b}}\n", "p.yaml");
  auto errors = ofSeverity(r, Severity::kError);
  ASSERT_EQ(errors.size(), 3u) << dump(r);
  EXPECT_THAT(errors[0].toString(),
              HasSubstr("p.yaml:1:1: missing required field 'apiVersion' in the policy document"));
  EXPECT_THAT(errors[1].toString(), HasSubstr("p.yaml:1:1: missing required field 'spec'"));
  EXPECT_THAT(errors[2].toString(),
              HasSubstr("p.yaml:2:11: missing required field 'name' in metadata"));
  expectOneError(check("  vendors:\n    openai: {baa: {expires: 2027-01-01}}\n"), 7, 19,
                 "missing required field 'signed' in spec.vendors.openai.baa");
  expectOneError(check("  vendors:\n    openai: {regions: [us]}\n"), 7, 13,
                 "missing required field 'baa' in spec.vendors.openai");
  expectOneError(check("  rules:\n    - {name: r, match: {phi: [SSN]}}\n"), 7, 7,
                 "missing required field 'action' in spec.rules[0]");
  expectOneError(check("  scope: {}\n"), 6, 10, "missing required field 'cgroup'");
}

TEST(PolicyValidationTest, NullValueIsAWrongType) {
  expectOneError(check("  destinations:\n    - name:\n      cidrs: [10.0.0.0/8]\n"
                       "      class: deny\n"),
                 7, 7, "expected a string for spec.destinations[0].name, got nothing");
}

TEST(PolicyValidationTest, WrongApiVersionKindAndName) {
  auto r = checkPolicy(
      "apiVersion: sluice.dev/v2\nkind: EgresPolicy\nmetadata: {name: Bad Name}\n"
      "spec: {regions: {allowed: [us]}}\n",
      "p.yaml");
  auto errors = ofSeverity(r, Severity::kError);
  ASSERT_EQ(errors.size(), 3u) << dump(r);
  EXPECT_THAT(errors[0].toString(),
              HasSubstr("p.yaml:1:13: unsupported apiVersion 'sluice.dev/v2'"));
  EXPECT_THAT(errors[1].toString(),
              HasSubstr("p.yaml:2:7: unsupported kind 'EgresPolicy'; expected EgressPolicy; did "
                        "you mean 'EgressPolicy'?"));
  EXPECT_THAT(errors[2].toString(), HasSubstr("p.yaml:3:18: metadata.name 'Bad Name' must be"));
}

TEST(PolicyValidationTest, YamlSyntaxErrorHasAPosition) {
  auto r = check("  destinations: [{name: a\n");
  ASSERT_EQ(r.errorCount(), 1u) << dump(r);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("YAML syntax error"));
  EXPECT_GE(r.diagnostics[0].loc.line, 6);
  EXPECT_GT(r.diagnostics[0].loc.col, 0);
  auto not_a_map = checkPolicy("- just\n- a list\n", "p.yaml");
  ASSERT_EQ(not_a_map.errorCount(), 1u);
  EXPECT_THAT(not_a_map.diagnostics[0].toString(),
              HasSubstr("p.yaml:1:1: expected a mapping for the policy document, got a list"));
}

TEST(PolicyValidationTest, UnknownPhiType) {
  expectOneError(check("  rules:\n    - {name: r, match: {phi: [SSN, EMIAL]}, action: block}\n"), 7,
                 36, "unknown PHI type 'EMIAL' in spec.rules[0].match.phi; did you mean 'EMAIL'?");
}

TEST(PolicyValidationTest, DuplicateRuleNames) {
  expectOneError(check("  rules:\n    - {name: r, match: {phi: [SSN]}, action: block}\n"
                       "    - {name: r, match: {phi: [MRN]}, action: block}\n"),
                 8, 7, "duplicate rule name 'r'");
}

TEST(PolicyValidationTest, RegionsAndScope) {
  auto empty = checkPolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\n"
      "spec:\n  regions: {allowed: []}\n",
      "p.yaml");
  expectOneError(empty, 5, 22, "spec.regions.allowed is empty");
  auto absent = checkPolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\n"
      "spec:\n  mode: enforce\n",
      "p.yaml");
  ASSERT_TRUE(absent.ok()) << dump(absent);
  ASSERT_EQ(absent.diagnostics.size(), 1u);
  EXPECT_EQ(absent.diagnostics[0].severity, Severity::kWarning);
  EXPECT_THAT(absent.diagnostics[0].toString(),
              HasSubstr("p.yaml:5:3: warning: spec.regions is not set"));
  expectOneError(check("  scope: {cgroup: system.slice}\n"), 6, 19, "must be an absolute path");
  expectOneError(check("  scope: {cgroup: /a/../..}\n"), 6, 19, "must be an absolute path");
}

TEST(PolicyValidationTest, EveryErrorIsReportedAtOnceInTheErrorMessage) {
  std::string body =
      "  mode: enfoce\n"
      "  failMode: ajar\n"
      "  destinations:\n"
      "    - {name: a, cidrs: [10.0.0.0/33], class: alow}\n"
      "  vendors:\n"
      "    openai: {baa: {signed: maybe}}\n";
  auto p =
      parsePolicy(std::string(kHead) + body, "p.yaml", ParseOptions{"2026-06-01", true, nullptr});
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code(), ErrorCode::kInvalidArgument);
  const std::string& msg = p.error().message();
  std::vector<std::string> lines;
  for (size_t start = 0; start < msg.size();) {
    size_t nl = msg.find('\n', start);
    lines.push_back(msg.substr(start, nl - start));
    start = nl == std::string::npos ? msg.size() : nl + 1;
  }
  ASSERT_EQ(lines.size(), 5u) << msg;
  EXPECT_THAT(lines[0], HasSubstr("p.yaml:6:9: bad value 'enfoce'"));
  EXPECT_THAT(lines[1], HasSubstr("p.yaml:7:13: bad value 'ajar'"));
  EXPECT_THAT(lines[2], HasSubstr("p.yaml:9:25: bad CIDR"));
  EXPECT_THAT(lines[3], HasSubstr("p.yaml:9:46: bad value 'alow'"));
  EXPECT_THAT(lines[4], HasSubstr("p.yaml:11:28: expected true or false"));
}

}  // namespace
}  // namespace sluice::policy

namespace sluice::policy {
namespace {

TEST(PolicyCatalogValidationTest, UnknownVendorSuggestsTheCatalogId) {
  expectOneError(check("  vendors:\n    opanai: {baa: {signed: true}}\n"), 7, 5,
                 "unknown vendor 'opanai' in spec.vendors; did you mean 'openai'?");
  expectOneError(check("  vendors:\n    acme-ai: {baa: {signed: true}}\n"), 7, 5,
                 "unknown vendor 'acme-ai' in spec.vendors (not in the catalog, version");
}

TEST(PolicyCatalogValidationTest, UnknownRegionsEverywhereARegionIsNamed) {
  auto r = checkPolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\nspec:\n"
      "  regions: {allowed: [us, eu-wset-1]}\n"
      "  vendors:\n"
      "    aws-bedrock: {baa: {signed: true}, regions: [us-esat-1]}\n"
      "    azure-openai: {baa: {signed: true}, resources: {contoso: mars}}\n"
      "  destinations:\n"
      "    - {name: a, cidrs: [10.0.0.0/8], class: allow, region: moon-1}\n",
      "p.yaml", ParseOptions{"2026-06-01", true, nullptr});
  expectErrors(r, {{5, 27,
                    "unknown region 'eu-wset-1' in spec.regions.allowed; did you mean "
                    "'eu-west-1'?"},
                   {7, 50,
                    "unknown region 'us-esat-1' in spec.vendors.aws-bedrock.regions; did "
                    "you mean 'us-east-1'?"},
                   {8, 62, "unknown region 'mars' for resource 'contoso'"},
                   {10, 60, "unknown region 'moon-1' in spec.destinations[0].region"}});
}

TEST(PolicyCatalogValidationTest, ResourcesOnlyForVendorsWhoseNamesCarryThem) {
  expectOneError(check("  vendors:\n    openai: {baa: {signed: true}, resources: {x: eastus}}\n"),
                 7, 50, "spec.vendors.openai.resources: OpenAI API hostnames carry no resource");
}

TEST(PolicyCatalogValidationTest, WarningsAboutCatalogFacts) {
  auto r = check(
      "  vendors:\n    deepseek: {baa: {signed: true}}\n"
      "  destinations:\n    - {name: m, hosts: [api.mistral.ai], class: allow}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  auto warnings = ofSeverity(r, Severity::kWarning);
  ASSERT_EQ(warnings.size(), 2u) << dump(r);
  EXPECT_EQ(warnings[0].loc.line, 7);
  EXPECT_THAT(warnings[0].message, HasSubstr("does not offer a BAA"));
  EXPECT_EQ(warnings[1].loc.line, 9);
  EXPECT_EQ(warnings[1].loc.col, 25);
  EXPECT_THAT(warnings[1].message, HasSubstr("api.mistral.ai is Mistral AI"));
  // A deny destination for an AI name is not an override worth a warning.
  EXPECT_TRUE(check("  destinations:\n    - {name: m, hosts: [api.mistral.ai], class: deny}\n")
                  .diagnostics.empty());
}

TEST(PolicyCatalogValidationTest, AnotherCatalogCanBeInjected) {
  auto cat =
      Catalog::fromTexts({{"c.yaml",
                           "apiVersion: sluice.dev/v1\nkind: Catalog\nversion: t\nregionGroups:\n"
                           "  us: {regions: [us-east-1]}\n"},
                          {"v.yaml",
                           "apiVersion: sluice.dev/v1\nkind: Vendor\nid: acme-ai\nname: Acme\n"
                           "baa: {offered: offered}\nhosts: [{pattern: api.acme.example}]\n"
                           "sources: [https://acme.example]\n"}});
  ASSERT_TRUE(cat.ok()) << cat.error().message();
  ParseOptions o{"2026-06-01", true, &*cat};
  EXPECT_TRUE(check("  vendors:\n    acme-ai: {baa: {signed: true}}\n", o).ok());
  expectOneError(check("  vendors:\n    openai: {baa: {signed: true}}\n", o), 7, 5,
                 "unknown vendor 'openai'");
}

}  // namespace
}  // namespace sluice::policy

namespace sluice::policy {
namespace {

TEST(PolicyValidationTest, SamePrefixWithPortsAndWithoutIsAWarningThePortedOneWins) {
  auto r = check(
      "  destinations:\n"
      "    - {name: all, cidrs: [10.0.0.0/8], class: deny}\n"
      "    - {name: https, cidrs: [10.0.0.0/8], ports: [443], class: allow}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].loc.line, 8);
  EXPECT_EQ(r.diagnostics[0].loc.col, 29);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("on the ports one of them names, that one wins"));
}

}  // namespace
}  // namespace sluice::policy

namespace sluice::policy {
namespace {

TEST(PolicyValidationTest, LabelsAndKeysOfTheWrongShape) {
  auto r = checkPolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\n"
      "metadata: {name: t, labels: {team: [a, b], team: c}}\n"
      "spec:\n  regions: {allowed: [us]}\n  ? [complex, key]\n  : 1\n",
      "p.yaml");
  expectErrors(r, {{3, 36, "expected a string for label 'team', got a list"},
                   {3, 44, "duplicate key 'team' in metadata.labels"},
                   {6, 5, "keys of spec must be strings"}});
  expectOneError(check("  vendors: [openai]\n"), 6, 12,
                 "expected a mapping for spec.vendors, got a list");
}

TEST(PolicyValidationTest, EmptyVendorRegionsIsAnError) {
  expectOneError(check("  vendors:\n    openai: {baa: {signed: true}, regions: []}\n"), 7, 44,
                 "spec.vendors.openai.regions is empty");
}

TEST(PolicyValidationTest, ExpiryWithoutASignedBaaIsAWarning) {
  auto r = check("  vendors:\n    openai: {baa: {signed: false, expires: 2027-01-01}}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].severity, Severity::kWarning);
  EXPECT_EQ(r.diagnostics[0].loc.line, 7);
  EXPECT_EQ(r.diagnostics[0].loc.col, 44);
  EXPECT_THAT(r.diagnostics[0].message, HasSubstr("signed is false; the date is ignored"));
}

}  // namespace
}  // namespace sluice::policy
