#include "sluice/agent/cgroup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

namespace sluice::agent {

Result<std::string> findCgroup2Mount(const std::string& proc_mounts) {
  std::ifstream in(proc_mounts);
  if (!in) return errnoError(errno, "reading " + proc_mounts);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string dev, mnt, type;
    fields >> dev >> mnt >> type;
    if (type == "cgroup2") return mnt;
  }
  return notFound(
      "no cgroup2 mount in " + proc_mounts +
      " (Sluice needs cgroup v2; mount it or boot with systemd.unified_cgroup_hierarchy)");
}

Result<std::string> resolveScope(const std::string& mount, const std::string& scope) {
  std::string rel = scope;
  while (!rel.empty() && rel.front() == '/') rel.erase(rel.begin());
  while (!rel.empty() && rel.back() == '/') rel.pop_back();
  if (rel.find("..") != std::string::npos) {
    return invalidArgument("scope '" + scope + "' must not contain '..'");
  }
  std::string path = rel.empty() ? mount : mount + "/" + rel;
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return errnoError(errno, "scope cgroup '" + scope + "' (" + path + ")");
  }
  if (!S_ISDIR(st.st_mode)) return invalidArgument("scope " + path + " is not a cgroup directory");
  return path;
}

Result<uint64_t> cgroupId(const std::string& cgroup_path) {
  struct stat st {};
  if (stat(cgroup_path.c_str(), &st) != 0) return errnoError(errno, "stat " + cgroup_path);
  return static_cast<uint64_t>(st.st_ino);
}

Result<std::string> processCgroup(pid_t pid) {
  std::string file = "/proc/" + std::to_string(pid) + "/cgroup";
  std::ifstream in(file);
  if (!in) return errnoError(errno, "reading " + file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("0::", 0) == 0) return line.substr(3);
  }
  return notFound(file + " has no cgroup2 (0::) entry");
}

Status moveToCgroup(const std::string& cgroup_path, pid_t pid) {
  std::string procs = cgroup_path + "/cgroup.procs";
  std::ofstream out(procs);
  if (!out) return errnoError(errno, "opening " + procs);
  out << pid << std::flush;
  if (!out) return errnoError(errno, "moving pid " + std::to_string(pid) + " into " + procs);
  return okStatus();
}

Result<std::unique_ptr<ScopedCgroup>> ScopedCgroup::create(const std::string& name) {
  SLUICE_ASSIGN_OR_RETURN(std::string mount, findCgroup2Mount());
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
    return invalidArgument("child cgroup name '" + name + "' must be one path component");
  }
  std::string path = mount + "/" + name;
  if (mkdir(path.c_str(), 0755) != 0) return errnoError(errno, "creating cgroup " + path);
  auto id = cgroupId(path);
  if (!id) {
    rmdir(path.c_str());
    return id.error();
  }
  return std::unique_ptr<ScopedCgroup>(new ScopedCgroup(path, "/" + name, *id));
}

ScopedCgroup::~ScopedCgroup() {
  // The kernel refuses rmdir while a (possibly exiting) process is still charged to the
  // cgroup; give exiting children a moment.
  for (int i = 0; i < 50; ++i) {
    if (rmdir(path_.c_str()) == 0 || errno == ENOENT) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace sluice::agent
