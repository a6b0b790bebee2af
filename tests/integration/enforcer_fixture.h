// File: enforcer_fixture.h
//
// A gtest fixture that gives each privileged test its own child cgroup and its own pin
// directory, loads a policy from YAML text through the production loader, and tears
// everything down (links, pins, cgroup) even when the test fails.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "harness.h"
#include "privileged.h"
#include "sluice/agent/bpf_loader.h"
#include "sluice/agent/cgroup.h"
#include "sluice/agent/policy_compiler.h"
#include "sluice/policy/policy.h"

namespace sluice::testing {

class EnforcerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Parses, compiles (generation++) and returns the compiled policy; fails the test on error.
  agent::CompiledPolicy compile(const std::string& yaml);
  // Creates the enforcer with `yaml` as its first policy.
  void start(const std::string& yaml);
  void install(const std::string& yaml);
  // Connect events; name (SNI/DNS) events drained at the same time collect in name_events_.
  std::vector<sluice_conn_event> drain();

  std::unique_ptr<agent::ScopedCgroup> cgroup_;
  std::unique_ptr<agent::ConnectEnforcer> enforcer_;
  std::string bpffs_;
  uint32_t generation_ = 0;
  std::vector<sluice_name_event> name_events_;
};

// "apiVersion ... spec:" followed by `spec_body` (indented by the caller with two spaces).
std::string policyYaml(const std::string& spec_body);

}  // namespace sluice::testing
