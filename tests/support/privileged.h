// File: privileged.h
//
// Guards for tests that need root (real BPF, cgroups, sock_diag). Outside CI such a test
// skips with a reason; under CI=true a test that cannot run is a failure, because CI runs as
// root and a silent skip would hide a broken suite.
#pragma once

#include <string>

#include <gtest/gtest.h>

namespace sluice::testing {

bool isRoot();
bool underCi();
// Source and build directories, from the environment ctest sets (SLUICE_SOURCE_DIR/BUILD_DIR).
std::string sourceDir();
std::string buildDir();

}  // namespace sluice::testing

// Use at the top of a test body or SetUp().
#define SLUICE_REQUIRE_ROOT()                                                        \
  do {                                                                               \
    if (!::sluice::testing::isRoot()) {                                              \
      if (::sluice::testing::underCi()) {                                            \
        FAIL() << "privileged test cannot run: not root (CI=true forbids skipping)"; \
      }                                                                              \
      GTEST_SKIP() << "needs root (real BPF and cgroups)";                           \
    }                                                                                \
  } while (0)
