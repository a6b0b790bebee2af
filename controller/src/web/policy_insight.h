// File: policy_insight.h
//
// What the console shows about policies beyond their text: the semantic diff between two
// versions (which destinations start or stop flowing, from the policy library's diff), and the
// BAA state of an alert's destination under the policy version the agent enforced. Without
// the policy library in the build both answer that the library is missing.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sluice/common/result.h"
#include "sluice/v1/agent.pb.h"

namespace sluice::controller::web {

// {"settings": [...], "destinations": [...], "changes": [{target, origin, before, after,
// loosened}], "empty": bool}
Result<nlohmann::json> policyDiffJson(const std::string& old_yaml, const std::string& new_yaml);

// {"state": "signed"|"expired"|"none"|"not required"|"unknown", "detail": text}
nlohmann::json baaStateJson(const std::string& policy_yaml, const sluice::v1::AlertEvent& alert);

}  // namespace sluice::controller::web
