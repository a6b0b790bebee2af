// Probe placement and TLS library discovery: decoded on crafted instruction bytes and on the
// real libssl/node/python of this machine.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "privileged.h"

#include "sluice/agent/elf_symbols.h"
#include "sluice/agent/probe_placement.h"
#include "sluice/agent/tls_discovery.h"

namespace sluice::agent {
namespace {

using Bytes = std::vector<uint8_t>;

ProbePoint place(const Bytes& code, CallingConvention cc = CallingConvention::kSysV,
                 int args = 3) {
  auto p = chooseProbePoint(code, 0x1000, cc, args);
  EXPECT_TRUE(p.ok()) << p.error().message();
  return p.ok() ? *p : ProbePoint{};
}

TEST(ProbePlacement, PushAtTheEntryIsUsedAsIs) {
  auto p = place({0x55, 0x48, 0x89, 0xe5, 0xc3});  // push rbp; mov rbp,rsp; ret
  EXPECT_TRUE(p.emulated);
  EXPECT_EQ(p.offset_from_entry, 0u);
  EXPECT_EQ(p.instruction, "push rbp");
}

TEST(ProbePlacement, SkipsSteppedPrologueToTheFirstEmulatedBranch) {
  // libssl 3.0 SSL_write: sub rsp,0x18; mov rax,fs:0x28; mov [rsp+8],rax; xor eax,eax;
  // test edx,edx; js +0x2f
  Bytes code = {0x48, 0x83, 0xec, 0x18, 0x64, 0x48, 0x8b, 0x04, 0x25, 0x28, 0x00, 0x00, 0x00,
                0x48, 0x89, 0x44, 0x24, 0x08, 0x31, 0xc0, 0x85, 0xd2, 0x78, 0x2f};
  auto p = place(code);
  EXPECT_TRUE(p.emulated);
  EXPECT_EQ(p.offset_from_entry, 0x16u);
  EXPECT_EQ(p.sp_delta, -0x18);
  EXPECT_EQ(p.instruction.rfind("js", 0), 0u) << p.instruction;
}

TEST(ProbePlacement, GoStackAbiPrologueProbesTheStackCheckBranch) {
  // Go 1.16 crypto/tls.(*Conn).Write: mov rcx,fs:[-8]; cmp rsp,[rcx+0x10]; jbe +0x50.
  // Arguments are on the stack, so clobbered registers do not matter; rsp has not moved.
  Bytes code = {0x64, 0x48, 0x8b, 0x0c, 0x25, 0xf8, 0xff, 0xff, 0xff,
                0x48, 0x3b, 0x61, 0x10, 0x76, 0x50};
  auto p = place(code, CallingConvention::kGoStack, 3);
  EXPECT_TRUE(p.emulated);
  EXPECT_EQ(p.offset_from_entry, 13u);
  EXPECT_EQ(p.sp_delta, 0);
  // Under the register ABI the same code writes rcx (the slice length) first: the entry.
  auto reg = place(code, CallingConvention::kGoRegister, 3);
  EXPECT_FALSE(reg.emulated);
  EXPECT_EQ(reg.offset_from_entry, 0u);
}

TEST(ProbePlacement, FallsBackToTheEntryWhenAnArgumentIsOverwrittenFirst) {
  // mov rdx, rax; call rel32 — rdx (third argument) is gone by the call.
  auto p = place({0x48, 0x89, 0xc2, 0xe8, 0x00, 0x00, 0x00, 0x00});
  EXPECT_FALSE(p.emulated);
  EXPECT_EQ(p.offset_from_entry, 0u);
  EXPECT_NE(p.reason.find("argument register"), std::string::npos) << p.reason;
  // With only two argument registers read, rdx does not matter.
  auto two = place({0x48, 0x89, 0xc2, 0xe8, 0x00, 0x00, 0x00, 0x00}, CallingConvention::kSysV, 2);
  EXPECT_TRUE(two.emulated);
  EXPECT_EQ(two.offset_from_entry, 3u);
}

TEST(ProbePlacement, StopsAtControlFlowBeforeAnEmulatedInstruction) {
  // ret before anything emulated: nothing after it is reached from the entry.
  auto p = place({0x48, 0x83, 0xec, 0x08, 0xc3, 0x90});
  EXPECT_FALSE(p.emulated);
  EXPECT_EQ(p.offset_from_entry, 0u);
}

TEST(ProbePlacement, GoPrologueUsesTheStackCheckBranch) {
  // cmp rsp,[r14+0x10]; jbe +0x40 — Go's stack-growth check, before any argument is touched.
  auto p = place({0x49, 0x3b, 0x66, 0x10, 0x76, 0x40}, CallingConvention::kGoRegister, 3);
  EXPECT_TRUE(p.emulated);
  EXPECT_EQ(p.offset_from_entry, 4u);
  // In Go's ABI rax carries the receiver: writing it first forces the entry.
  auto q = place({0x48, 0x31, 0xc0, 0x76, 0x40}, CallingConvention::kGoRegister, 3);
  EXPECT_FALSE(q.emulated);
}

const char* kLibssl = "/usr/lib/x86_64-linux-gnu/libssl.so.3";

TEST(ElfSymbols, FindsOpensslWriteFunctionsInLibssl) {
  SLUICE_REQUIRE(std::filesystem::exists(kLibssl), "no " << kLibssl);
  auto fns = findFunctions(kLibssl, {"SSL_write", "SSL_write_ex", "no_such_function"});
  ASSERT_TRUE(fns.ok()) << fns.error().message();
  ASSERT_EQ(fns->size(), 2u);
  for (const auto& f : *fns) {
    EXPECT_GT(f.file_offset, 0u);
    auto code = readFileBytes(kLibssl, f.file_offset, 64);
    ASSERT_TRUE(code.ok());
    auto p = chooseProbePoint(*code, f.vaddr, CallingConvention::kSysV, 4);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p->emulated) << f.name << ": " << p->reason;
  }
  EXPECT_FALSE(findFunctions("/etc/hostname", {"x"}).ok()) << "not an ELF file";
}

pid_t spawn(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    execvp(a[0], a.data());
    _exit(127);
  }
  return pid;
}

void reap(pid_t pid) {
  kill(pid, SIGKILL);  // only the child this test started
  waitpid(pid, nullptr, 0);
}

const TlsProcess* waitFor(TlsInventory& inv, pid_t pid, const std::string& lib) {
  // Until the child has exec'd, it is a copy of this test binary, which links libssl too.
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::string exe = "/proc/" + std::to_string(pid) + "/exe";
  for (int i = 0; i < 100 && std::filesystem::read_symlink(exe, ec) == self; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(inv.scan("/proc", pid).ok());
    if (!inv.processes().empty() && inv.processes()[0].inspectable()) {
      for (const auto& key : inv.processes()[0].binaries) {
        if (inv.binaries().at(key).library == lib) return &inv.processes()[0];
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  return inv.processes().empty() ? nullptr : &inv.processes()[0];
}

TEST(TlsDiscovery, PythonWithSslIsInspectableThroughSharedLibssl) {
  pid_t py = spawn({"python3", "-c", "import ssl, time; time.sleep(30)"});
  TlsInventory inv;
  const TlsProcess* p = waitFor(inv, py, "openssl");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->inspectable());
  bool found = false;
  for (const auto& key : p->binaries) {
    const auto& b = inv.binaries().at(key);
    if (b.library != "openssl") continue;
    found = true;
    EXPECT_NE(b.host_path.find("/root/"), std::string::npos) << "opened through /proc/PID/root";
    EXPECT_GE(b.targets.size(), 2u);
  }
  EXPECT_TRUE(found);
  reap(py);
}

TEST(TlsDiscovery, ProcessWithoutTlsIsNotInspectable) {
  pid_t s = spawn({"sleep", "30"});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  TlsInventory inv;
  ASSERT_TRUE(inv.scan("/proc", s).ok());
  ASSERT_EQ(inv.processes().size(), 1u);
  EXPECT_FALSE(inv.processes()[0].inspectable());
  reap(s);
}

TEST(TlsDiscovery, NodeHasOpensslLinkedIntoTheExecutable) {
  SLUICE_REQUIRE(std::filesystem::exists("/usr/bin/node"), "no /usr/bin/node");
  pid_t n = spawn({"node", "-e", "setTimeout(() => {}, 30000)"});
  TlsInventory inv;
  const TlsProcess* p = waitFor(inv, n, "openssl");
  ASSERT_NE(p, nullptr);
  bool exe_hooked = false;
  for (const auto& key : p->binaries) {
    const auto& b = inv.binaries().at(key);
    if (b.library == "openssl" && b.path.find("node") != std::string::npos) exe_hooked = true;
  }
  EXPECT_TRUE(exe_hooked);
  reap(n);
}

TEST(TlsDiscovery, EachFileIsAnalysedOnceAcrossProcesses) {
  pid_t a = spawn({"python3", "-c", "import ssl, time; time.sleep(30)"});
  pid_t b = spawn({"python3", "-c", "import ssl, time; time.sleep(30)"});
  TlsInventory inv;
  waitFor(inv, a, "openssl");
  size_t before = inv.binaries().size();
  ASSERT_TRUE(inv.scanProcess("/proc", b).ok());
  EXPECT_EQ(inv.binaries().size(), before) << "the same libssl (dev, inode) is not added twice";
  reap(a);
  reap(b);
}

}  // namespace
}  // namespace sluice::agent
