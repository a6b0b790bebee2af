#include "sluice/agent/tls_capture.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cerrno>

#include "sluice/agent/bpf_loader.h"
#include "tls_capture.skel.h"

namespace sluice::agent {
namespace {

uint8_t libraryCode(const std::string& library) {
  if (library == "openssl") return SLUICE_TLS_OPENSSL;
  if (library == "gnutls") return SLUICE_TLS_GNUTLS;
  if (library == "nss") return SLUICE_TLS_NSS;
  if (library == "go") return SLUICE_TLS_GO;
  return 0;
}

int chunkCallback(void* ctx, void* data, size_t size) {
  auto* handlers = *static_cast<const TlsCapture::Handlers* const*>(ctx);
  if (size >= sizeof(sluice_tls_chunk) && handlers != nullptr && handlers->chunk) {
    handlers->chunk(*static_cast<const sluice_tls_chunk*>(data));
  }
  return 0;
}

int execCallback(void* ctx, void* data, size_t size) {
  auto* handlers = *static_cast<const TlsCapture::Handlers* const*>(ctx);
  if (size >= sizeof(uint32_t) && handlers != nullptr && handlers->exec) {
    handlers->exec(static_cast<pid_t>(*static_cast<const uint32_t*>(data)));
  }
  return 0;
}

}  // namespace

Result<std::unique_ptr<TlsCapture>> TlsCapture::create(const std::string& bpffs_dir,
                                                       const std::string& scope_path,
                                                       const CaptureOptions& options) {
  routeLibbpfLogging();
  std::unique_ptr<TlsCapture> self(new TlsCapture());
  self->skel_ = tls_capture_bpf__open();
  if (!self->skel_) return errnoError(errno, "opening the TLS capture BPF object");
  // Share the counters and the hold with the enforcement programs (ConnectEnforcer pins them
  // first); without those pins the capture runs on its own maps (tests of the capture alone).
  auto& maps = self->skel_->maps;
  for (auto [map, name] : {std::pair{maps.conn_counters, "conn_counters"},
                           std::pair{maps.holds, "holds"},
                           std::pair{maps.hold_answers, "hold_answers"}}) {
    std::string pin = bpffs_dir + "/maps/" + name;
    if (access(pin.c_str(), F_OK) != 0) continue;
    if (int err = bpf_map__set_pin_path(map, pin.c_str())) {
      return errnoError(err, "setting pin path " + pin);
    }
  }
  if (options.ring_bytes != 0) {
    if (int err = bpf_map__set_max_entries(maps.tls_chunks, options.ring_bytes)) {
      return errnoError(err, "sizing the TLS chunk ring buffer to " +
                                 std::to_string(options.ring_bytes));
    }
  }
  self->skel_->rodata->capture_without_hold = options.capture_without_hold;
  if (int err = tls_capture_bpf__load(self->skel_); err != 0) {
    return errnoError(err, "loading the TLS capture BPF programs");
  }
  // The capture settings are shared memory: the verdict thread says where it runs with a
  // plain store, many times a millisecond under load.
  void* cfg = mmap(nullptr, sizeof(sluice_capture_config), PROT_READ | PROT_WRITE, MAP_SHARED,
                   bpf_map__fd(maps.capture_cfg), 0);
  if (cfg == MAP_FAILED) return errnoError(errno, "mapping the capture settings");
  self->config_ = static_cast<sluice_capture_config*>(cfg);
  int cg = open(scope_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg < 0) return errnoError(errno, "opening scope cgroup " + scope_path);
  uint32_t zero = 0;
  int rc = bpf_map_update_elem(bpf_map__fd(self->skel_->maps.scope_cgroup), &zero, &cg, BPF_ANY);
  int err = errno;
  close(cg);
  if (rc != 0) return errnoError(err, "setting the capture scope");
  self->ring_ = ring_buffer__new(bpf_map__fd(self->skel_->maps.tls_chunks), chunkCallback,
                                 &self->handlers_, nullptr);
  if (!self->ring_) return errnoError(errno, "opening the TLS chunk ring buffer");
  if (ring_buffer__add(self->ring_, bpf_map__fd(maps.exec_events), execCallback,
                       &self->handlers_) != 0) {
    return errnoError(errno, "opening the exec event ring buffer");
  }
  return self;
}

TlsCapture::~TlsCapture() {
  if (config_) munmap(config_, sizeof(sluice_capture_config));
  if (ring_) ring_buffer__free(ring_);
  if (exec_link_) bpf_link__destroy(exec_link_);
  for (bpf_link* l : links_) bpf_link__destroy(l);
  if (skel_) tls_capture_bpf__destroy(skel_);
}

size_t TlsCapture::attach(const TlsInventory& inventory, std::vector<std::string>* errors) {
  size_t added = 0;
  for (const auto& [key, bin] : inventory.binaries()) {
    for (const auto& t : bin.targets) {
      auto id = std::make_tuple(bin.dev, bin.inode, t.probe_offset);
      if (attached_.count(id)) continue;
      bpf_program* prog = skel_->progs.sluice_tls_write_sysv;
      if (t.cc == CallingConvention::kGoRegister) prog = skel_->progs.sluice_tls_write_go;
      if (t.cc == CallingConvention::kGoStack) prog = skel_->progs.sluice_tls_write_go_stack;
      // The cookie: the library, and for stack arguments how far rsp moved before the probe.
      uint64_t cookie = libraryCode(bin.library) |
                        (static_cast<uint64_t>(-t.point.sp_delta) & 0xffff) << 8;
      LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = cookie);
      bpf_link* link = bpf_program__attach_uprobe_opts(prog, -1, bin.host_path.c_str(),
                                                      t.probe_offset, &opts);
      if (!link) {
        if (errors) {
          errors->push_back(bin.path + ":" + t.function + ": " +
                            errnoError(errno, "attach uprobe").message());
        }
        continue;
      }
      links_.push_back(link);
      attached_.insert(id);
      ++added;
    }
  }
  return added;
}

void TlsCapture::setVerdictWait(uint64_t ns) {
  __atomic_store_n(&config_->verdict_wait_ns, ns, __ATOMIC_RELEASE);
}

int TlsCapture::chunksFd() const { return ring_buffer__epoll_fd(ring_); }

Status TlsCapture::watchExecs() {
  if (exec_link_ != nullptr) return okStatus();
  exec_link_ = bpf_program__attach(skel_->progs.sluice_exec);
  if (exec_link_ == nullptr) return errnoError(errno, "attaching the exec tracepoint");
  return okStatus();
}

Result<int> TlsCapture::drain(const Handlers& handlers) {
  handlers_ = &handlers;
  int n = ring_buffer__consume(ring_);
  handlers_ = nullptr;
  if (n < 0) return errnoError(-n, "reading TLS chunks");
  return n;
}

}  // namespace sluice::agent
