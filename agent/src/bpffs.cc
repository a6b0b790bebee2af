#include "sluice/agent/bpffs.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <cerrno>
#include <filesystem>

#include <linux/magic.h>

#include "sluice/common/logging.h"

namespace sluice::agent {
namespace {

constexpr const char* kDefaultBpffs = "/sys/fs/bpf";

Status mountBpffs(const std::string& where) {
  std::error_code ec;
  std::filesystem::create_directories(where, ec);
  if (ec) return Error(ErrorCode::kInternal, "creating " + where + ": " + ec.message());
  if (mount("bpf", where.c_str(), "bpf", 0, "mode=0700") != 0) {
    return errnoError(errno, "mounting bpffs at " + where);
  }
  logging::get("agent")->info("mounted bpffs at {}", where);
  return okStatus();
}

}  // namespace

bool isOnBpffs(const std::string& path) {
  struct statfs fs {};
  return statfs(path.c_str(), &fs) == 0 &&
         fs.f_type == static_cast<decltype(fs.f_type)>(BPF_FS_MAGIC);
}

Status ensureBpffsDir(const std::string& dir) {
  if (dir.empty() || dir.front() != '/') {
    return invalidArgument("--bpffs must be an absolute path, got '" + dir + "'");
  }
  std::string root = kDefaultBpffs;
  bool under_default = dir == root || dir.rfind(root + "/", 0) == 0;
  if (under_default && !isOnBpffs(root)) {
    SLUICE_RETURN_IF_ERROR(mountBpffs(root));
  }
  std::error_code ec;
  if (!under_default) {
    // Find the nearest existing ancestor; if it is not on a bpffs, mount one at `dir`.
    std::filesystem::path p(dir);
    while (!p.empty() && !std::filesystem::exists(p, ec)) p = p.parent_path();
    if (!isOnBpffs(p.string())) return mountBpffs(dir);
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error(ErrorCode::kInternal, "creating " + dir + ": " + ec.message());
  if (!isOnBpffs(dir)) return failedPrecondition(dir + " is not on a BPF filesystem");
  return okStatus();
}

}  // namespace sluice::agent
