// spec.rules[]: the verdict on one inspected request (policy::judgeRequest), and how the
// rules are read (match.phi with the scanner's type names, match.destination).
#include <gtest/gtest.h>

#include "sluice/policy/policy.h"
#include "sluice/policy/rules.h"

namespace sluice::policy {
namespace {

Policy load(const std::string& rules, const std::string& mode = "enforce") {
  std::string text = "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\n"
                     "spec:\n  mode: " + mode + "\n  regions: {allowed: [us]}\n  rules:\n" + rules;
  auto p = parsePolicy(text, "t.yaml");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message());
  return p.ok() ? *p : Policy{};
}

TEST(JudgeRequest, NoPhiIsAllowedWhateverTheRules) {
  Policy p = load("    - {name: all, match: {phi: [any]}, action: block}\n");
  auto v = judgeRequest(p, {}, "api.openai.com", "openai");
  EXPECT_EQ(v.action, RequestAction::kAllow);
  EXPECT_EQ(v.rule, "");
}

TEST(JudgeRequest, FirstMatchingRuleWins) {
  Policy p = load(
      "    - {name: dates-ok, match: {phi: [DATE]}, action: allow}\n"
      "    - {name: no-ssn, match: {phi: [SSN, MRN]}, action: block}\n"
      "    - {name: rest, match: {phi: [any]}, action: audit}\n");
  EXPECT_EQ(judgeRequest(p, {"DATE"}, "h", "").rule, "dates-ok");
  EXPECT_EQ(judgeRequest(p, {"DATE"}, "h", "").action, RequestAction::kAllow);
  // Both DATE and SSN found: the first rule that matches any of them decides.
  EXPECT_EQ(judgeRequest(p, {"SSN", "DATE"}, "h", "").rule, "dates-ok");
  EXPECT_EQ(judgeRequest(p, {"MRN"}, "h", "").action, RequestAction::kBlock);
  auto v = judgeRequest(p, {"EMAIL"}, "h", "");
  EXPECT_EQ(v.rule, "rest");
  EXPECT_EQ(v.action, RequestAction::kAudit);
}

TEST(JudgeRequest, PhiNoRuleMatchesIsBlockedByDefault) {
  Policy p = load("    - {name: emails, match: {phi: [EMAIL]}, action: allow}\n");
  auto v = judgeRequest(p, {"SSN"}, "api.openai.com", "openai");
  EXPECT_EQ(v.action, RequestAction::kBlock);
  EXPECT_EQ(v.rule, "default");
}

TEST(JudgeRequest, DestinationNarrowsARule) {
  Policy p = load(
      "    - name: bedrock-names\n"
      "      match: {phi: [NAME], destination: {vendors: [aws-bedrock]}}\n"
      "      action: allow\n"
      "    - name: internal\n"
      "      match: {phi: [any], destination: {hosts: [\"*.corp.example\"]}}\n"
      "      action: audit\n");
  EXPECT_EQ(judgeRequest(p, {"NAME"}, "bedrock-runtime.us-east-1.amazonaws.com", "aws-bedrock").rule,
            "bedrock-names");
  EXPECT_EQ(judgeRequest(p, {"NAME"}, "api.openai.com", "openai").rule, "default");
  // Host patterns ignore a port and case, and a wildcard covers deeper names.
  EXPECT_EQ(judgeRequest(p, {"SSN"}, "LLM.a.Corp.Example:8443", "").rule, "internal");
  EXPECT_EQ(judgeRequest(p, {"SSN"}, "corp.example.evil.com", "").rule, "default");
}

TEST(JudgeRequest, AuditModeNeverBlocks) {
  Policy p = load("    - {name: no-ssn, match: {phi: [SSN]}, action: block}\n", "audit");
  auto v = judgeRequest(p, {"SSN"}, "h", "");
  EXPECT_EQ(v.action, RequestAction::kAudit);
  EXPECT_EQ(v.rule, "no-ssn");
  EXPECT_EQ(judgeRequest(p, {"NAME"}, "h", "").action, RequestAction::kAudit);  // default
}

TEST(RuleParsing, ScannerTypeNamesAndDestination) {
  Policy p = load(
      "    - name: r\n"
      "      match: {phi: [IMAGE, AGE, HEALTH_PLAN, ID], destination: {vendors: [openai], "
      "hosts: [\"api.example.com\"]}}\n"
      "      action: audit\n");
  ASSERT_EQ(p.rules.size(), 1u);
  EXPECT_EQ(p.rules[0].phi, (std::vector<std::string>{"IMAGE", "AGE", "HEALTH_PLAN", "ID"}));
  EXPECT_EQ(p.rules[0].vendors, std::vector<std::string>{"openai"});
  EXPECT_EQ(p.rules[0].hosts, std::vector<std::string>{"api.example.com"});
}

TEST(RuleParsing, BadTypeOrDestinationKeyIsAnErrorWithItsPlace) {
  std::string base = "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata: {name: t}\nspec:\n"
                     "  rules:\n";
  auto bad_type = parsePolicy(base + "    - {name: r, match: {phi: [PHOTO]}, action: block}\n", "t.yaml");
  ASSERT_FALSE(bad_type.ok());
  EXPECT_NE(bad_type.error().message().find("t.yaml:6:"), std::string::npos) << bad_type.error().message();
  EXPECT_NE(bad_type.error().message().find("unknown PHI type 'PHOTO'"), std::string::npos);
  auto bad_key = parsePolicy(
      base + "    - {name: r, match: {phi: [SSN], destination: {vendor: [x]}}, action: block}\n",
      "t.yaml");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.error().message().find("vendor"), std::string::npos) << bad_key.error().message();
  auto bad_host = parsePolicy(
      base + "    - {name: r, match: {phi: [SSN], destination: {hosts: [\"a.*.com\"]}}, action: block}\n",
      "t.yaml");
  ASSERT_FALSE(bad_host.ok());
}

}  // namespace
}  // namespace sluice::policy

namespace sluice::policy {
namespace {

TEST(RequestHostName, DropsThePortCaseAndTrailingDot) {
  EXPECT_EQ(requestHostName("API.OpenAI.com:443"), "api.openai.com");
  EXPECT_EQ(requestHostName("api.openai.com."), "api.openai.com");
  EXPECT_EQ(requestHostName("[::1]:8443"), "::1");
}

}  // namespace
}  // namespace sluice::policy
