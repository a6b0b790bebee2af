// File: tls_discovery.h
//
// Which processes write TLS through a library Sluice can hook, and where exactly to put each
// uprobe. The inventory scans /proc/*/maps, resolves every mapped file through
// /proc/PID/root (so a container's libssl is found in the container's filesystem), analyses
// each unique file (by device and inode) once, and records for every TLS write function the
// probe point chosen by probe_placement.h. Processes that map no hooked library are reported
// as not inspectable, so the policy's uninspectableTls default can be applied to them.
//
//   OpenSSL 1.1/3.x and BoringSSL  SSL_write, SSL_write_ex (shared libssl or linked into the
//                                  executable, as in node)
//   GnuTLS                         gnutls_record_send
//   NSS                            PR_Write, PR_Send (libnspr4)
//   Go                             crypto/tls.(*Conn).Write (register ABI)
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sluice/agent/probe_placement.h"
#include "sluice/common/result.h"

namespace sluice::agent {

struct TlsTarget {
  std::string function;
  uint64_t function_offset = 0;  // file offset of the function's entry
  uint64_t probe_offset = 0;     // file offset to attach the uprobe to
  CallingConvention cc = CallingConvention::kSysV;
  ProbePoint point;
};

struct TlsBinary {
  std::string path;       // as the process sees it
  std::string host_path;  // /proc/PID/root/... as the agent opens it
  uint64_t dev = 0;
  uint64_t inode = 0;
  std::string library;  // openssl | gnutls | nss | go
  std::vector<TlsTarget> targets;
};

struct TlsProcess {
  pid_t pid = 0;
  std::string comm;
  std::vector<std::pair<uint64_t, uint64_t>> binaries;  // (dev, inode) of hooked files it maps
  bool inspectable() const { return !binaries.empty(); }
};

class TlsInventory {
 public:
  // Scans every process under `proc` (or only `only_pid` when it is not 0).
  Status scan(const std::string& proc = "/proc", pid_t only_pid = 0);
  // Analyses one process (for new processes seen after exec).
  Status scanProcess(const std::string& proc, pid_t pid);

  // Analyses one file directly (a library path, or an executable such as /usr/bin/node), so
  // it can be probed before any process maps it. Returns nullptr when it has no TLS functions.
  Result<const TlsBinary*> analyseFile(const std::string& path);

  const std::map<std::pair<uint64_t, uint64_t>, TlsBinary>& binaries() const { return hooked_; }
  const std::vector<TlsProcess>& processes() const { return processes_; }

 private:
  // Analyses a file once; returns the hooked binary or nullptr when it has no TLS functions.
  const TlsBinary* analyse(const std::string& path, const std::string& host_path, uint64_t dev,
                           uint64_t inode);

  std::map<std::pair<uint64_t, uint64_t>, TlsBinary> hooked_;
  std::map<std::pair<uint64_t, uint64_t>, bool> seen_;  // files analysed, hooked or not
  std::vector<TlsProcess> processes_;
};

void to_json(nlohmann::json& j, const TlsInventory& inv);

}  // namespace sluice::agent
