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
  using ChunkHandler = std::function<void(const sluice_tls_chunk&)>;

  // `bpffs_dir`: the counters map is shared with the other programs through its pin there.
  static Result<std::unique_ptr<TlsCapture>> create(const std::string& bpffs_dir,
                                                    const std::string& scope_path);
  ~TlsCapture();
  TlsCapture(const TlsCapture&) = delete;
  TlsCapture& operator=(const TlsCapture&) = delete;

  // Attaches to every target of every binary in the inventory not attached yet. Returns how
  // many new probes were attached; failures are collected in `errors`.
  size_t attach(const TlsInventory& inventory, std::vector<std::string>* errors = nullptr);
  size_t probes() const { return links_.size(); }

  int chunksFd() const;
  Status drain(const ChunkHandler& handler);

 private:
  TlsCapture() = default;
  tls_capture_bpf* skel_ = nullptr;
  ring_buffer* ring_ = nullptr;
  std::vector<bpf_link*> links_;
  std::set<std::tuple<uint64_t, uint64_t, uint64_t>> attached_;  // dev, inode, offset
  const ChunkHandler* handler_ = nullptr;
};

}  // namespace sluice::agent
