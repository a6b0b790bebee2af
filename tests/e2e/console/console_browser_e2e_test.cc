// The console end to end: a real controller with seeded agents, alerts and policies, and the
// browser scenarios in console.test.mjs (playwright-core driving Debian's chromium) against
// its HTTPS port. The scenarios ask for a live alert by creating a file; this harness sends
// it through an enrolled agent's mutual-TLS stream, as a real agent would.
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "controller_process.h"
#include "e2e_util.h"
#include "privileged.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::controller::testing {
namespace {

namespace v1 = ::sluice::v1;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct SeedAlert {
  const char* vendor;
  const char* host;
  const char* process;
  const char* phi_type;
  const char* excerpt;
  v1::Severity severity;
};

// 30 alerts over the last hours: three vendors, three processes, three PHI types, so that
// filters and the second page have something to show.
v1::EventBatch seedAlerts(uint64_t policy_version) {
  const SeedAlert kinds[] = {
      {"deepseek", "api.deepseek.com", "python3", "ssn", "SSN ***-**-6789", v1::SEVERITY_HIGH},
      {"openai", "api.openai.com", "curl", "mrn", "MRN ******4521", v1::SEVERITY_CRITICAL},
      {"anthropic", "api.anthropic.com", "node", "dob", "DOB **/**/1961", v1::SEVERITY_MEDIUM},
  };
  v1::EventBatch batch;
  int64_t now = nowMs();
  for (int i = 0; i < 30; ++i) {
    const SeedAlert& k = kinds[i % 3];
    auto* e = batch.add_events();
    e->set_id("seed-" + std::to_string(i));
    e->set_time_unix_ms(now - static_cast<int64_t>(i) * 20 * 60 * 1000);
    auto* a = e->mutable_alert();
    a->set_vendor(k.vendor);
    a->set_host(k.host);
    a->set_dest_ip("203.0.113." + std::to_string(10 + i % 3));
    a->set_dest_port(443);
    a->set_region("us");
    a->set_severity(k.severity);
    a->set_action("block");
    a->set_reason("phi");
    a->set_rule("phi-to-ai");
    a->set_pid(static_cast<uint32_t>(4000 + i));
    a->set_process(k.process);
    a->set_exe(std::string("/usr/bin/") + k.process);
    a->set_policy_version(policy_version);
    auto* ev = a->add_evidence();
    ev->set_phi_type(k.phi_type);
    ev->set_offset(40);
    ev->set_length(11);
    ev->set_masked_excerpt(k.excerpt);
  }
  return batch;
}

Result<uint64_t> pushPolicy(const ControllerProcess& ctl, const std::string& name) {
  ClientOptions o = ctl.optionsFor(ctl.admin());
  SLUICE_ASSIGN_OR_RETURN(auto channel, makeChannel(o));
  auto stub = v1::PolicyService::NewStub(channel);
  v1::PushPolicyRequest req;
  req.set_yaml(policyYaml(name));
  req.set_file_name(name + ".yaml");
  v1::PushPolicyResponse resp;
  auto status = stub->PushPolicy(makeContext(o).get(), req, &resp);
  if (!status.ok()) return fromGrpcStatus(status);
  return resp.policy().version();
}

TEST(ConsoleBrowserTest, ResponderTriagesInARealBrowser) {
  const std::string node_modules = SLUICE_CONSOLE_NODE_MODULES;
  SLUICE_REQUIRE(exists("/usr/bin/chromium"), "needs Debian's chromium (scripts/install-deps.sh)");
  SLUICE_REQUIRE(exists(node_modules + "/playwright-core"), "needs npm ci in " << node_modules);
  SLUICE_REQUIRE(exists(std::string(SLUICE_CONSOLE_DIST) + "/index.html"),
                 "needs the built console (target sluice_console)");

  ControllerProcess ctl;
  ASSERT_TRUE(ctl.init());
  std::string work = ctl.dataDir() + "/console";
  std::filesystem::create_directories(work);
  ASSERT_TRUE(ctl.start(0, {"--web-listen", "127.0.0.1:0", "--web-port-file", work + "/web-port",
                            "--web-root", SLUICE_CONSOLE_DIST, "--web-idle-timeout", "600"}));
  auto web_port = readFile(work + "/web-port");
  ASSERT_TRUE(web_port) << "the console wrote no port file";

  auto responder = ctl.createPerson("rita", "responder");
  ASSERT_TRUE(responder) << responder.error().toString();
  auto token = ctl.createToken("1h", "env=prod");
  ASSERT_TRUE(token) << token.error().toString();
  auto agent = ctl.enrol(*token, "ward-ws-01");
  ASSERT_TRUE(agent) << agent.error().toString();
  ASSERT_TRUE(pushPolicy(ctl, "hipaa-console-a"));
  auto version = pushPolicy(ctl, "hipaa-console-b");
  ASSERT_TRUE(version) << version.error().toString();
  ASSERT_TRUE(sendBatch(agent->channel, heartbeat("hb-1", *version)));
  ASSERT_TRUE(sendBatch(agent->channel, seedAlerts(*version)));

  // The live alert, sent when the browser asks for it.
  std::atomic<bool> done{false};
  std::string live_error;
  std::thread live([&] {
    while (!done.load() && !exists(work + "/live-request")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (done.load()) return;
    v1::EventBatch batch = alertBatch("live-", 1, 1);
    batch.mutable_events(0)->mutable_alert()->set_process("live-probe");
    auto sent = sendBatch(agent->channel, batch);
    if (!sent) live_error = sent.error().toString();
    (void)writeFileAtomic(work + "/live-sent", "1", 0644);
  });

  std::string artifacts = ::sluice::testing::buildDir() + "/artifacts/console";
  std::filesystem::create_directories(artifacts);
  std::string env = "CONSOLE_URL=https://127.0.0.1:" + std::to_string(std::stoi(*web_port)) +
                    " ADMIN_TOKEN=" + ctl.admin().token +
                    " ADMIN_TOTP_HEX=" + crypto::toHex(ctl.admin().totp_secret) +
                    " RESPONDER_TOKEN=" + responder->token +
                    " RESPONDER_TOTP_HEX=" + crypto::toHex(responder->totp_secret) +
                    " CONSOLE_WORK_DIR=" + work + " ARTIFACT_DIR=" + artifacts +
                    " PLAYWRIGHT_NODE_MODULES=" + node_modules;
  auto result = runCapture(env + " node " + ::sluice::testing::sourceDir() +
                           "/tests/e2e/console/console.test.mjs 2>&1");
  done = true;
  live.join();
  EXPECT_EQ(result.status, 0) << result.out;
  EXPECT_TRUE(live_error.empty()) << live_error;
  std::printf("%s\n", result.out.c_str());
  for (const char* shot : {"failed-login", "overview", "alert-list-filtered", "alert-detail",
                           "alert-resolved", "audit-entry", "policy-rollback-confirm",
                           "responder-push-refused", "live-alert", "idle-logoff"}) {
    EXPECT_TRUE(exists(artifacts + "/" + shot + ".png")) << "no screenshot " << shot;
  }
}

}  // namespace
}  // namespace sluice::controller::testing
