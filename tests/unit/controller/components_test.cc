// AgentRegistry, PolicyStore, EventIngest and Authenticator over real SQLite storage, a fake
// clock and a real CA.
#include <gtest/gtest.h>

#include "controller_test_support.h"
#include "sluice/controller/agent_registry.h"
#include "sluice/controller/auth.h"
#include "sluice/controller/event_ingest.h"
#include "sluice/controller/policy_store.h"
#include "sluice/controller/totp.h"

namespace sluice::controller {
namespace {

using testing::FakeClock;
using testing::TempDir;

Result<ValidatedPolicy> fakeValidator(const std::string& yaml, const std::string& file) {
  if (yaml.find("kind: EgressPolicy") == std::string::npos) {
    return invalidArgument(file + ":1:1: not an EgressPolicy");
  }
  return ValidatedPolicy{"p-" + std::to_string(yaml.size()), crypto::sha256Hex(yaml)};
}

class ComponentsTest : public ::testing::Test {
 protected:
  ComponentsTest()
      : db_(std::move(openStorage("", dir_.path())).value()),
        key_(*crypto::Ed25519Key::generate()),
        ca_(*CertificateAuthority::create("ca", clock_.nowUnix(), 86400 * 365)),
        audit_(*db_, clock_, key_, dir_.path() + "/head.json"),
        registry_(*db_, clock_, audit_, ca_),
        policies_(*db_, clock_, audit_, key_, fakeValidator),
        secrets_(crypto::randomBytes(32)),
        events_(*db_, clock_, audit_, secrets_),
        auth_(*db_, clock_, audit_, secrets_) {}

  Enrollment enrolAgent(const Labels& labels) {
    auto token = registry_.createToken("user:admin", 3600, labels);
    EXPECT_TRUE(token);
    auto e = registry_.enroll(token->secret, *makeCsr(*generateEcKeyPem(), "x"), "host", "0.1");
    EXPECT_TRUE(e) << e.error().toString();
    return *e;
  }

  std::vector<std::string> auditActions() {
    std::vector<std::string> out;
    auto entries = db_->listAudit(0, 1000);
    EXPECT_TRUE(entries);
    if (!entries) return out;
    for (const auto& e : *entries) out.push_back(e.action);
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Storage> db_;
  crypto::Ed25519Key key_;
  CertificateAuthority ca_;
  AuditLog audit_;
  AgentRegistry registry_;
  PolicyStore policies_;
  std::string secrets_;
  EventIngest events_;
  Authenticator auth_;
};

TEST_F(ComponentsTest, EnrolmentIssuesA24hCertAndRefusesTokenReuse) {
  auto token = registry_.createToken("user:admin", 3600, {{"env", "prod"}});
  ASSERT_TRUE(token);
  std::string csr = *makeCsr(*generateEcKeyPem(), "whatever");
  auto bad = registry_.enroll(token->secret, "garbage", "h", "0.1");
  ASSERT_FALSE(bad);  // a bad CSR does not burn the token
  auto e = registry_.enroll(token->secret, csr, "h1", "0.1");
  ASSERT_TRUE(e) << e.error().toString();
  EXPECT_EQ(e->labels.at("env"), "prod");
  EXPECT_EQ(e->cert.not_after_unix, clock_.nowUnix() + 24 * 3600);
  EXPECT_EQ(*certificateCommonName(e->cert.pem), e->agent.id);
  EXPECT_TRUE(verifyCertificate(e->cert.pem, ca_.certPem(), clock_.nowUnix()));

  auto reused = registry_.enroll(token->secret, csr, "h2", "0.1");
  ASSERT_FALSE(reused);
  EXPECT_EQ(reused.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(reused.error().message().find("already used"), std::string::npos);
  auto unknown = registry_.enroll("set_nope", csr, "h3", "0.1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kUnauthenticated);
}

TEST_F(ComponentsTest, ExpiredTokenIsRefused) {
  auto token = registry_.createToken("user:admin", 60, {});
  clock_.advanceSeconds(61);
  auto e = registry_.enroll(token->secret, *makeCsr(*generateEcKeyPem(), "x"), "h", "0.1");
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().message().find("expired"), std::string::npos);
  EXPECT_FALSE(registry_.createToken("user:admin", 0, {}));
}

TEST_F(ComponentsTest, RenewAndRevoke) {
  Enrollment e = enrolAgent({});
  clock_.advanceSeconds(20 * 3600);
  auto renewed = registry_.renew(e.agent.id, *makeCsr(*generateEcKeyPem(), "x"));
  ASSERT_TRUE(renewed);
  EXPECT_EQ(renewed->not_after_unix, clock_.nowUnix() + 24 * 3600);
  ASSERT_TRUE(auth_.authenticateAgent(e.agent.id));
  ASSERT_TRUE(registry_.revoke("user:admin", e.agent.id, "lost laptop"));
  auto refused = auth_.authenticateAgent(e.agent.id);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::kPermissionDenied);
  EXPECT_FALSE(registry_.renew(e.agent.id, *makeCsr(*generateEcKeyPem(), "x")));
  auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "agent.revoke"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "agent.enroll"), actions.end());
}

TEST_F(ComponentsTest, PolicyPushValidatesVersionsAndSigns) {
  auto invalid = policies_.push("user:p", "kind: Nope", "bad.yaml", "", false);
  ASSERT_FALSE(invalid);
  EXPECT_NE(invalid.error().message().find("bad.yaml:1:1"), std::string::npos);
  auto v1 = policies_.push("user:p", "kind: EgressPolicy\n", "a.yaml", "", false);
  auto v2 = policies_.push("user:p", "kind: EgressPolicy\n# v2\n", "a.yaml", "env=prod", true);
  ASSERT_TRUE(v1 && v2);
  EXPECT_EQ(v1->version, 1u);
  EXPECT_EQ(v2->version, 2u);

  auto bundle = policies_.bundle(*v2);
  ASSERT_TRUE(bundle);
  auto body = verifyBundle(*bundle, key_);
  ASSERT_TRUE(body) << body.error().toString();
  EXPECT_EQ(body->version(), 2u);
  EXPECT_TRUE(body->audit_first());
  EXPECT_EQ(body->expires_at_unix(), clock_.nowUnix() + 7 * 24 * 3600);
  EXPECT_EQ(body->policy_sha256(), crypto::sha256Hex(body->policy_yaml()));

  auto wrong_key = crypto::Ed25519Key::generate();
  EXPECT_FALSE(verifyBundle(*bundle, *wrong_key));
  auto tampered = *bundle;
  tampered.mutable_body()->back() ^= 1;
  EXPECT_FALSE(verifyBundle(tampered, key_));
}

TEST_F(ComponentsTest, SelectorsPickTheNewestMatchingVersion) {
  ASSERT_TRUE(policies_.push("u", "kind: EgressPolicy\n", "a", "", false));
  ASSERT_TRUE(policies_.push("u", "kind: EgressPolicy\n#prod\n", "a", "env=prod", false));
  ASSERT_TRUE(policies_.push("u", "kind: EgressPolicy\n#dev\n", "a", "env=dev,team=x", false));
  EXPECT_EQ((*policies_.latestFor({{"env", "prod"}}))->version, 2u);
  EXPECT_EQ((*policies_.latestFor({{"env", "dev"}}))->version, 1u);
  EXPECT_EQ((*policies_.latestFor({{"env", "dev"}, {"team", "x"}}))->version, 3u);
  EXPECT_FALSE(policies_.push("u", "kind: EgressPolicy\n", "a", "novalue", false));
}

TEST_F(ComponentsTest, RollbackReissuesOldContentAsANewVersion) {
  auto v1 = policies_.push("u", "kind: EgressPolicy\n#one\n", "a", "", false);
  ASSERT_TRUE(policies_.push("u", "kind: EgressPolicy\n#two\n", "a", "", false));
  uint64_t generation = policies_.generation();
  auto v3 = policies_.rollback("user:p", 1);
  ASSERT_TRUE(v3);
  EXPECT_EQ(v3->version, 3u);
  EXPECT_EQ(v3->rollback_of, 1u);
  EXPECT_EQ(v3->sha256, v1->sha256);
  EXPECT_NE(policies_.waitForChange(generation, 0), generation);
  EXPECT_FALSE(policies_.rollback("user:p", 42));
  auto actions = auditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "policy.push"), 2);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "policy.rollback"), 1);
}

sluice::v1::EventBatch alertBatch(int count, const std::string& prefix) {
  sluice::v1::EventBatch batch;
  for (int i = 0; i < count; ++i) {
    auto* e = batch.add_events();
    e->set_id(prefix + std::to_string(i));
    e->set_time_unix_ms(1000 + i);
    auto* a = e->mutable_alert();
    a->set_vendor("openai");
    a->set_severity(sluice::v1::SEVERITY_HIGH);
    a->set_action("block");
    auto* ev = a->add_evidence();
    ev->set_phi_type("ssn");
    ev->set_masked_excerpt("SSN ***-**-6789");
  }
  return batch;
}

TEST_F(ComponentsTest, IngestIsIdempotentAndSealsEvidence) {
  Enrollment agent = enrolAgent({});
  auto acks = events_.ingest(agent.agent.id, alertBatch(5, "e"));
  ASSERT_TRUE(acks);
  EXPECT_EQ(acks->size(), 5u);
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(5, "e")));  // redelivered
  AlertFilter all;
  auto listed = events_.list(all);
  ASSERT_EQ(listed->size(), 5u);
  EXPECT_EQ(listed->at(0).detail().evidence_size(), 0);  // lists never carry evidence

  auto stored = *db_->findAlert("e1");
  ASSERT_TRUE(stored);
  auto raw = *crypto::base64Decode(stored->evidence_sealed);
  EXPECT_EQ(raw.find("6789"), std::string::npos) << "evidence stored in the clear";

  auto shown = events_.get("user:bob", "e1");
  ASSERT_TRUE(shown);
  ASSERT_EQ(shown->detail().evidence_size(), 1);
  EXPECT_EQ(shown->detail().evidence(0).masked_excerpt(), "SSN ***-**-6789");
  auto actions = auditActions();
  EXPECT_NE(std::find(actions.begin(), actions.end(), "alert.evidence.view"), actions.end());

  sluice::v1::EventBatch no_id;
  no_id.add_events()->mutable_heartbeat();
  EXPECT_FALSE(events_.ingest(agent.agent.id, no_id));
}

class CollectingSink : public AlertSink {
 public:
  explicit CollectingSink(std::vector<std::string>& ids) : ids_(ids) {}
  std::string name() const override { return "collect"; }
  Status send(const sluice::v1::Alert& alert) override {
    ids_.push_back(alert.id() + "/" + alert.detail().evidence(0).phi_type());
    return okStatus();
  }

 private:
  std::vector<std::string>& ids_;
};

TEST_F(ComponentsTest, OnlyNewAlertsAreExported) {
  Enrollment agent = enrolAgent({});
  std::vector<std::string> exported;
  std::vector<std::unique_ptr<AlertSink>> sinks;
  sinks.push_back(std::make_unique<CollectingSink>(exported));
  AlertExporter exporter(std::move(sinks));
  events_.setExporter(&exporter);
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(2, "x")));
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(3, "x")));  // x0, x1 again + x2
  exporter.drain();
  events_.setExporter(nullptr);
  EXPECT_EQ(exported, (std::vector<std::string>{"x0/ssn", "x1/ssn", "x2/ssn"}));
}

TEST_F(ComponentsTest, TriageMovesStatesAndKeepsNotes) {
  Enrollment agent = enrolAgent({});
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(1, "t")));
  auto acked = events_.triage("user:bob", "t0", TriageAction::kAck, "looking", "");
  ASSERT_TRUE(acked);
  EXPECT_EQ(acked->status(), "acknowledged");
  EXPECT_FALSE(events_.triage("user:bob", "t0", TriageAction::kAssign, "", ""));
  auto assigned = events_.triage("user:bob", "t0", TriageAction::kAssign, "", "carol");
  EXPECT_EQ(assigned->assignee(), "carol");
  auto resolved = events_.triage("user:carol", "t0", TriageAction::kResolve, "false positive", "");
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->status(), "resolved");
  ASSERT_EQ(resolved->notes_size(), 3);
  EXPECT_EQ(resolved->notes(2).text(), "false positive");
  EXPECT_EQ(resolved->notes(2).author(), "user:carol");
  EXPECT_FALSE(events_.triage("user:bob", "missing", TriageAction::kAck, "", ""));
}

TEST_F(ComponentsTest, ListenersHearOfNewAlertsOnceWithTheirPhiTypes) {
  Enrollment agent = enrolAgent({});
  std::vector<std::string> heard;
  events_.addListener([&](const std::vector<sluice::v1::Alert>& alerts) {
    for (const auto& a : alerts) {
      heard.push_back(a.id() + "/" + (a.phi_types_size() ? a.phi_types(0) : "") + "/" +
                      (a.detail().evidence_size() ? "evidence" : "masked-only"));
    }
  });
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(1, "l")));
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(2, "l")));  // l0 again + l1
  // Listeners never receive the evidence, only the types it found.
  EXPECT_EQ(heard, (std::vector<std::string>{"l0/ssn/masked-only", "l1/ssn/masked-only"}));
  AlertFilter by_phi;
  by_phi.phi_type = "ssn";
  EXPECT_EQ(*events_.count(by_phi), 2u);
}

TEST_F(ComponentsTest, FalsePositiveClosesTheAlertAndIsAudited) {
  Enrollment agent = enrolAgent({});
  ASSERT_TRUE(events_.ingest(agent.agent.id, alertBatch(1, "f")));
  auto closed =
      events_.triage("user:rita", "f0", TriageAction::kFalsePositive, "test data, not PHI", "");
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->status(), "false-positive");
  auto entries = db_->listAudit(0, 1000);
  ASSERT_TRUE(entries);
  ASSERT_FALSE(entries->empty());
  EXPECT_EQ(entries->back().action, "alert.false-positive");
  EXPECT_EQ(entries->back().actor, "user:rita");
  EXPECT_EQ(entries->back().target, "alert/f0");
}

TEST_F(ComponentsTest, HeartbeatsDriveOnlineStatus) {
  Enrollment agent = enrolAgent({});
  EXPECT_FALSE(registry_.get(agent.agent.id)->online);
  sluice::v1::EventBatch hb;
  auto* e = hb.add_events();
  e->set_id("hb-1");
  e->mutable_heartbeat()->set_policy_version(3);
  ASSERT_TRUE(events_.ingest(agent.agent.id, hb));
  auto view = registry_.get(agent.agent.id);
  EXPECT_TRUE(view->online);
  EXPECT_EQ(view->record.policy_version, 3u);
  clock_.advanceSeconds(91);
  EXPECT_FALSE(registry_.get(agent.agent.id)->online);
}

TEST_F(ComponentsTest, PeopleNeedTokenAndCurrentTotp) {
  auto user = auth_.createUser("alice", Role::kResponder);
  ASSERT_TRUE(user);
  std::string code = totpCode(user->totp_secret, clock_.nowUnix());
  auto ok = auth_.authenticatePerson(user->api_token, code);
  ASSERT_TRUE(ok) << ok.error().toString();
  EXPECT_EQ(ok->role, Role::kResponder);
  EXPECT_EQ(ok->actor(), "user:alice");

  EXPECT_FALSE(auth_.authenticatePerson(user->api_token, "000000") && code != "000000");
  std::string wrong_token = user->api_token;
  wrong_token.back() = wrong_token.back() == '0' ? '1' : '0';
  auto bad = auth_.authenticatePerson(wrong_token, code);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kUnauthenticated);
  EXPECT_FALSE(auth_.authenticatePerson("garbage", code));
  clock_.advanceSeconds(120);
  EXPECT_FALSE(auth_.authenticatePerson(user->api_token, code));  // stale code

  ASSERT_TRUE(db_->setUserDisabled(user->user.id, true));
  EXPECT_FALSE(
      auth_.authenticatePerson(user->api_token, totpCode(user->totp_secret, clock_.nowUnix())));
  auto actions = auditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "auth.login"), 1);
  EXPECT_GE(std::count(actions.begin(), actions.end(), "auth.failure"), 3);
  EXPECT_FALSE(auth_.createUser("alice", Role::kAdmin));
  EXPECT_FALSE(auth_.createUser("has space", Role::kAdmin));
}

}  // namespace
}  // namespace sluice::controller
