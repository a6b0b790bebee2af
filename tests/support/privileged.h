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

// Skips the test with `reason` (a stream expression) when `condition` is false, except under
// CI=true, where a test that cannot run fails: CI installs everything the suite needs, so a
// missing piece there is a broken set-up, not a reason to pass. Use at the top of a test body
// or SetUp().
#define SLUICE_REQUIRE(condition, reason)                                    \
  do {                                                                       \
    if (!(condition)) {                                                      \
      if (::sluice::testing::underCi()) {                                    \
        FAIL() << "cannot run, and CI=true forbids skipping: " << reason;    \
      }                                                                      \
      GTEST_SKIP() << reason;                                                \
    }                                                                        \
  } while (0)

#define SLUICE_REQUIRE_ROOT() \
  SLUICE_REQUIRE(::sluice::testing::isRoot(), "needs root (real BPF and cgroups)")
