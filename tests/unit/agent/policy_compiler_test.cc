// The policy → LPM trie mapping, checked without a kernel: key layout, masking, ports,
// protocols, audit mode, the default entry and the first-wins rule.
#include <arpa/inet.h>

#include <cstring>

#include <gtest/gtest.h>

#include "sluice/agent/policy_compiler.h"
#include "sluice/policy/policy.h"

namespace sluice::agent {
namespace {

policy::Policy parse(const std::string& spec) {
  auto p = policy::parsePolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\nspec:\n" + spec,
      "t.yaml");
  EXPECT_TRUE(p.ok()) << p.error().message();
  return p.ok() ? *p : policy::Policy{};
}

// A catalog with no vendors, so that only the policy's own entries are compiled.
const policy::Catalog& emptyCatalog() {
  static const policy::Catalog cat = [] {
    auto c = policy::Catalog::fromTexts(
        {{"catalog.yaml",
          "apiVersion: sluice.dev/v1\nkind: Catalog\nversion: \"test\"\nregionGroups:\n"
          "  us: {description: US, regions: [us-east-1]}\n"}});
    EXPECT_TRUE(c.ok()) << c.error().message();
    return c.ok() ? *c : policy::Catalog{};
  }();
  return cat;
}

Result<CompiledPolicy> compileAlone(const policy::Policy& p, uint32_t generation) {
  CompileOptions opts;
  opts.catalog = &emptyCatalog();
  opts.today = "2026-11-29";
  return compilePolicy(p, generation, opts);
}

void v4(const char* ip, uint8_t out[16]) {
  std::memset(out, 0, 16);
  out[10] = out[11] = 0xff;
  inet_pton(AF_INET, ip, out + 12);
}

void v6(const char* ip, uint8_t out[16]) {
  inet_pton(AF_INET6, ip, out);
}

TEST(PolicyCompiler, KeyLayoutForIpv4CidrIsMappedAndMasked) {
  auto c = compileAlone(parse("  destinations:\n"
                              "    - {name: a, cidrs: [\"10.1.0.0/16\"], ports: [443], "
                              "protocol: tcp, class: deny}\n"),
                        7);
  ASSERT_TRUE(c.ok()) << c.error().message();
  ASSERT_EQ(c->entries.size(), 2u);  // the rule + the default
  const auto& e = c->entries[0];
  EXPECT_EQ(e.key.prefixlen, SLUICE_LPM_FIXED_BITS + 96u + 16u);
  EXPECT_EQ(e.key.proto, SLUICE_PROTO_TCP);
  EXPECT_EQ(e.key.port, 443);
  uint8_t want[16];
  v4("10.1.0.0", want);
  EXPECT_EQ(std::memcmp(e.key.addr, want, 16), 0);
  EXPECT_EQ(e.value.rule_id, 1u);
  EXPECT_EQ(e.value.action, SLUICE_ACTION_DENY);
  EXPECT_EQ(e.value.dest_class, SLUICE_CLASS_DENY);
  EXPECT_EQ(e.value.addr_prefix, 96 + 16);
  EXPECT_EQ(e.value.policy_generation, 7u);
  EXPECT_EQ(c->rule_names.at(1), "a");
}

TEST(PolicyCompiler, Ipv6CidrKeepsItsPrefix) {
  auto c = compileAlone(
      parse("  destinations:\n    - {name: a, cidrs: [\"2001:db8::/32\"], class: deny}\n"), 1);
  ASSERT_TRUE(c.ok());
  // No ports and protocol any: one TCP and one UDP key, both for every port.
  ASSERT_EQ(c->entries.size(), 3u);
  EXPECT_EQ(c->entries[0].key.prefixlen, SLUICE_LPM_FIXED_BITS + 32u);
  EXPECT_EQ(c->entries[0].key.proto, SLUICE_PROTO_TCP);
  EXPECT_EQ(c->entries[1].key.proto, SLUICE_PROTO_UDP);
  EXPECT_EQ(c->entries[0].key.port, 0);
}

TEST(PolicyCompiler, PortRangesExpandAndDefaultEntryIsLast) {
  auto c = compileAlone(parse("  defaults: {unknownDestination: deny}\n  destinations:\n"
                              "    - {name: a, cidrs: [\"10.0.0.0/8\"], ports: [\"8000-8002\"],"
                              " protocol: udp, class: allow}\n"),
                        1);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->entries.size(), 4u);
  EXPECT_EQ(c->entries[2].key.port, 8002);
  const auto& def = c->entries.back();
  EXPECT_EQ(def.key.prefixlen, 0u);
  EXPECT_EQ(def.value.flags & SLUICE_DEST_F_DEFAULT, SLUICE_DEST_F_DEFAULT);
  EXPECT_EQ(def.value.action, SLUICE_ACTION_DENY);
  EXPECT_EQ(def.value.rule_id, 0u);
}

TEST(PolicyCompiler, AuditModeTurnsDenyIntoAudit) {
  auto c = compileAlone(parse("  mode: audit\n  defaults: {unknownDestination: deny}\n"
                              "  destinations:\n"
                              "    - {name: a, cidrs: [\"10.0.0.0/8\"], class: deny}\n"
                              "    - {name: b, cidrs: [\"11.0.0.0/8\"], class: allow}\n"),
                        1);
  ASSERT_TRUE(c.ok());
  for (const auto& e : c->entries) {
    EXPECT_NE(e.value.action, SLUICE_ACTION_DENY) << "audit mode never blocks";
  }
  EXPECT_EQ(c->entries.front().value.action, SLUICE_ACTION_AUDIT);
  EXPECT_EQ(c->entries.back().value.action, SLUICE_ACTION_AUDIT);
}

TEST(PolicyCompiler, LookupPrefersLongerPrefixThenExactPort) {
  auto c = compileAlone(parse("  destinations:\n"
                              "    - {name: wide-port, cidrs: [\"10.0.0.0/8\"], ports: [443], "
                              "class: deny}\n"
                              "    - {name: narrow-any, cidrs: [\"10.1.0.0/16\"], class: allow}\n"
                              "    - {name: same-any, cidrs: [\"12.0.0.0/8\"], class: deny}\n"
                              "    - {name: same-port, cidrs: [\"12.0.0.0/8\"], ports: [443], "
                              "class: deny}\n"),
                        1);
  ASSERT_TRUE(c.ok());
  uint8_t a[16];
  v4("10.1.2.3", a);
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 443)->rule_id, 2u);
  v4("10.2.2.3", a);
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 443)->rule_id, 1u);
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 80)->rule_id, 0u);
  v4("12.0.0.1", a);
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 443)->rule_id, 4u) << "exact port wins a tie";
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 80)->rule_id, 3u);
  v6("2001:db8::1", a);
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 443)->rule_id, 0u);
}

TEST(PolicyCompiler, FirstDestinationWinsAnIdenticalKey) {
  auto c = compileAlone(parse("  destinations:\n"
                              "    - {name: first, cidrs: [\"10.0.0.0/8\"], class: allow}\n"
                              "    - {name: second, cidrs: [\"10.0.0.0/8\"], class: allow}\n"),
                        1);
  ASSERT_TRUE(c.ok());
  uint8_t a[16];
  v4("10.9.9.9", a);
  EXPECT_EQ(lookupCompiled(*c, a, SLUICE_PROTO_TCP, 1)->rule_id, 1u);
}

TEST(PolicyCompiler, MasksHostBitsOfAProgrammaticCidr) {
  // The loader rejects host bits; the compiler still masks, so a Policy built in code (the
  // controller's compiler) cannot produce a key that fails to match its own network.
  policy::Policy p;
  policy::Destination d;
  d.name = "x";
  d.cidrs.push_back(*policy::Cidr::parse("10.1.0.0/16"));
  d.cidrs[0].addr[15] = 7;
  d.cls = policy::DestClass::kDeny;
  p.destinations.push_back(d);
  auto c = compileAlone(p, 1);
  ASSERT_TRUE(c.ok());
  uint8_t want[16];
  v4("10.1.0.0", want);
  EXPECT_EQ(std::memcmp(c->entries[0].key.addr, want, 16), 0);
}

TEST(PolicyCompiler, RefusesPolicyPastTheKernelLimit) {
  auto c = compileAlone(parse("  destinations:\n"
                              "    - {name: huge, cidrs: [\"10.0.0.0/8\", \"11.0.0.0/8\"], "
                              "ports: [\"1-65535\"], class: deny}\n"),
                        1);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code(), ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace sluice::agent

namespace sluice::agent {
namespace {

// Names judged against the built-in catalog: the same decisions `sluicectl policy explain`
// gives, as kernel entries.
CompiledPolicy compileWithCatalog(const std::string& spec) {
  CompileOptions opts;
  opts.today = "2026-11-29";
  auto c = compilePolicy(parse("  regions: {allowed: [us]}\n" + spec), 1, opts);
  EXPECT_TRUE(c.ok()) << c.error().message();
  return c.ok() ? *c : CompiledPolicy{};
}

TEST(NameCompiler, KeysAreReversedWithExactAndWildcardPrefixes) {
  auto exact = makeNameKey("API.openai.com");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(std::string(exact->name), "moc.ianepo.ipa");
  EXPECT_EQ(exact->prefixlen, 15u * 8) << "the terminator is part of an exact name";
  auto wild = makeNameKey("*.openai.azure.com");
  ASSERT_TRUE(wild.ok());
  EXPECT_EQ(std::string(wild->name), "moc.eruza.ianepo.");
  EXPECT_EQ(wild->prefixlen, 17u * 8) << "a wildcard stops at the dot";
  EXPECT_FALSE(makeNameKey(std::string(200, 'a')).ok());
}

TEST(NameCompiler, CatalogVendorsWithoutBaaAreDenied) {
  auto c = compileWithCatalog("");
  const NameEntry* mistral = lookupCompiledName(c, "api.mistral.ai");
  ASSERT_NE(mistral, nullptr);
  EXPECT_EQ(mistral->value.action, SLUICE_ACTION_DENY);
  EXPECT_EQ(mistral->value.flags & SLUICE_DEST_F_AI, SLUICE_DEST_F_AI);
  EXPECT_EQ(c.rule_names.at(mistral->value.rule_id), "vendor:mistral");
  ASSERT_NE(lookupCompiledName(c, "api.openai.com"), nullptr);
  EXPECT_EQ(lookupCompiledName(c, "api.openai.com")->value.action, SLUICE_ACTION_DENY);
  EXPECT_EQ(lookupCompiledName(c, "example.org"), nullptr) << "not an AI API: no entry";
  EXPECT_EQ(lookupCompiledName(c, "xapi.mistral.ai"), nullptr) << "exact names do not suffix-match";
}

TEST(NameCompiler, SignedBaaMakesTheVendorInspectedAndRegionsStillApply) {
  auto c = compileWithCatalog(
      "  vendors:\n    openai: {baa: {signed: true}}\n    aws-bedrock: {baa: {signed: true}}\n");
  const NameEntry* openai = lookupCompiledName(c, "api.openai.com");
  ASSERT_NE(openai, nullptr);
  EXPECT_EQ(openai->value.action, SLUICE_ACTION_ALLOW);
  EXPECT_EQ(openai->value.dest_class, SLUICE_CLASS_INSPECT);
  const NameEntry* us = lookupCompiledName(c, "bedrock-runtime.us-east-1.amazonaws.com");
  const NameEntry* eu = lookupCompiledName(c, "bedrock-runtime.eu-west-1.amazonaws.com");
  ASSERT_NE(us, nullptr);
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(us->value.dest_class, SLUICE_CLASS_INSPECT);
  EXPECT_EQ(eu->value.action, SLUICE_ACTION_DENY) << "eu-west-1 is outside regions.allowed";
}

TEST(NameCompiler, WildcardVendorNamesMatchAnyResource) {
  auto c = compileWithCatalog("");
  const NameEntry* azure = lookupCompiledName(c, "my-hospital.openai.azure.com");
  ASSERT_NE(azure, nullptr);
  EXPECT_EQ(azure->pattern, "*.openai.azure.com");
  EXPECT_EQ(lookupCompiledName(c, "openai.azure.com"), nullptr) << "the wildcard needs a label";
}

TEST(NameCompiler, BaaExpiryIsJudgedOnTheCompileDateAndWarnedAhead) {
  auto spec = "  vendors:\n    openai: {baa: {signed: true, expires: 2026-12-15}}\n";
  auto before = compileWithCatalog(spec);
  EXPECT_EQ(lookupCompiledName(before, "api.openai.com")->value.action, SLUICE_ACTION_ALLOW);
  ASSERT_EQ(before.expiry_warnings.size(), 1u);
  EXPECT_NE(before.expiry_warnings[0].find("2026-12-15"), std::string::npos);

  policy::ParseOptions popts;
  popts.expired_baa_is_error = false;
  popts.today = "2026-12-16";
  auto p = policy::parsePolicy(
      "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\nspec:\n"
      "  regions: {allowed: [us]}\n" +
          std::string(spec),
      "t.yaml", popts);
  ASSERT_TRUE(p.ok()) << p.error().message();
  CompileOptions opts;
  opts.today = "2026-12-16";
  auto after = compilePolicy(*p, 2, opts);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(lookupCompiledName(*after, "api.openai.com")->value.action, SLUICE_ACTION_DENY)
      << "expired the day after";
}

TEST(NameCompiler, PolicyHostsComeFirstAndAuditModeNeverDenies) {
  auto c = compileWithCatalog(
      "  destinations:\n    - {name: internal-llm, hosts: [\"llm.corp.example\"], class: deny}\n");
  const NameEntry* internal = lookupCompiledName(c, "llm.corp.example");
  ASSERT_NE(internal, nullptr);
  EXPECT_EQ(c.rule_names.at(internal->value.rule_id), "internal-llm");
  EXPECT_EQ(internal->value.flags & SLUICE_DEST_F_AI, 0);
  auto audit = compileWithCatalog("  mode: audit\n");
  EXPECT_EQ(lookupCompiledName(audit, "api.mistral.ai")->value.action, SLUICE_ACTION_AUDIT);
}

}  // namespace
}  // namespace sluice::agent
