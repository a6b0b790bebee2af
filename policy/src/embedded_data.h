// File: embedded_data.h (internal to sluice_policy)
//
// The catalog and pack YAML files, compiled in by policy/cmake/embed_files.cmake so that
// sluice-agent and sluicectl need no data directory.
#pragma once

#include <string_view>
#include <vector>

namespace sluice::policy::detail {

struct EmbeddedFile {
  std::string_view name;  // file name, e.g. "openai.yaml"
  std::string_view text;
};

const std::vector<EmbeddedFile>& embeddedCatalogFiles();
const std::vector<EmbeddedFile>& embeddedPackFiles();

}  // namespace sluice::policy::detail
