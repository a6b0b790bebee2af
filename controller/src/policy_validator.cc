// The controller accepts only policies the policy library accepts. Until that library is part
// of the build, a structural check stands in: the document must parse as YAML and be an
// EgressPolicy with a name, so that an obviously wrong file is still refused.
#include <yaml-cpp/yaml.h>

#include "sluice/controller/controller.h"
#include "sluice/controller/crypto.h"

#ifdef SLUICE_CONTROLLER_HAVE_POLICY
#include "sluice/policy/policy.h"
#endif

namespace sluice::controller {

PolicyValidator defaultPolicyValidator() {
  return [](const std::string& yaml, const std::string& file) -> Result<ValidatedPolicy> {
#ifdef SLUICE_CONTROLLER_HAVE_POLICY
    auto policy = sluice::policy::parsePolicy(yaml, file);
    if (!policy) return policy.error();
    return ValidatedPolicy{policy->name, crypto::sha256Hex(yaml)};
#else
    try {
      YAML::Node doc = YAML::Load(yaml);
      if (!doc.IsMap() || doc["kind"].as<std::string>("") != "EgressPolicy") {
        return invalidArgument(file + ":1:1: not an EgressPolicy (kind: EgressPolicy)");
      }
      std::string name = doc["metadata"]["name"].as<std::string>("");
      if (name.empty()) return invalidArgument(file + ":1:1: metadata.name is required");
      return ValidatedPolicy{name, crypto::sha256Hex(yaml)};
    } catch (const YAML::Exception& e) {
      return invalidArgument(file + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
#endif
  };
}

}  // namespace sluice::controller
