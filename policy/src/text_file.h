// File: text_file.h (internal to sluice_policy)
//
// Policies and catalogs are read whole: they are small, and the policy's digest must be of
// exactly the bytes that were parsed.
#pragma once

#include <string>

#include "sluice/common/result.h"

namespace sluice::policy::detail {

Result<std::string> readTextFile(const std::string& path, const std::string& what);

}  // namespace sluice::policy::detail
