// The loader reads every field of a valid policy into the model.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "sluice/policy/policy.h"

namespace sluice::policy {
namespace {

constexpr const char* kFullPolicy = R"(apiVersion: sluice.dev/v1
kind: EgressPolicy
metadata:
  name: clinic-prod
  labels: {team: security, env: prod}
spec:
  mode: audit
  scope: {cgroup: /system.slice/ehr.service}
  failMode: open
  holdTimeoutMs: 1500
  regions: {allowed: [us, eu-west-1]}
  vendors:
    openai: {baa: {signed: true, expires: 2027-06-30}}
    aws-bedrock: {baa: {signed: true}, regions: [us-east-1, us-west-2]}
    azure-openai:
      baa: {signed: true}
      resources: {contoso-east: eastus}
  destinations:
    - name: internal-llm
      hosts: ["llm.corp.example", "*.llm.corp.example"]
      cidrs: ["10.20.0.0/16", "2001:db8:20::/48"]
      ports: [443, "8000-8100"]
      protocol: tcp
      class: allow
      baa: true
      region: us-east-1
    - {name: dns, cidrs: ["10.0.0.53/32"], ports: [53], protocol: udp, class: inspect}
  rules:
    - {name: no-ssn, match: {phi: [SSN]}, action: block}
    - name: audit-everything
      match: {phi: [any]}
      action: audit
  defaults:
    unknownDestination: inspect
    aiWithoutBaa: deny
    outOfRegion: deny
    expiredBaa: deny
    uninspectableTls: allow
    ech: inspect
)";

ParseOptions at(const char* today) {
  ParseOptions o;
  o.today = today;
  return o;
}

TEST(PolicyParseTest, ReadsEveryField) {
  auto p = parsePolicy(kFullPolicy, "full.yaml", at("2026-01-01"));
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->api_version, "sluice.dev/v1");
  EXPECT_EQ(p->name, "clinic-prod");
  ASSERT_EQ(p->labels.size(), 2u);
  EXPECT_EQ(p->labels[0], (std::pair<std::string, std::string>{"team", "security"}));
  EXPECT_EQ(p->labels[1], (std::pair<std::string, std::string>{"env", "prod"}));
  EXPECT_EQ(p->mode, Mode::kAudit);
  EXPECT_EQ(p->scope_cgroup, "/system.slice/ehr.service");
  EXPECT_EQ(p->fail_mode, FailMode::kOpen);
  EXPECT_EQ(p->hold_timeout_ms, 1500u);
  EXPECT_EQ(p->allowed_regions, (std::vector<std::string>{"us", "eu-west-1"}));

  ASSERT_EQ(p->vendors.size(), 3u);
  EXPECT_EQ(p->vendors[0].id, "openai");
  EXPECT_TRUE(p->vendors[0].baa.is_signed);
  EXPECT_EQ(p->vendors[0].baa.expires, "2027-06-30");
  EXPECT_EQ(p->vendors[0].loc.line, 13);
  EXPECT_EQ(p->vendors[0].loc.col, 5);
  EXPECT_EQ(p->vendors[1].regions, (std::vector<std::string>{"us-east-1", "us-west-2"}));
  EXPECT_FALSE(p->vendors[1].baa.expires.has_value());
  ASSERT_EQ(p->vendors[2].resources.size(), 1u);
  EXPECT_EQ(p->vendors[2].resources[0].resource, "contoso-east");
  EXPECT_EQ(p->vendors[2].resources[0].region, "eastus");

  ASSERT_EQ(p->destinations.size(), 2u);
  const Destination& d = p->destinations[0];
  EXPECT_EQ(d.name, "internal-llm");
  EXPECT_EQ(d.hosts, (std::vector<std::string>{"llm.corp.example", "*.llm.corp.example"}));
  ASSERT_EQ(d.cidrs.size(), 2u);
  EXPECT_TRUE(d.cidrs[0].is_v4);
  EXPECT_EQ(d.cidrs[0].prefix_len, 112);
  EXPECT_FALSE(d.cidrs[1].is_v4);
  ASSERT_EQ(d.ports.size(), 2u);
  EXPECT_EQ(d.ports[0].first, 443);
  EXPECT_EQ(d.ports[0].last, 443);
  EXPECT_EQ(d.ports[1].first, 8000);
  EXPECT_EQ(d.ports[1].last, 8100);
  EXPECT_EQ(d.protocol, Protocol::kTcp);
  EXPECT_EQ(d.cls, DestClass::kAllow);
  EXPECT_EQ(d.baa, true);
  EXPECT_EQ(d.region, "us-east-1");
  EXPECT_EQ(d.loc.line, 19);
  EXPECT_EQ(d.loc.col, 7);
  EXPECT_EQ(p->destinations[1].protocol, Protocol::kUdp);
  EXPECT_EQ(p->destinations[1].cls, DestClass::kInspect);
  EXPECT_FALSE(p->destinations[1].baa.has_value());

  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].name, "no-ssn");
  EXPECT_EQ(p->rules[0].phi, (std::vector<std::string>{"SSN"}));
  EXPECT_EQ(p->rules[0].action, "block");
  EXPECT_EQ(p->rules[1].action, "audit");

  EXPECT_EQ(p->defaults.unknown_destination, DestClass::kInspect);
  EXPECT_EQ(p->defaults.uninspectable_tls, DestClass::kAllow);
  EXPECT_EQ(p->defaults.ech, DestClass::kInspect);
  EXPECT_EQ(p->defaults.expired_baa, DestClass::kDeny);
  EXPECT_EQ(p->source_file, "full.yaml");
}

TEST(PolicyParseTest, MinimalPolicyGetsTheDocumentedDefaults) {
  auto p = parsePolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: m}\n"
      "spec: {regions: {allowed: [us]}}\n",
      "m.yaml", at("2026-01-01"));
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->mode, Mode::kEnforce);
  EXPECT_EQ(p->fail_mode, FailMode::kClosed);
  EXPECT_EQ(p->scope_cgroup, "/");
  EXPECT_EQ(p->hold_timeout_ms, 2000u);
  EXPECT_EQ(p->defaults.unknown_destination, DestClass::kAllow);
  EXPECT_EQ(p->defaults.ai_without_baa, DestClass::kDeny);
  EXPECT_TRUE(p->warnings.empty());
}

TEST(PolicyParseTest, HostsAreLowerCasedAndLoseTheTrailingDot) {
  auto p = parsePolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: m}\n"
      "spec:\n  regions: {allowed: [us]}\n"
      "  destinations: [{name: a, hosts: [API.Example.COM.], class: deny}]\n",
      "m.yaml", at("2026-01-01"));
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->destinations[0].hosts[0], "api.example.com");
}

TEST(PolicyParseTest, Sha256IsOfTheFileBytes) {
  EXPECT_EQ(sha256Hex("abc"),  // FIPS 180-2 test vector
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto a = parsePolicy(kFullPolicy, "a.yaml", at("2026-01-01"));
  std::string changed = std::string(kFullPolicy) + "# a comment changes the bytes\n";
  auto b = parsePolicy(changed, "a.yaml", at("2026-01-01"));
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->sha256, sha256Hex(kFullPolicy));
  EXPECT_EQ(a->sha256.size(), 64u);
  EXPECT_NE(a->sha256, b->sha256);
}

TEST(PolicyParseTest, LoadPolicyFileReadsFromDiskAndReportsMissingFiles) {
  std::string path = testing::TempDir() + "/sluice_policy_parse_test.yaml";
  {
    std::ofstream out(path);
    out << kFullPolicy;
  }
  auto p = loadPolicyFile(path, at("2026-01-01"));
  ASSERT_TRUE(p.ok()) << p.error().message();
  EXPECT_EQ(p->source_file, path);
  EXPECT_EQ(p->sha256, sha256Hex(kFullPolicy));
  std::remove(path.c_str());
  auto missing = loadPolicyFile(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST(PolicyParseTest, EnumNamesRoundTrip) {
  EXPECT_EQ(modeName(Mode::kAudit), "audit");
  EXPECT_EQ(destClassName(DestClass::kInspect), "inspect");
  EXPECT_EQ(protocolName(Protocol::kUdp), "udp");
  EXPECT_EQ(failModeName(FailMode::kOpen), "open");
}

}  // namespace
}  // namespace sluice::policy
