#include "privileged.h"

#include <unistd.h>

#include <cstdlib>

namespace sluice::testing {

bool isRoot() {
  return geteuid() == 0;
}

bool underCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::string sourceDir() {
  const char* d = std::getenv("SLUICE_SOURCE_DIR");
  return d ? d : ".";
}

std::string buildDir() {
  const char* d = std::getenv("SLUICE_BUILD_DIR");
  return d ? d : ".";
}

}  // namespace sluice::testing
