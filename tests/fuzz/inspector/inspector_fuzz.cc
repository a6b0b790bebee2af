// libFuzzer target for the request inspector: any bytes, fed once whole and once cut into
// random writes, must decode the same way (same requests, same findings, same pending
// state, or an error both times), and every finding must lie inside its body.
//
// Input layout: byte 0 seeds the cuts, the rest is the client plaintext. Built two ways
// (tests/fuzz/inspector/CMakeLists.txt): with clang -fsanitize=fuzzer when SLUICE_FUZZ=ON,
// and always against tests/fuzz/scanner/replay_main.cc, which replays the seed corpus and
// mutations of it in the unit suite.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/agent/request_inspector.h"

namespace {

using sluice::agent::InspectedRequest;
using sluice::agent::InspectorLimits;
using sluice::agent::RequestInspector;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "inspector_fuzz: invariant failed: %s\n", what);
    std::abort();
  }
}

std::shared_ptr<const sluice::scanner::Scanner> scanner() {
  static std::shared_ptr<sluice::scanner::Scanner> instance = [] {
    auto created = sluice::scanner::Scanner::create();
    check(created.ok(), "Scanner::create");
    return *created;
  }();
  return instance;
}

struct Outcome {
  bool ok = true;
  std::string requests;
  bool pending = false;
};

std::string render(const InspectedRequest& r) {
  std::string out = std::to_string(r.id) + r.protocol + r.method + r.path + r.host +
                    std::to_string(r.h2_stream) + "/" + std::to_string(r.body_bytes) + ":";
  for (const auto& f : r.findings) {
    check(f.start < f.end && f.end <= r.body_bytes, "body finding inside the decoded body");
    out += std::to_string(static_cast<int>(f.type)) + "@" + std::to_string(f.start) + "-" +
           std::to_string(f.end) + ",";
  }
  for (const auto& f : r.head_findings) out += "h" + std::to_string(f.start) + ",";
  for (const auto& n : r.notes) out += n + ";";
  return out + "\n";
}

Outcome run(std::string_view input, uint32_t seed) {
  InspectorLimits limits;
  limits.max_decoded_body_bytes = 1 << 20;  // keep each run fast
  limits.max_head_bytes = 16 * 1024;
  auto inspector = RequestInspector::create(scanner(), limits);
  check(inspector.ok(), "create");
  Outcome outcome;
  size_t pos = 0;
  while (pos < input.size()) {
    size_t n = input.size() - pos;
    if (seed != 0) {
      seed = seed * 1103515245u + 12345u;
      n = std::min<size_t>(n, 1 + (seed >> 16) % 64);
    }
    auto done = (*inspector)->feed(input.substr(pos, n));
    pos += n;
    if (!done) {
      outcome.ok = false;
      return outcome;
    }
    for (const auto& r : *done) outcome.requests += render(r);
  }
  outcome.pending = (*inspector)->pending();
  if ((*inspector)->pendingHost()) check(outcome.pending, "a pending host implies pending");
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > (1u << 16)) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = run(input, 0);
  Outcome split = run(input, 1u + data[0]);
  check(whole.ok == split.ok, "an error does not depend on how the bytes were cut");
  if (whole.ok) {
    check(whole.requests == split.requests, "the same requests whatever the cuts");
    check(whole.pending == split.pending, "the same pending state whatever the cuts");
  }
  return 0;
}
