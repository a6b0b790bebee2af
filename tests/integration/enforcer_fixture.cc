#include "enforcer_fixture.h"

#include <filesystem>
#include <stdexcept>

namespace sluice::testing {

std::string policyYaml(const std::string& spec_body) {
  return "apiVersion: sluice.dev/v1\nkind: EgressPolicy\nmetadata:\n  name: test\nspec:\n" +
         spec_body;
}

void EnforcerTest::SetUp() {
  SLUICE_REQUIRE_ROOT();
  auto cg = agent::ScopedCgroup::create(uniqueName("sluice-test"));
  ASSERT_TRUE(cg.ok()) << cg.error().message();
  cgroup_ = std::move(*cg);
  bpffs_ = "/sys/fs/bpf/" + uniqueName("sluice-test");
}

void EnforcerTest::TearDown() {
  enforcer_.reset();
  if (!bpffs_.empty() && std::filesystem::exists(bpffs_)) {
    auto s = agent::ConnectEnforcer::uninstall(bpffs_);
    EXPECT_TRUE(s.ok()) << s.error().message();
  }
  cgroup_.reset();
}

agent::CompiledPolicy EnforcerTest::compile(const std::string& yaml) {
  auto pol = policy::parsePolicy(yaml, "test.yaml");
  EXPECT_TRUE(pol.ok()) << pol.error().message();
  if (!pol.ok()) return {};
  auto compiled = agent::compilePolicy(*pol, ++generation_);
  EXPECT_TRUE(compiled.ok()) << compiled.error().message();
  return compiled.ok() ? *compiled : agent::CompiledPolicy{};
}

void EnforcerTest::start(const std::string& yaml) {
  auto compiled = compile(yaml);
  agent::LoaderConfig lc{bpffs_, cgroup_->path()};
  auto e = agent::ConnectEnforcer::create(lc, compiled);
  if (!e.ok()) {
    // Nothing after this can run: end the test here (gtest reports the exception).
    throw std::runtime_error("creating the enforcer: " + e.error().message());
  }
  enforcer_ = std::move(*e);
}

void EnforcerTest::install(const std::string& yaml) {
  ASSERT_NE(enforcer_, nullptr);
  auto s = enforcer_->installPolicy(compile(yaml));
  ASSERT_TRUE(s.ok()) << s.error().message();
}

std::vector<sluice_conn_event> EnforcerTest::drain() {
  std::vector<sluice_conn_event> out;
  if (!enforcer_) return out;
  agent::ConnectEnforcer::EventHandlers h{
      [&](const sluice_conn_event& e) { out.push_back(e); },
      [&](const sluice_name_event& e) { name_events_.push_back(e); }};
  auto s = enforcer_->drainEvents(h);
  EXPECT_TRUE(s.ok());
  return out;
}

}  // namespace sluice::testing
