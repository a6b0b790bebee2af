// One storage suite, run against SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include "controller_test_support.h"
#include "privileged.h"
#include "sluice/controller/storage.h"

namespace sluice::controller {
namespace {

using testing::TempDir;
using testing::TempPostgres;

class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    auto pg = TempPostgres::start();
    if (pg) {
      postgres_ = std::move(pg).value().release();
    } else {
      postgres_error_ = pg.error().toString();
    }
  }
  static void TearDownTestSuite() {
    delete postgres_;
    postgres_ = nullptr;
  }

  void SetUp() override {
    std::string url;
    if (GetParam() == "postgres") {
      SLUICE_REQUIRE(postgres_ != nullptr, "PostgreSQL unavailable: " << postgres_error_);
      auto db_url = postgres_->newDatabase();
      ASSERT_TRUE(db_url) << db_url.error().toString();
      url = *db_url;
    }
    auto opened = openStorage(url, dir_.path());
    ASSERT_TRUE(opened) << opened.error().toString();
    db_ = std::move(opened).value();
    ASSERT_EQ(db_->backendName(), GetParam());
  }

  AgentRecord agent(const std::string& id) {
    AgentRecord a;
    a.id = id;
    a.hostname = "host-" + id;
    a.labels_json = R"({"env":"prod"})";
    a.cert_serial = "01";
    a.cert_not_after = 2000;
    a.enrolled_at = 1000;
    return a;
  }

  static inline TempPostgres* postgres_ = nullptr;
  static inline std::string postgres_error_;
  TempDir dir_;
  std::unique_ptr<Storage> db_;
};

TEST_P(StorageTest, UsersRoundTripAndNamesAreUnique) {
  UserRecord u{"usr-1", "alice", "responder", "hash", "sealed", 100, false};
  ASSERT_TRUE(db_->insertUser(u));
  auto dup = db_->insertUser(UserRecord{"usr-2", "alice", "admin", "h", "s", 101, false});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::kAlreadyExists);
  auto found = db_->findUser("usr-1");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->name, "alice");
  EXPECT_EQ((*found)->role, "responder");
  EXPECT_FALSE((*found)->disabled);
  ASSERT_TRUE(db_->setUserDisabled("usr-1", true));
  EXPECT_TRUE((*db_->findUser("usr-1"))->disabled);
  EXPECT_FALSE(*db_->findUser("usr-404"));
  EXPECT_EQ(db_->listUsers()->size(), 1u);
  EXPECT_FALSE(db_->setUserDisabled("usr-404", true));
}

TEST_P(StorageTest, EnrollTokenIsConsumedOnceAndExpires) {
  ASSERT_TRUE(db_->insertEnrollToken({"tok-1", "h1", "{}", 100, 200, "user:admin", 0, ""}));
  ASSERT_TRUE(db_->insertEnrollToken({"tok-2", "h2", "{}", 100, 150, "user:admin", 0, ""}));
  auto first = db_->consumeEnrollToken("h1", 120, "agt-a");
  ASSERT_TRUE(first) << first.error().toString();
  EXPECT_EQ(first->id, "tok-1");
  auto again = db_->consumeEnrollToken("h1", 121, "agt-b");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(again.error().message().find("already used"), std::string::npos);
  auto expired = db_->consumeEnrollToken("h2", 150, "agt-c");
  ASSERT_FALSE(expired);
  EXPECT_NE(expired.error().message().find("expired"), std::string::npos);
  auto unknown = db_->consumeEnrollToken("nope", 120, "agt-d");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  auto tokens = db_->listEnrollTokens();
  ASSERT_EQ(tokens->size(), 2u);
  EXPECT_EQ(tokens->at(0).used_by, "agt-a");
  EXPECT_EQ(tokens->at(1).used_at, 0);
}

TEST_P(StorageTest, AgentsLifecycle) {
  ASSERT_TRUE(db_->insertAgent(agent("agt-1")));
  ASSERT_TRUE(db_->insertAgent(agent("agt-2")));
  EXPECT_FALSE(db_->insertAgent(agent("agt-1")));
  ASSERT_TRUE(db_->updateAgentCert("agt-1", "02", 3000));
  ASSERT_TRUE(db_->setAgentStatus("agt-2", "revoked"));
  auto a1 = *db_->findAgent("agt-1");
  ASSERT_TRUE(a1);
  EXPECT_EQ(a1->cert_serial, "02");
  EXPECT_EQ(a1->cert_not_after, 3000);
  EXPECT_EQ(a1->labels_json, R"({"env":"prod"})");
  EXPECT_EQ((*db_->findAgent("agt-2"))->status, "revoked");
  EXPECT_EQ(db_->listAgents()->size(), 2u);
  EXPECT_FALSE(db_->setAgentStatus("agt-404", "revoked"));
}

TEST_P(StorageTest, PolicyVersionsIncrease) {
  PolicyRecord p;
  p.name = "hipaa";
  p.sha256 = "aa";
  p.yaml = "kind: EgressPolicy\n";
  p.pushed_by = "user:alice";
  p.pushed_at = 5;
  EXPECT_EQ(*db_->insertPolicy(p), 1u);
  p.selector = "env=prod";
  p.audit_first = true;
  EXPECT_EQ(*db_->insertPolicy(p), 2u);
  p.rollback_of = 1;
  EXPECT_EQ(*db_->insertPolicy(p), 3u);
  auto v2 = *db_->findPolicy(2);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->selector, "env=prod");
  EXPECT_TRUE(v2->audit_first);
  EXPECT_EQ(v2->yaml, "kind: EgressPolicy\n");
  auto list = db_->listPolicies(false);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ(list->at(2).rollback_of, 1u);
  EXPECT_TRUE(list->at(0).yaml.empty());
  EXPECT_FALSE(*db_->findPolicy(9));
}

TEST_P(StorageTest, IngestIsIdempotentAndAppliesHeartbeats) {
  ASSERT_TRUE(db_->insertAgent(agent("agt-1")));
  std::vector<IngestItem> batch;
  for (int i = 0; i < 3; ++i) {
    IngestItem item;
    item.event = {"ev-" + std::to_string(i), "alert", 1000 + i, ""};
    AlertRecord a;
    a.id = item.event.id;
    a.agent_id = "agt-1";
    a.time_ms = 1000 + i;
    a.received_ms = 5000;
    a.severity = i + 1;
    a.vendor = i == 2 ? "deepseek" : "openai";
    a.process = i == 0 ? "curl" : "python3";
    a.phi_types = i == 1 ? ",dob,ssn," : ",ssn,";
    a.detail = "ZGV0YWls";
    a.evidence_sealed = "c2VhbGVk";
    item.alert = a;
    batch.push_back(item);
  }
  IngestItem hb;
  hb.event = {"hb-1", "heartbeat", 4000, ""};
  hb.heartbeat = HeartbeatRecord{4, 7, "0.1.0", "6.18", "ok"};
  batch.push_back(hb);

  EXPECT_EQ(db_->ingest("agt-1", batch)->size(), 4u);
  EXPECT_EQ(db_->ingest("agt-1", batch)->size(), 0u);  // redelivery stores nothing new
  EXPECT_EQ(*db_->countEvents("agt-1"), 4u);
  auto a = *db_->findAgent("agt-1");
  EXPECT_EQ(a->policy_version, 7u);
  EXPECT_EQ(a->kernel, "6.18");
  EXPECT_EQ(a->last_heartbeat, 4);

  AlertFilter all;
  EXPECT_EQ(db_->listAlerts(all)->size(), 3u);
  AlertFilter by_vendor;
  by_vendor.vendor = "deepseek";
  EXPECT_EQ(db_->listAlerts(by_vendor)->size(), 1u);
  AlertFilter severe;
  severe.min_severity = 2;
  EXPECT_EQ(db_->listAlerts(severe)->size(), 2u);
  AlertFilter since;
  since.since_ms = 1002;
  EXPECT_EQ(db_->listAlerts(since)->size(), 1u);
  AlertFilter newest;
  newest.limit = 1;
  auto top = db_->listAlerts(newest);
  ASSERT_EQ(top->size(), 1u);
  EXPECT_EQ(top->at(0).id, "ev-2");
  AlertFilter second_page;  // newest first: ev-2, ev-1, ev-0
  second_page.limit = 1;
  second_page.offset = 1;
  EXPECT_EQ(db_->listAlerts(second_page)->at(0).id, "ev-1");
  EXPECT_EQ(*db_->countAlerts(second_page), 3u);  // limit and offset do not count
  AlertFilter until;
  until.until_ms = 1002;
  EXPECT_EQ(*db_->countAlerts(until), 2u);
  AlertFilter by_process;
  by_process.process = "curl";
  EXPECT_EQ(db_->listAlerts(by_process)->at(0).id, "ev-0");
  EXPECT_EQ(*db_->countAlerts(by_process), 1u);
  AlertFilter by_phi;
  by_phi.phi_type = "dob";
  EXPECT_EQ(*db_->countAlerts(by_phi), 1u);
  by_phi.phi_type = "ssn";
  EXPECT_EQ(*db_->countAlerts(by_phi), 3u);
  by_phi.phi_type = "s%";  // LIKE wildcards are matched literally
  EXPECT_EQ(*db_->countAlerts(by_phi), 0u);

  ASSERT_TRUE(db_->updateAlertTriage("ev-0", "resolved", "bob", "[1]"));
  auto resolved = *db_->findAlert("ev-0");
  EXPECT_EQ(resolved->status, "resolved");
  EXPECT_EQ(resolved->assignee, "bob");
  AlertFilter open_only;
  open_only.status = "open";
  EXPECT_EQ(db_->listAlerts(open_only)->size(), 2u);
  AlertFilter by_assignee;
  by_assignee.assignee = "bob";
  EXPECT_EQ(*db_->countAlerts(by_assignee), 1u);
  EXPECT_EQ(db_->findAlert("ev-1")->value().phi_types, ",dob,ssn,");
  EXPECT_FALSE(db_->updateAlertTriage("ev-404", "resolved", "", "[]"));
}

TEST_P(StorageTest, AuditAppendsInOrderWithCheckpoints) {
  for (int i = 0; i < 3; ++i) {
    auto e = db_->appendAudit([&](const std::optional<AuditRecord>& last) -> Result<AuditRecord> {
      AuditRecord r;
      r.seq = last ? last->seq + 1 : 1;
      r.prev_hash = last ? last->hash : "";
      r.hash = "h" + std::to_string(r.seq);
      r.actor = "user:alice";
      r.action = "x";
      return r;
    });
    ASSERT_TRUE(e) << e.error().toString();
    EXPECT_EQ(e->seq, static_cast<uint64_t>(i + 1));
  }
  auto entries = db_->listAudit(1, 10);
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ(entries->at(0).seq, 2u);
  EXPECT_EQ(entries->at(0).prev_hash, "h1");
  ASSERT_TRUE(db_->insertCheckpoint({3, "h3", 10, "sig"}));
  ASSERT_TRUE(db_->insertCheckpoint({3, "h3", 10, "sig"}));  // idempotent
  EXPECT_EQ(db_->listCheckpoints()->size(), 1u);
  // A failing `make` leaves nothing behind.
  auto failed = db_->appendAudit(
      [](const std::optional<AuditRecord>&) -> Result<AuditRecord> { return internalError("no"); });
  EXPECT_FALSE(failed);
  EXPECT_EQ(db_->listAudit(0, 10)->size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace sluice::controller
