#include "sluice/agent/tls_discovery.h"

#include <sys/stat.h>

#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sluice/agent/elf_symbols.h"

namespace sluice::agent {
namespace {

struct FunctionSpec {
  const char* name;
  const char* library;
  CallingConvention cc;
  int arg_regs;  // registers the probe reads
};

const FunctionSpec kFunctions[] = {
    {"SSL_write", "openssl", CallingConvention::kSysV, 3},
    {"SSL_write_ex", "openssl", CallingConvention::kSysV, 4},
    {"gnutls_record_send", "gnutls", CallingConvention::kSysV, 3},
    {"PR_Write", "nss", CallingConvention::kSysV, 3},
    {"PR_Send", "nss", CallingConvention::kSysV, 5},
    // receiver, slice pointer, slice length
    {"crypto/tls.(*Conn).Write", "go", CallingConvention::kGoRegister, 3},
};

constexpr size_t kDecodeBytes = 96;

bool isNumber(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string readComm(const std::string& dir) {
  std::ifstream in(dir + "/comm");
  std::string s;
  std::getline(in, s);
  return s;
}

}  // namespace

const TlsBinary* TlsInventory::analyse(const std::string& path, const std::string& host_path,
                                       uint64_t dev, uint64_t inode) {
  auto key = std::make_pair(dev, inode);
  if (seen_.count(key)) {
    auto it = hooked_.find(key);
    return it == hooked_.end() ? nullptr : &it->second;
  }
  seen_[key] = true;
  std::vector<std::string> names;
  for (const auto& f : kFunctions) names.emplace_back(f.name);
  auto fns = findFunctions(host_path, names);
  if (!fns || fns->empty()) return nullptr;
  TlsBinary bin{path, host_path, dev, inode, "", {}};
  for (const auto& fn : *fns) {
    const FunctionSpec* spec = nullptr;
    for (const auto& f : kFunctions) {
      if (fn.name == f.name) spec = &f;
    }
    if (!spec) continue;
    auto code = readFileBytes(host_path, fn.file_offset, kDecodeBytes);
    if (!code) continue;
    CallingConvention cc = spec->cc;
    // Go before 1.17 passes arguments on the stack; its functions load the goroutine from
    // thread-local storage first (mov rcx, fs:[-8]), where the register ABI keeps it in r14.
    if (cc == CallingConvention::kGoRegister && !code->empty() && (*code)[0] == 0x64) {
      cc = CallingConvention::kGoStack;
    }
    auto point = chooseProbePoint(*code, fn.vaddr, cc, spec->arg_regs);
    if (!point) continue;
    TlsTarget t;
    t.function = fn.name;
    t.function_offset = fn.file_offset;
    t.probe_offset = fn.file_offset + point->offset_from_entry;
    t.cc = cc;
    t.point = *point;
    bin.library = spec->library;
    bin.targets.push_back(t);
  }
  if (bin.targets.empty()) return nullptr;
  return &hooked_.emplace(key, std::move(bin)).first->second;
}

Result<const TlsBinary*> TlsInventory::analyseFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return errnoError(errno, "stat " + path);
  return analyse(path, path, static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino));
}

Status TlsInventory::scanProcess(const std::string& proc, pid_t pid) {
  std::string dir = proc + "/" + std::to_string(pid);
  std::ifstream maps(dir + "/maps");
  if (!maps) return notFound("no such process " + std::to_string(pid));
  TlsProcess p;
  p.pid = pid;
  p.comm = readComm(dir);
  std::set<std::pair<uint64_t, uint64_t>> mine;
  std::string line;
  while (std::getline(maps, line)) {
    std::istringstream fields(line);
    std::string range, perms, offset, devs, inode_text, path;
    fields >> range >> perms >> offset >> devs >> inode_text;
    std::getline(fields >> std::ws, path);
    if (perms.size() < 3 || perms[2] != 'x' || path.empty() || path[0] != '/') continue;
    if (path.size() > 10 && path.compare(path.size() - 10, 10, " (deleted)") == 0) continue;
    // Through the process's root, so a container's files are the ones opened.
    std::string host_path = dir + "/root" + path;
    struct stat st {};
    if (stat(host_path.c_str(), &st) != 0) continue;
    auto key = std::make_pair(static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino));
    if (mine.count(key)) continue;
    if (analyse(path, host_path, key.first, key.second)) mine.insert(key);
  }
  p.binaries.assign(mine.begin(), mine.end());
  processes_.push_back(std::move(p));
  return okStatus();
}

Status TlsInventory::scan(const std::string& proc, pid_t only_pid) {
  processes_.clear();
  if (only_pid != 0) return scanProcess(proc, only_pid);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(proc, ec)) {
    std::string name = entry.path().filename().string();
    if (!isNumber(name)) continue;
    (void)scanProcess(proc, static_cast<pid_t>(std::stol(name)));  // processes come and go
  }
  if (ec) return Error(ErrorCode::kInternal, "listing " + proc + ": " + ec.message());
  return okStatus();
}

void to_json(nlohmann::json& j, const TlsInventory& inv) {
  nlohmann::json bins = nlohmann::json::array();
  for (const auto& [key, b] : inv.binaries()) {
    nlohmann::json targets = nlohmann::json::array();
    for (const auto& t : b.targets) {
      targets.push_back({{"function", t.function},
                         {"function_offset", t.function_offset},
                         {"probe_offset", t.probe_offset},
                         {"instruction", t.point.instruction},
                         {"emulated", t.point.emulated},
                         {"sp_delta", t.point.sp_delta},
                         {"reason", t.point.reason}});
    }
    bins.push_back({{"path", b.path},
                    {"library", b.library},
                    {"dev", b.dev},
                    {"inode", b.inode},
                    {"targets", targets}});
  }
  nlohmann::json procs = nlohmann::json::array();
  for (const auto& p : inv.processes()) {
    nlohmann::json libs = nlohmann::json::array();
    for (const auto& key : p.binaries) libs.push_back(inv.binaries().at(key).path);
    procs.push_back(
        {{"pid", p.pid}, {"comm", p.comm}, {"inspectable", p.inspectable()}, {"tls", libs}});
  }
  j = {{"binaries", bins}, {"processes", procs}};
}

}  // namespace sluice::agent
