// libFuzzer entry point for the policy loader: arbitrary bytes through YAML parsing, schema
// checks, validation against the built-in catalog, and (for inputs that load) the decision
// engine and the diff against the default pack. The loader must never crash, hang or throw:
// it returns diagnostics. Built with -fsanitize=fuzzer when SLUICE_FUZZ is ON; the plain build
// links the same function into policy_fuzz_replay_test, which replays corpus/.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sluice/policy/catalog.h"
#include "sluice/policy/decision.h"
#include "sluice/policy/diff.h"
#include "sluice/policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace pol = sluice::policy;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  pol::ParseOptions options;
  options.today = "2026-06-01";  // deterministic: the same input always takes the same path
  pol::PolicyReport report = pol::checkPolicy(text, "fuzz.yaml", options);
  for (const auto& d : report.diagnostics) (void)d.toString();
  if (!report.ok()) return 0;
  const pol::Policy& policy = *report.policy;
  for (const char* t : {"api.openai.com", "bedrock-runtime.eu-west-1.amazonaws.com:443",
                        "contoso.openai.azure.com", "10.20.0.1:8080", "[2001:db8::1]:443"}) {
    auto target = pol::parseTarget(t);
    if (target) (void)pol::decide(policy, pol::Catalog::builtin(), *target, {options.today});
  }
  if (auto pack = pol::builtinPack("hipaa-default")) {
    if (auto base = pol::parsePolicy(*pack, "hipaa-default.yaml", options)) {
      (void)pol::diffPolicies(*base, policy, pol::DiffOptions{nullptr, nullptr, options.today});
    }
  }
  return 0;
}
