#include "sluice/agent/process_info.h"

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "sluice/agent/cgroup.h"

namespace sluice::agent {

std::string userName(uint32_t uid) {
  std::array<char, 1024> buf{};
  struct passwd pw {};
  struct passwd* result = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &result) == 0 && result != nullptr) {
    return result->pw_name;
  }
  return {};
}

std::string containerIdFromCgroup(const std::string& cgroup_path) {
  // Scan for the last run of exactly 64 hex digits: runtimes differ in prefix and suffix,
  // but every one of them names the container by its 64-hex id.
  std::string found;
  size_t i = 0;
  while (i < cgroup_path.size()) {
    size_t j = i;
    while (j < cgroup_path.size() && std::isxdigit(static_cast<unsigned char>(cgroup_path[j])) &&
           !std::isupper(static_cast<unsigned char>(cgroup_path[j]))) {
      ++j;
    }
    if (j - i == 64) found = cgroup_path.substr(i, 64);
    i = j == i ? i + 1 : j;
  }
  return found;
}

ProcessInfo describeProcess(pid_t pid, pid_t tid, uint32_t uid, const std::string& comm,
                            uint64_t cgroup_id) {
  ProcessInfo p;
  p.pid = pid;
  p.tid = tid;
  p.uid = uid;
  p.cgroup_id = cgroup_id;
  p.user = userName(uid);
  std::string base = "/proc/" + std::to_string(pid);
  p.comm = comm;
  if (p.comm.empty()) {  // callers that only know the pid (a TLS write's process)
    std::ifstream in(base + "/comm");
    std::getline(in, p.comm);
  }
  std::array<char, 4096> buf{};
  ssize_t n = readlink((base + "/exe").c_str(), buf.data(), buf.size() - 1);
  if (n > 0) p.exe.assign(buf.data(), static_cast<size_t>(n));
  std::ifstream cmd(base + "/cmdline", std::ios::binary);
  if (cmd) {
    std::string raw((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
    while (!raw.empty() && raw.back() == '\0') raw.pop_back();
    for (char& c : raw) {
      if (c == '\0') c = ' ';
    }
    p.cmdline = std::move(raw);
  }
  if (auto cg = processCgroup(pid)) {
    p.cgroup = *cg;
    p.container_id = containerIdFromCgroup(p.cgroup);
  }
  return p;
}

void to_json(nlohmann::json& j, const ProcessInfo& p) {
  j = nlohmann::json{{"pid", p.pid},         {"tid", p.tid},
                     {"uid", p.uid},         {"user", p.user},
                     {"comm", p.comm},       {"exe", p.exe},
                     {"cmdline", p.cmdline}, {"cgroup_id", p.cgroup_id},
                     {"cgroup", p.cgroup},   {"container_id", p.container_id}};
}

}  // namespace sluice::agent
