// File: version.h
//
// The version every binary prints: the package version plus the git revision it was built from.
#pragma once

#include <string>

namespace sluice {

std::string versionString();  // "0.1.0 (git 1a2b3c4d5e6f)"

}  // namespace sluice
