// sluicectl tls: which processes write TLS through a library Sluice can hook, and the uprobe
// point chosen in each TLS write function (see agent/include/sluice/agent/tls_discovery.h).
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "command.h"
#include "sluice/agent/tls_discovery.h"

namespace sluice::cli {
namespace {

constexpr const char* kUsage =
    "usage: sluicectl tls [--pid PID] [--json]\n"
    "\n"
    "Lists the TLS libraries mapped by running processes (OpenSSL/BoringSSL, GnuTLS, NSS, Go\n"
    "crypto/tls), the probe point for each write function and whether the kernel emulates it\n"
    "(cheap) or single-steps it, and which processes are inspectable. Needs root to read other\n"
    "users' processes.\n";

int runTls(const Args& args) {
  FlagParser flags(args);
  std::string err;
  if (!flags.parse({"--pid"}, {"--json", "--help"}, err) || flags.has("--help")) {
    if (!err.empty()) std::fprintf(stderr, "sluicectl tls: %s\n", err.c_str());
    std::fputs(kUsage, err.empty() ? stdout : stderr);
    return err.empty() ? 0 : 2;
  }
  pid_t pid = 0;
  if (flags.has("--pid")) {
    try {
      pid = static_cast<pid_t>(std::stol(flags.get("--pid")));
    } catch (const std::exception&) {
      std::fprintf(stderr, "sluicectl tls: --pid needs a number, got '%s'\n",
                   flags.get("--pid").c_str());
      return 2;
    }
  }
  agent::TlsInventory inv;
  if (Status s = inv.scan("/proc", pid); !s) {
    std::fprintf(stderr, "sluicectl tls: %s\n", s.error().message().c_str());
    return 1;
  }
  if (flags.has("--json")) {
    std::cout << nlohmann::json(inv).dump(2) << '\n';
    return 0;
  }
  for (const auto& [key, b] : inv.binaries()) {
    std::printf("%s (%s)\n", b.path.c_str(), b.library.c_str());
    for (const auto& t : b.targets) {
      std::printf("  %-26s +0x%-4llx %-8s %-24s %s\n", t.function.c_str(),
                  static_cast<unsigned long long>(t.point.offset_from_entry),
                  t.point.emulated ? "emulated" : "stepped", t.point.instruction.c_str(),
                  t.point.reason.c_str());
    }
  }
  size_t inspectable = 0;
  for (const auto& p : inv.processes()) inspectable += p.inspectable() ? 1 : 0;
  std::printf("\n%zu of %zu processes write TLS through a hooked library\n", inspectable,
              inv.processes().size());
  for (const auto& p : inv.processes()) {
    if (p.inspectable()) std::printf("  %d %s\n", p.pid, p.comm.c_str());
  }
  return 0;
}

const CommandRegistrar kRegistrar({"tls", "TLS libraries, probe points and inspectable processes",
                                   runTls});

}  // namespace
}  // namespace sluice::cli
