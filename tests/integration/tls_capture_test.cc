// Privileged: TLS plaintext capture with real uprobes on this machine's libssl and node, from
// real clients (curl, node, python3) inside a child cgroup, against a local TLS server.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>

#include <gtest/gtest.h>

#include "harness.h"
#include "privileged.h"
#include "sluice/agent/cgroup.h"
#include "sluice/agent/tls_capture.h"
#include "sluice/agent/tls_discovery.h"

namespace sluice::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Write {
  uint32_t tgid = 0;
  uint64_t cgroup_id = 0;
  uint8_t lib = 0;
  uint32_t total = 0;
  uint8_t flags = 0;
  std::string data;
};

class TlsCaptureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SLUICE_REQUIRE_ROOT();
    auto cg = agent::ScopedCgroup::create(uniqueName("sluice-tls"));
    ASSERT_TRUE(cg.ok()) << cg.error().message();
    cgroup_ = std::move(*cg);
    std::string tmpl = (fs::temp_directory_path() / "sluice-tls-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    ASSERT_EQ(std::system(("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=t "
                           "-keyout " + dir_ + "/key.pem -out " + dir_ + "/cert.pem 2>/dev/null")
                              .c_str()),
              0);
    auto cap = agent::TlsCapture::create("/nonexistent", cgroup_->path(),
                                         {.ring_bytes = 0, .capture_without_hold = true});
    ASSERT_TRUE(cap.ok()) << cap.error().message();
    capture_ = std::move(*cap);
    for (const char* f : {"/usr/lib/x86_64-linux-gnu/libssl.so.3", "/usr/bin/node"}) {
      if (fs::exists(f)) {
        ASSERT_TRUE(inventory_.analyseFile(f).ok());
      }
    }
    std::vector<std::string> errors;
    ASSERT_GE(capture_->attach(inventory_, &errors), 2u) << (errors.empty() ? "" : errors[0]);
  }

  void TearDown() override {
    capture_.reset();
    for (pid_t p : children_) {
      kill(p, SIGKILL);
      waitpid(p, nullptr, 0);
    }
    cgroup_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void tlsServer(const std::string& ip) {
    pid_t pid = fork();
    if (pid == 0) {
      FILE* f = std::freopen("/dev/null", "w", stdout);
      (void)f;
      execlp("openssl", "openssl", "s_server", "-accept", (ip + ":443").c_str(), "-cert",
             (dir_ + "/cert.pem").c_str(), "-key", (dir_ + "/key.pem").c_str(), "-www",
             "-quiet", static_cast<char*>(nullptr));
      _exit(127);
    }
    children_.push_back(pid);
    for (int i = 0; i < 100; ++i) {
      if (std::system(("bash -c 'echo > /dev/tcp/" + ip + "/443' 2>/dev/null").c_str()) == 0) {
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
  }

  // Runs `cmd` (a shell command line, written to a script so its quoting stays intact),
  // inside the scope cgroup or outside it.
  int run(const std::string& cmd, bool in_scope) {
    std::FILE* f = std::fopen((dir_ + "/cmd.sh").c_str(), "w");
    std::fprintf(f, "%s\n", cmd.c_str());
    std::fclose(f);
    std::string full = in_scope ? "sh -c 'echo $$ > " + cgroup_->path() +
                                      "/cgroup.procs && exec sh " + dir_ + "/cmd.sh' >/dev/null 2>&1"
                                : "sh " + dir_ + "/cmd.sh >/dev/null 2>&1";
    return std::system(full.c_str());
  }

  // Reassembles the chunks drained so far into whole writes.
  std::vector<Write> writes() {
    std::this_thread::sleep_for(150ms);
    std::map<std::pair<uint32_t, uint64_t>, Write> by_id;
    agent::TlsCapture::Handlers handlers;
    handlers.chunk = [&](const sluice_tls_chunk& c) {
      Write& w = by_id[{c.tgid, c.seq}];
      w.tgid = c.tgid;
      w.cgroup_id = c.cgroup_id;
      w.lib = c.lib;
      w.total = c.total;
      w.flags |= c.flags;
      if (w.data.size() < c.offset + c.len) w.data.resize(c.offset + c.len);
      w.data.replace(c.offset, c.len, reinterpret_cast<const char*>(c.data), c.len);
    };
    auto s = capture_->drain(handlers);
    EXPECT_TRUE(s.ok());
    std::vector<Write> out;
    for (auto& [id, w] : by_id) out.push_back(std::move(w));
    return out;
  }

  const Write* find(const std::vector<Write>& ws, const std::string& needle) {
    for (const auto& w : ws) {
      if (w.data.find(needle) != std::string::npos) return &w;
    }
    return nullptr;
  }

  std::unique_ptr<agent::ScopedCgroup> cgroup_;
  std::unique_ptr<agent::TlsCapture> capture_;
  agent::TlsInventory inventory_;
  std::string dir_;
  std::vector<pid_t> children_;
};

TEST_F(TlsCaptureTest, CurlRequestIsCapturedBeforeEncryption) {
  tlsServer("127.0.0.41");
  ASSERT_EQ(run("curl -sk -H 'X-Test: marker-41' https://127.0.0.41/hello", true), 0);
  auto ws = writes();
  const Write* w = find(ws, "GET /hello HTTP/1.1");
  ASSERT_NE(w, nullptr) << ws.size() << " writes captured";
  EXPECT_NE(w->data.find("X-Test: marker-41"), std::string::npos);
  EXPECT_EQ(w->cgroup_id, cgroup_->id());
  EXPECT_EQ(w->lib, SLUICE_TLS_OPENSSL);
  EXPECT_EQ(w->data.size(), w->total);
  EXPECT_EQ(w->flags & (SLUICE_TLS_F_TRUNCATED | SLUICE_TLS_F_READ_FAILED), 0);
}

TEST_F(TlsCaptureTest, ProcessesOutsideTheScopeAreNotCaptured) {
  tlsServer("127.0.0.42");
  ASSERT_EQ(run("curl -sk -H 'X-Test: outside-42' https://127.0.0.42/", false), 0);
  EXPECT_EQ(find(writes(), "outside-42"), nullptr);
}

TEST_F(TlsCaptureTest, NodeWithStaticallyLinkedOpensslIsCaptured) {
  SLUICE_REQUIRE(fs::exists("/usr/bin/node"), "no /usr/bin/node");
  tlsServer("127.0.0.43");
  std::string js =
      "process.env.NODE_TLS_REJECT_UNAUTHORIZED='0';"
      "require('https').get({host:'127.0.0.43',path:'/from-node',headers:{'x-test':'node-43'}},"
      "r=>{r.resume();r.on('end',()=>process.exit(0))})";
  ASSERT_EQ(run("node -e \"" + js + "\"", true), 0);
  auto ws = writes();
  const Write* w = find(ws, "GET /from-node HTTP/1.1");
  ASSERT_NE(w, nullptr);
  EXPECT_NE(w->data.find("node-43"), std::string::npos);
}

TEST_F(TlsCaptureTest, OneMegabyteBodyArrivesWhole) {
  tlsServer("127.0.0.44");
  std::string py =
      "import http.client, ssl\n"
      "c = http.client.HTTPSConnection('127.0.0.44', timeout=3,\n"
      "                                 context=ssl._create_unverified_context())\n"
      "try:\n"
      "    c.request('POST', '/big', body=b'A' * 1048576)\n"
      "except OSError:\n"
      "    pass  # the test server does not read request bodies; the write was captured\n";
  std::FILE* f = std::fopen((dir_ + "/big.py").c_str(), "w");
  std::fputs(py.c_str(), f);
  std::fclose(f);
  run("timeout 10 python3 " + dir_ + "/big.py", true);
  auto ws = writes();
  const Write* body = nullptr;
  for (const auto& w : ws) {
    if (w.total == 1048576) body = &w;
  }
  ASSERT_NE(body, nullptr) << "no 1 MiB write among " << ws.size();
  EXPECT_EQ(body->data.size(), 1048576u);
  EXPECT_EQ(body->data.find_first_not_of('A'), std::string::npos);
  EXPECT_EQ(body->flags & (SLUICE_TLS_F_TRUNCATED | SLUICE_TLS_F_READ_FAILED), 0);
  EXPECT_NE(find(ws, "POST /big HTTP/1.1"), nullptr) << "headers in their own write";
}

}  // namespace
}  // namespace sluice::testing
