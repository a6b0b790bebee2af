// File: tls_capture.h
//
// Loads bpf/tls_capture.bpf.c and attaches its uprobes to the TLS write functions that the
// inventory found, at the probe points it chose. Each unique file is probed once; the probe
// then fires in every process that maps the file, and the program itself ignores processes
// outside the scope cgroup. Captured plaintext arrives in chunks (sluice_tls_chunk) through a
// ring buffer to a handler; it is never logged or written anywhere by this class.
//
// The uprobes are not pinned: capture is tied to the agent process. (Enforcement that must
// outlive the agent, connect and SNI, is pinned by ConnectEnforcer.)
#pragma once

#include <cstdint>
#include <sys/types.h>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sluice/abi.h"
#include "sluice/agent/tls_discovery.h"
#include "sluice/common/result.h"

struct tls_capture_bpf;
struct ring_buffer;
struct bpf_link;

namespace sluice::agent {

class TlsCapture {
 public:
  struct Handlers {
    std::function<void(const sluice_tls_chunk&)> chunk;
    std::function<void(pid_t)> exec;  // a program started in the scope (after execve)
  };

  struct CaptureOptions {
    // The chunk ring buffer's size (a power of two multiple of the page size); 0 =
    // SLUICE_TLS_RINGBUF_BYTES.
    uint32_t ring_bytes = 0;
    // Capture every process in the scope, not only those with an inspect-class socket (which
    // the enforcement programs mark): for the capture without enforcement.
    bool capture_without_hold = false;
  };

  // `bpffs_dir`: the counters and the hold maps are shared with the enforcement programs
  // through their pins there.
  static Result<std::unique_ptr<TlsCapture>> create(const std::string& bpffs_dir,
                                                    const std::string& scope_path,
                                                    const CaptureOptions& options);
  ~TlsCapture();
  TlsCapture(const TlsCapture&) = delete;
  TlsCapture& operator=(const TlsCapture&) = delete;

  // Attaches to every target of every binary in the inventory not attached yet. Returns how
  // many new probes were attached; failures are collected in `errors`.
  size_t attach(const TlsInventory& inventory, std::vector<std::string>* errors = nullptr);
  size_t probes() const { return links_.size(); }

  // Reports every execve in the scope through Handlers::exec.
  Status watchExecs();
  // How long each captured write waits in its probe for the verdict (0: no wait), and what
  // the thread reading the ring says at each look: the time (CLOCK_MONOTONIC ns) and its CPU,
  // or that it goes to sleep. The probes wait only while the reader is running on another CPU
  // (sluice_capture_config in abi.h).
  void setVerdictWait(uint64_t ns);
  void readerLooked(uint64_t now_ns, int cpu) {
    __atomic_store_n(&config_->reader_cpu, static_cast<uint32_t>(cpu + 1), __ATOMIC_RELAXED);
    __atomic_store_n(&config_->reader_ns, now_ns, __ATOMIC_RELEASE);
  }
  void readerSleeps() { __atomic_store_n(&config_->reader_ns, uint64_t{0}, __ATOMIC_RELEASE); }

  // One fd to poll for chunks and exec events, and a drain that calls the handlers and
  // returns how many records it read.
  int chunksFd() const;
  Result<int> drain(const Handlers& handlers);

 private:
  TlsCapture() = default;
  tls_capture_bpf* skel_ = nullptr;
  ring_buffer* ring_ = nullptr;
  std::vector<bpf_link*> links_;
  std::set<std::tuple<uint64_t, uint64_t, uint64_t>> attached_;  // dev, inode, offset
  bpf_link* exec_link_ = nullptr;
  const Handlers* handlers_ = nullptr;
  sluice_capture_config* config_ = nullptr;  // the mmap of capture_cfg
};

}  // namespace sluice::agent
