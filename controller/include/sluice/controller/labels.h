// File: labels.h
//
// Agent labels ("env=prod") and policy selectors ("env=prod,team=radiology"). An agent gets its
// labels from the enrolment token; a policy reaches the agents whose labels include every
// pair of its selector. Shared by the controller and sluicectl, which parses --labels.
#pragma once

#include <map>
#include <string>

#include "sluice/common/result.h"

namespace sluice::controller {

using Labels = std::map<std::string, std::string>;

// "k=v,k2=v2" -> {k: v, k2: v2}; an empty text is an empty map.
Result<Labels> parseSelector(const std::string& text);
bool selectorMatches(const Labels& selector, const Labels& labels);

}  // namespace sluice::controller
