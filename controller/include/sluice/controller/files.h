// File: files.h
//
// Reading and writing the controller's small files (keys, certificates, port files). Secrets
// are written with mode 0600 through a temporary file and rename, so a crash never leaves a
// half-written key behind.
#pragma once

#include <string>

#include "sluice/common/result.h"

namespace sluice::controller {

Result<std::string> readFile(const std::string& path);
Status writeFileAtomic(const std::string& path, const std::string& data, unsigned mode);

}  // namespace sluice::controller
