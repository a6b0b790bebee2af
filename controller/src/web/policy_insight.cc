#include "web/policy_insight.h"

#ifdef SLUICE_CONTROLLER_HAVE_POLICY
#include "sluice/policy/decision.h"
#include "sluice/policy/diff.h"
#endif

namespace sluice::controller::web {

#ifdef SLUICE_CONTROLLER_HAVE_POLICY
namespace {

nlohmann::json decisionJson(const sluice::policy::Decision& d) {
  nlohmann::json reasons = nlohmann::json::array();
  for (const auto& r : d.reasons) reasons.push_back({{"step", r.step}, {"text", r.text}});
  return {{"class", std::string(sluice::policy::destClassName(d.cls))},
          {"enforced", d.enforced},
          {"reasons", reasons}};
}

}  // namespace

Result<nlohmann::json> policyDiffJson(const std::string& old_yaml, const std::string& new_yaml) {
  SLUICE_ASSIGN_OR_RETURN(auto before, sluice::policy::parsePolicy(old_yaml, "old.yaml"));
  SLUICE_ASSIGN_OR_RETURN(auto after, sluice::policy::parsePolicy(new_yaml, "new.yaml"));
  sluice::policy::PolicyDiff diff = sluice::policy::diffPolicies(before, after);
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& c : diff.changes) {
    changes.push_back({{"target", c.target.toString()},
                       {"origin", c.origin},
                       {"before", decisionJson(c.before)},
                       {"after", decisionJson(c.after)},
                       {"loosened", c.loosened()}});
  }
  return nlohmann::json{{"settings", diff.settings},
                        {"destinations", diff.destinations},
                        {"changes", changes},
                        {"empty", diff.empty()}};
}

nlohmann::json baaStateJson(const std::string& policy_yaml, const sluice::v1::AlertEvent& alert) {
  auto policy = sluice::policy::parsePolicy(policy_yaml, "policy.yaml");
  if (!policy) return {{"state", "unknown"}, {"detail", "the policy version did not parse"}};
  auto target = sluice::policy::parseTarget(alert.host().empty() ? alert.dest_ip() : alert.host());
  if (!target) return {{"state", "unknown"}, {"detail", "no destination name or address"}};
  target->port = static_cast<uint16_t>(alert.dest_port() == 0 ? 443 : alert.dest_port());
  auto d = sluice::policy::decide(*policy, sluice::policy::Catalog::builtin(), *target);
  for (const auto& r : d.reasons) {
    if (r.step != "baa") continue;
    std::string state = "signed";
    if (r.text.find("expired") != std::string::npos) {
      state = "expired";
    } else if (r.text.find("no BAA") != std::string::npos ||
               r.text.find("not signed") != std::string::npos) {
      state = "none";
    }
    return {{"state", state}, {"detail", r.text}};
  }
  if (d.vendor_id.empty()) {
    return {{"state", "not required"}, {"detail", "not a catalog AI vendor"}};
  }
  return {{"state", "unknown"}, {"detail", "the decision names no BAA check"}};
}

#else

Result<nlohmann::json> policyDiffJson(const std::string&, const std::string&) {
  return failedPrecondition("this controller was built without the policy library");
}

nlohmann::json baaStateJson(const std::string&, const sluice::v1::AlertEvent& alert) {
  if (alert.reason() == "no-baa") return {{"state", "none"}, {"detail", alert.reason()}};
  return {{"state", "unknown"}, {"detail", "built without the policy library"}};
}

#endif

}  // namespace sluice::controller::web
