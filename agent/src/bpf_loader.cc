#include "sluice/agent/bpf_loader.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <array>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "connect.skel.h"
#include "egress.skel.h"
#include "sluice/agent/bpffs.h"
#include "sluice/agent/cgroup.h"
#include "sluice/common/logging.h"

namespace sluice::agent {
namespace {

namespace fs = std::filesystem;

int libbpfPrint(enum libbpf_print_level level, const char* fmt, va_list args) {
  static auto log = logging::get("bpf");
  // Verifier logs arrive as one message of many kilobytes: size the buffer to fit.
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n <= 0) return 0;
  std::string msg(static_cast<size_t>(n) + 1, '\0');
  std::vsnprintf(msg.data(), msg.size(), fmt, args);
  msg.resize(static_cast<size_t>(n));
  while (!msg.empty() && msg.back() == '\n') msg.pop_back();
  switch (level) {
    case LIBBPF_WARN: log->warn("{}", msg); break;
    case LIBBPF_INFO: log->debug("{}", msg); break;
    case LIBBPF_DEBUG: log->trace("{}", msg); break;
  }
  return 0;
}

std::string mapsDir(const std::string& bpffs) {
  return bpffs + "/maps";
}
std::string linksDir(const std::string& bpffs) {
  return bpffs + "/links";
}

Result<bpf_link_info> linkInfo(int fd) {
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0) return errnoError(errno, "reading link info");
  return info;
}

using Handlers = ConnectEnforcer::EventHandlers;

int connRingCallback(void* ctx, void* data, size_t size) {
  auto* h = *static_cast<const Handlers* const*>(ctx);
  if (size >= sizeof(sluice_conn_event) && h != nullptr && h->conn) {
    h->conn(*static_cast<const sluice_conn_event*>(data));
  }
  return 0;
}

int nameRingCallback(void* ctx, void* data, size_t size) {
  auto* h = *static_cast<const Handlers* const*>(ctx);
  if (size >= sizeof(sluice_name_event) && h != nullptr && h->name) {
    h->name(*static_cast<const sluice_name_event*>(data));
  }
  return 0;
}

struct MapPin {
  bpf_map* map;
  const char* name;
};

Status pinMaps(const std::string& bpffs, std::initializer_list<MapPin> maps) {
  for (const auto& m : maps) {
    std::string pin = mapsDir(bpffs) + "/" + m.name;
    if (int err = bpf_map__set_pin_path(m.map, pin.c_str()); err != 0) {
      return errnoError(err, "setting pin path " + pin);
    }
  }
  return okStatus();
}

// Maps that hold nothing a restart must keep (counters, event rings, the config written at
// every start). A pin of another layout, left by another version of the agent, is replaced
// instead of refused: the new programs get a new map, and the pinned links switch to them
// (attachOrAdopt), releasing the old one. Maps with state (holds, socket classes, DNS
// bindings) are not listed: a layout change there still needs --uninstall.
Status replacePinsOfAnotherLayout(const std::string& bpffs, std::initializer_list<MapPin> maps) {
  for (const auto& m : maps) {
    std::string pin = mapsDir(bpffs) + "/" + m.name;
    int fd = bpf_obj_get(pin.c_str());
    if (fd < 0) continue;
    bpf_map_info info{};
    uint32_t len = sizeof(info);
    int rc = bpf_obj_get_info_by_fd(fd, &info, &len);
    close(fd);
    if (rc != 0) return errnoError(errno, "reading the pinned map " + pin);
    if (info.type == bpf_map__type(m.map) && info.key_size == bpf_map__key_size(m.map) &&
        info.value_size == bpf_map__value_size(m.map) &&
        info.max_entries == bpf_map__max_entries(m.map) &&
        info.map_flags == bpf_map__map_flags(m.map)) {
      continue;
    }
    if (unlink(pin.c_str()) != 0) return errnoError(errno, "removing the pinned map " + pin);
    logging::get("agent")->warn(
        "{} was pinned by another version with another layout (max_entries {}, value size "
        "{}); replaced by a new one, whose contents start empty",
        pin, info.max_entries, info.value_size);
  }
  return okStatus();
}

Status loadError(int err, const char* what, const std::string& bpffs) {
  return errnoError(err, std::string("loading the ") + what +
                             " BPF programs (a pinned map from an incompatible version is "
                             "refused: run sluice-agent --uninstall --bpffs " +
                             bpffs + ")");
}

}  // namespace

void routeLibbpfLogging() {
  static std::once_flag once;
  std::call_once(once, [] { libbpf_set_print(libbpfPrint); });
}

Result<std::unique_ptr<ConnectEnforcer>> ConnectEnforcer::create(
    const LoaderConfig& config, const CompiledPolicy& initial_policy) {
  std::unique_ptr<ConnectEnforcer> self(new ConnectEnforcer());
  SLUICE_RETURN_IF_ERROR(self->load(config));
  // The policy goes in before any new link exists, so the first packet already sees it.
  SLUICE_RETURN_IF_ERROR(self->installPolicy(initial_policy));
  SLUICE_RETURN_IF_ERROR(self->attachOrAdopt(config));
  self->ring_ = ring_buffer__new(bpf_map__fd(self->skel_->maps.conn_events), connRingCallback,
                                 &self->current_handlers_, nullptr);
  if (self->ring_ == nullptr) return errnoError(errno, "opening the connect event ring buffer");
  if (int err = ring_buffer__add(self->ring_, bpf_map__fd(self->egress_->maps.name_events),
                                 nameRingCallback, &self->current_handlers_);
      err != 0) {
    return errnoError(err, "opening the name event ring buffer");
  }
  return self;
}

ConnectEnforcer::~ConnectEnforcer() {
  if (ring_ != nullptr) ring_buffer__free(ring_);
  for (int fd : link_fds_) close(fd);
  // The skeleton owns program and map fds; the pins keep the kernel objects alive.
  if (egress_ != nullptr) egress_bpf__destroy(egress_);
  if (skel_ != nullptr) connect_bpf__destroy(skel_);
}

Status ConnectEnforcer::load(const LoaderConfig& config) {
  routeLibbpfLogging();
  bpffs_dir_ = config.bpffs_dir;
  SLUICE_RETURN_IF_ERROR(ensureBpffsDir(config.bpffs_dir));
  std::error_code ec;
  fs::create_directories(mapsDir(config.bpffs_dir), ec);
  fs::create_directories(linksDir(config.bpffs_dir), ec);
  if (ec) return internalError("creating pin directories under " + config.bpffs_dir);

  const std::string& dir = config.bpffs_dir;
  skel_ = connect_bpf__open();
  if (skel_ == nullptr) return errnoError(errno, "opening the connect BPF object");
  SLUICE_RETURN_IF_ERROR(replacePinsOfAnotherLayout(
      dir, {{skel_->maps.conn_events, "conn_events"}, {skel_->maps.conn_counters, "conn_counters"}}));
  SLUICE_RETURN_IF_ERROR(pinMaps(dir, {{skel_->maps.dest_policy, "dest_policy"},
                                       {skel_->maps.name_policy, "name_policy"},
                                       {skel_->maps.dns_bindings, "dns_bindings"},
                                       {skel_->maps.sk_state, "sk_state"},
                                       {skel_->maps.conn_events, "conn_events"},
                                       {skel_->maps.conn_counters, "conn_counters"},
                                       {skel_->maps.holds, "holds"},
                                       {skel_->maps.hold_answers, "hold_answers"}}));
  if (int err = connect_bpf__load(skel_); err != 0) return loadError(err, "connect", dir);

  // Loaded second: its shared maps resolve to the pins the connect object just made or reused.
  egress_ = egress_bpf__open();
  if (egress_ == nullptr) return errnoError(errno, "opening the egress BPF object");
  SLUICE_RETURN_IF_ERROR(replacePinsOfAnotherLayout(
      dir, {{egress_->maps.name_events, "name_events"}, {egress_->maps.name_cfg, "name_cfg"}}));
  SLUICE_RETURN_IF_ERROR(pinMaps(dir, {{egress_->maps.name_policy, "name_policy"},
                                       {egress_->maps.dns_bindings, "dns_bindings"},
                                       {egress_->maps.sk_state, "sk_state"},
                                       {egress_->maps.conn_counters, "conn_counters"},
                                       {egress_->maps.name_events, "name_events"},
                                       {egress_->maps.name_cfg, "name_cfg"},
                                       {egress_->maps.holds, "holds"},
                                       {egress_->maps.hold_answers, "hold_answers"}}));
  if (int err = egress_bpf__load(egress_); err != 0) return loadError(err, "egress", dir);
  return okStatus();
}

namespace {

// A new LPM trie filled with `entries`; the caller owns the fd.
template <typename Entry>
Result<int> buildTrie(const char* name, size_t key_size, uint32_t max_entries,
                      const std::vector<Entry>& entries) {
  LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_NO_PREALLOC);
  int fd = bpf_map_create(BPF_MAP_TYPE_LPM_TRIE, name, static_cast<uint32_t>(key_size),
                          sizeof(sluice_dest_value), max_entries, &opts);
  if (fd < 0) return errnoError(errno, std::string("creating trie ") + name);
  for (const auto& e : entries) {
    if (bpf_map_update_elem(fd, &e.key, &e.value, BPF_ANY) != 0) {
      int err = errno;
      close(fd);
      return errnoError(err, std::string("filling trie ") + name);
    }
  }
  return fd;
}

}  // namespace

Status ConnectEnforcer::swapInner(int outer_fd, int inner_fd, const char* what) {
  uint32_t slot = 0;
  int rc = bpf_map_update_elem(outer_fd, &slot, &inner_fd, BPF_ANY);
  int err = errno;
  close(inner_fd);  // the outer map holds the reference now
  if (rc != 0) return errnoError(err, std::string("swapping in the new ") + what);
  return okStatus();
}

Status ConnectEnforcer::installPolicy(const CompiledPolicy& policy) {
  // Both tries are complete before either is swapped in.
  SLUICE_ASSIGN_OR_RETURN(int dest, buildTrie("sluice_dest", sizeof(sluice_lpm_key),
                                              SLUICE_MAX_DEST_ENTRIES, policy.entries));
  auto names =
      buildTrie("sluice_names", sizeof(sluice_name_key), SLUICE_MAX_NAME_ENTRIES, policy.names);
  if (!names) {
    close(dest);
    return names.error();
  }
  uint32_t zero = 0;
  sluice_egress_config cfg{};
  cfg.ech_action = policy.ech_action;
  cfg.hold_timeout_ns = static_cast<uint64_t>(policy.hold_timeout_ms) * 1000000;
  cfg.fail_open = policy.fail_open ? 1 : 0;
  cfg.hold = policy.hold ? 1 : 0;
  cfg.uninspectable_action = policy.uninspectable_action;
  if (bpf_map_update_elem(bpf_map__fd(egress_->maps.name_cfg), &zero, &cfg, BPF_ANY) != 0) {
    int err = errno;
    close(dest);
    close(*names);
    return errnoError(err, "writing the name config");
  }
  SLUICE_RETURN_IF_ERROR(swapInner(bpf_map__fd(skel_->maps.name_policy), *names, "name trie"));
  return swapInner(bpf_map__fd(skel_->maps.dest_policy), dest, "destination trie");
}

uint32_t ConnectEnforcer::pinnedGeneration(const std::string& bpffs_dir) {
  int outer = bpf_obj_get((mapsDir(bpffs_dir) + "/dest_policy").c_str());
  if (outer < 0) return 0;
  uint32_t slot = 0;
  uint32_t inner_id = 0;
  uint32_t generation = 0;
  if (bpf_map_lookup_elem(outer, &slot, &inner_id) == 0) {
    int inner = bpf_map_get_fd_by_id(inner_id);
    if (inner >= 0) {
      // Only the default entry has proto 0, so this key can match nothing else.
      sluice_lpm_key key{};
      key.prefixlen = SLUICE_LPM_FIXED_BITS + 128;
      sluice_dest_value v{};
      if (bpf_map_lookup_elem(inner, &key, &v) == 0) generation = v.policy_generation;
      close(inner);
    }
  }
  close(outer);
  return generation;
}

Status ConnectEnforcer::attachOrAdopt(const LoaderConfig& config) {
  int cg = open(config.scope_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (cg < 0) return errnoError(errno, "opening scope cgroup " + config.scope_path);
  SLUICE_ASSIGN_OR_RETURN(uint64_t scope_id, cgroupId(config.scope_path));
  auto log = logging::get("agent");
  struct {
    bpf_program* prog;
    const char* name;
  } progs[] = {
      {skel_->progs.sluice_connect4, "connect4"}, {skel_->progs.sluice_connect6, "connect6"},
      {skel_->progs.sluice_sendmsg4, "sendmsg4"}, {skel_->progs.sluice_sendmsg6, "sendmsg6"},
      {egress_->progs.sluice_egress, "egress"},   {egress_->progs.sluice_ingress, "ingress"}};
  Status status;
  for (auto& p : progs) {
    std::string pin = linksDir(config.bpffs_dir) + "/" + p.name;
    int prog_fd = bpf_program__fd(p.prog);
    AttachedProgram ap;
    ap.name = p.name;
    int fd = bpf_obj_get(pin.c_str());
    int old_fd = -1;
    if (fd >= 0) {
      auto info = linkInfo(fd);
      if (info && info->type == BPF_LINK_TYPE_CGROUP && info->cgroup.cgroup_id == scope_id) {
        // Same scope: swap the program inside the pinned link. The kernel replaces it
        // atomically, so connects keep being checked throughout.
        if (bpf_link_update(fd, prog_fd, nullptr) != 0) {
          status = errnoError(errno, "updating pinned link " + pin);
          close(fd);
          break;
        }
        ap.adopted = true;
      } else {
        log->warn("pinned link {} belongs to another scope; moving enforcement to {}", pin,
                  config.scope_path);
        old_fd = fd;
        fd = -1;
      }
    }
    if (fd < 0) {
      fd = bpf_link_create(prog_fd, cg, bpf_program__expected_attach_type(p.prog), nullptr);
      if (fd < 0) {
        status = errnoError(errno, std::string("attaching ") + p.name + " to " + config.scope_path);
        if (old_fd >= 0) close(old_fd);
        break;
      }
      unlink(pin.c_str());
      if (bpf_obj_pin(fd, pin.c_str()) != 0) {
        status = errnoError(errno, "pinning " + pin);
        close(fd);
        if (old_fd >= 0) close(old_fd);
        break;
      }
      // Only now, with the new scope enforced and pinned, release the old one.
      if (old_fd >= 0) {
        bpf_link_detach(old_fd);
        close(old_fd);
      }
    }
    if (auto info = linkInfo(fd)) {
      ap.link_id = info->id;
      ap.prog_id = info->prog_id;
      ap.cgroup_id = info->cgroup.cgroup_id;
    }
    link_fds_.push_back(fd);
    programs_.push_back(ap);
  }
  close(cg);
  return status;
}

bool ConnectEnforcer::enforcing() const {
  if (link_fds_.size() != kProgramCount) return false;
  for (int fd : link_fds_) {
    auto info = linkInfo(fd);
    if (!info || info->type != BPF_LINK_TYPE_CGROUP || info->cgroup.cgroup_id == 0) return false;
  }
  return true;
}

Result<Counters> ConnectEnforcer::counters() const {
  int ncpu = libbpf_num_possible_cpus();
  if (ncpu <= 0) return errnoError(-ncpu, "counting possible CPUs");
  std::vector<uint64_t> per_cpu(static_cast<size_t>(ncpu));
  Counters c;
  int fd = bpf_map__fd(skel_->maps.conn_counters);
  for (uint32_t i = 0; i < SLUICE_CNT_MAX; ++i) {
    if (bpf_map_lookup_elem(fd, &i, per_cpu.data()) != 0) {
      return errnoError(errno, "reading counters");
    }
    for (uint64_t v : per_cpu) c.values[i] += v;
  }
  return c;
}

int ConnectEnforcer::eventsFd() const {
  return ring_buffer__epoll_fd(ring_);
}

Status ConnectEnforcer::drainEvents(const EventHandlers& handlers) {
  current_handlers_ = &handlers;
  int n = ring_buffer__consume(ring_);
  current_handlers_ = nullptr;
  if (n < 0) return errnoError(-n, "reading connect events");
  return okStatus();
}

Status ConnectEnforcer::uninstall(const std::string& bpffs_dir) {
  if (!isOnBpffs(bpffs_dir)) return notFound("nothing pinned: " + bpffs_dir + " is not on bpffs");
  std::error_code ec;
  Status status;
  if (fs::exists(linksDir(bpffs_dir), ec)) {
    for (const auto& entry : fs::directory_iterator(linksDir(bpffs_dir), ec)) {
      int fd = bpf_obj_get(entry.path().c_str());
      if (fd >= 0) {
        if (bpf_link_detach(fd) != 0 && errno != EINVAL) {
          status = errnoError(errno, "detaching " + entry.path().string());
        }
        close(fd);
      }
      unlink(entry.path().c_str());
    }
  }
  for (const auto& dir : {linksDir(bpffs_dir), mapsDir(bpffs_dir)}) {
    if (!fs::exists(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir, ec)) unlink(entry.path().c_str());
    rmdir(dir.c_str());
  }
  if (rmdir(bpffs_dir.c_str()) != 0 && errno == EBUSY) {
    // A bpffs mounted for this directory alone (a non-default --bpffs).
    umount2(bpffs_dir.c_str(), MNT_DETACH);
    rmdir(bpffs_dir.c_str());
  }
  return status;
}

}  // namespace sluice::agent
