// The audit chain names the first bad entry after each kind of tampering, done the way an
// attacker with database access would: with SQL on the SQLite file.
#include <sqlite3.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "controller_test_support.h"
#include "sluice/controller/audit_log.h"

namespace sluice::controller {
namespace {

using testing::FakeClock;
using testing::TempDir;

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = std::move(openStorage("", dir_.path())).value();
    key_ = std::make_unique<crypto::Ed25519Key>(*crypto::Ed25519Key::generate());
    anchor_ = dir_.path() + "/audit-head.json";
    log_ = std::make_unique<AuditLog>(*db_, clock_, *key_, anchor_, 5);
    for (int i = 1; i <= 12; ++i) {
      clock_.advanceSeconds(1);
      ASSERT_TRUE(log_->record("user:alice", "policy.push", "policy/" + std::to_string(i),
                               R"({"n":)" + std::to_string(i) + "}"));
    }
    auto ok = log_->verify();
    ASSERT_TRUE(ok);
    ASSERT_TRUE(ok->ok) << ok->problem;
    ASSERT_EQ(ok->entries_checked, 12u);
    ASSERT_EQ(ok->checkpoints_checked, 2u);  // at 5 and 10
  }

  void sql(const std::string& statement) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((dir_.path() + "/controller.db").c_str(), &raw), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(raw, statement.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(raw);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
  }

  AuditVerifyReport verify() {
    auto r = log_->verify();
    EXPECT_TRUE(r) << r.error().toString();
    return r ? *r : AuditVerifyReport{};
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Storage> db_;
  std::unique_ptr<crypto::Ed25519Key> key_;
  std::string anchor_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditTest, OneChangedByteIsNamed) {
  sql("UPDATE audit_log SET details = '{\"n\":8}' WHERE seq = 7");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 7u);
  EXPECT_NE(r.problem.find("modified"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, ChangedActorIsNamed) {
  sql("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 2");
  EXPECT_EQ(verify().first_bad_seq, 2u);
}

TEST_F(AuditTest, DeletedEntryIsNamed) {
  sql("DELETE FROM audit_log WHERE seq = 4");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4u);
  EXPECT_NE(r.problem.find("missing"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, ReorderedEntriesAreNamed) {
  // Swap the content of entries 3 and 4, each keeping its own hash: the order is all that moved.
  sql("UPDATE audit_log SET seq = -3 WHERE seq = 3;"
      "UPDATE audit_log SET seq = 3 WHERE seq = 4;"
      "UPDATE audit_log SET seq = 4 WHERE seq = -3;");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 3u);
}

TEST_F(AuditTest, RenumberedDeletionIsCaught) {
  // Delete entry 6 and renumber the rest so that the sequence has no gap.
  sql("DELETE FROM audit_log WHERE seq = 6; UPDATE audit_log SET seq = seq - 1 WHERE seq > 6;");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 6u);
}

TEST_F(AuditTest, TruncatedTailIsCaughtByTheSignedHead) {
  sql("DELETE FROM audit_log WHERE seq > 10");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 11u);
  EXPECT_NE(r.problem.find("truncated"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, TruncationIsCaughtByCheckpointsEvenWithoutTheHead) {
  std::filesystem::remove(anchor_);
  log_ = std::make_unique<AuditLog>(*db_, clock_, *key_, "", 5);
  sql("DELETE FROM audit_log WHERE seq > 8");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 9u);
}

TEST_F(AuditTest, RewrittenChainIsCaughtBySignatures) {
  // Change entry 12 and recompute its hash: the chain alone looks fine, the signed head not.
  auto entries = *db_->listAudit(11, 1);
  AuditRecord e = entries.at(0);
  e.actor = "user:mallory";
  std::string forged = AuditLog::entryHash(e);
  sql("UPDATE audit_log SET actor = 'user:mallory', hash = '" + forged + "' WHERE seq = 12");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 12u);
  EXPECT_NE(r.problem.find("signed head"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, ForgedCheckpointSignatureIsCaught) {
  sql("UPDATE audit_checkpoints SET signature = '00' WHERE seq = 5");
  auto r = verify();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 5u);
  EXPECT_NE(r.problem.find("bad signature"), std::string::npos) << r.problem;
}

TEST_F(AuditTest, CheckpointSignsTheCurrentHead) {
  ASSERT_TRUE(log_->checkpoint());
  auto checkpoints = *db_->listCheckpoints();
  ASSERT_EQ(checkpoints.size(), 3u);
  EXPECT_EQ(checkpoints.back().seq, 12u);
  EXPECT_TRUE(verify().ok);
}

}  // namespace
}  // namespace sluice::controller
