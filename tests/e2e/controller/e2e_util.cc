#include "e2e_util.h"

#include <sqlite3.h>

#include <chrono>

#include "privileged.h"
#include "sluice/controller/files.h"

namespace sluice::controller::testing {

PolicyWatcher::PolicyWatcher(std::shared_ptr<grpc::Channel> channel) {
  thread_ = std::thread([this, channel] {
    auto stub = sluice::v1::AgentService::NewStub(channel);
    sluice::v1::WatchPolicyRequest req;
    auto reader = stub->WatchPolicy(&context_, req);
    sluice::v1::PolicyBundle bundle;
    while (reader->Read(&bundle)) {
      std::lock_guard lock(mu_);
      bundles_.push_back(bundle);
      cv_.notify_all();
    }
    grpc::Status status = reader->Finish();
    std::lock_guard lock(mu_);
    ended_ = true;
    status_ = status;
    cv_.notify_all();
  });
}

PolicyWatcher::~PolicyWatcher() {
  context_.TryCancel();
  thread_.join();
}

bool PolicyWatcher::waitForVersion(uint64_t version, int timeout_ms) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] {
    for (const auto& b : bundles_) {
      sluice::v1::PolicyBundleBody body;
      if (body.ParseFromString(b.body()) && body.version() >= version) return true;
    }
    return false;
  });
}

std::vector<sluice::v1::PolicyBundle> PolicyWatcher::bundles() {
  std::lock_guard lock(mu_);
  return bundles_;
}

grpc::Status PolicyWatcher::waitForEnd(int timeout_ms) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return ended_; })) {
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "stream still open");
  }
  return status_;
}

sluice::v1::EventBatch alertBatch(const std::string& prefix, int first, int count) {
  sluice::v1::EventBatch batch;
  for (int i = first; i < first + count; ++i) {
    auto* e = batch.add_events();
    e->set_id(prefix + std::to_string(i));
    e->set_time_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count());
    auto* a = e->mutable_alert();
    a->set_vendor("deepseek");
    a->set_host("api.deepseek.com");
    a->set_dest_ip("127.0.0.1");
    a->set_dest_port(443);
    a->set_severity(sluice::v1::SEVERITY_HIGH);
    a->set_action("block");
    a->set_reason("no-baa");
    a->set_process("python3");
    auto* ev = a->add_evidence();
    ev->set_phi_type("ssn");
    ev->set_offset(17);
    ev->set_length(11);
    ev->set_masked_excerpt("SSN ***-**-6789");
  }
  return batch;
}

sluice::v1::EventBatch heartbeat(const std::string& id, uint64_t policy_version) {
  sluice::v1::EventBatch batch;
  auto* e = batch.add_events();
  e->set_id(id);
  auto* h = e->mutable_heartbeat();
  h->set_health("ok");
  h->set_kernel("test");
  h->set_policy_version(policy_version);
  return batch;
}

Result<std::vector<std::string>> sendBatch(const std::shared_ptr<grpc::Channel>& channel,
                                           const sluice::v1::EventBatch& batch) {
  auto stub = sluice::v1::AgentService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->StreamEvents(&ctx);
  sluice::v1::EventAck ack;
  bool acked = stream->Write(batch) && stream->Read(&ack);
  stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) return fromGrpcStatus(status);
  if (!acked) return unavailable("stream closed before the ack");
  return std::vector<std::string>(ack.event_ids().begin(), ack.event_ids().end());
}

std::string policyYaml(const std::string& name) {
  auto text = readFile(::sluice::testing::sourceDir() + "/policy/packs/hipaa-default.yaml");
  std::string yaml = text.valueOr("");
  const std::string from = "name: hipaa-default";
  auto at = yaml.find(from);
  if (at != std::string::npos) yaml.replace(at, from.size(), "name: " + name);
  return yaml;
}

}  // namespace sluice::controller::testing

namespace sluice::controller::testing {

void ControllerE2eTest::SetUpTestSuite() {
  auto pg = TempPostgres::start();
  if (pg) {
    postgres_ = std::move(pg).value().release();
  } else {
    postgres_error_ = pg.error().toString();
  }
}

void ControllerE2eTest::TearDownTestSuite() {
  delete postgres_;
  postgres_ = nullptr;
}

void ControllerE2eTest::SetUp() {
  std::string url;
  if (GetParam() == "postgres") {
    SLUICE_REQUIRE(postgres_ != nullptr, "PostgreSQL unavailable: " << postgres_error_);
    auto db = postgres_->newDatabase();
    ASSERT_TRUE(db) << db.error().toString();
    url = *db;
  }
  ctl_ = std::make_unique<ControllerProcess>(url);
  ASSERT_TRUE(ctl_->init());
  ASSERT_TRUE(ctl_->start());
}

void ControllerE2eTest::TearDown() {
  if (ctl_) ctl_->stop();
}

std::shared_ptr<grpc::Channel> ControllerE2eTest::adminChannel() const {
  return std::move(makeChannel(adminOptions())).value();
}

Result<sluice::v1::PolicyVersion> ControllerE2eTest::push(const std::string& yaml,
                                                          const std::string& selector) {
  auto stub = sluice::v1::PolicyService::NewStub(adminChannel());
  sluice::v1::PushPolicyRequest req;
  req.set_yaml(yaml);
  req.set_file_name("e2e.yaml");
  req.set_selector(selector);
  sluice::v1::PushPolicyResponse resp;
  auto status = stub->PushPolicy(makeContext(adminOptions()).get(), req, &resp);
  if (!status.ok()) return fromGrpcStatus(status);
  return resp.policy();
}

Status ControllerE2eTest::tamper(const std::string& sql) {
  if (!ctl_->dbUrl().empty()) return execPostgres(ctl_->dbUrl(), sql);
  sqlite3* db = nullptr;
  if (sqlite3_open((ctl_->dataDir() + "/data/controller.db").c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return internalError("cannot open the controller's SQLite database");
  }
  sqlite3_busy_timeout(db, 5000);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string msg = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  if (rc != SQLITE_OK) return internalError("sqlite: " + msg);
  return okStatus();
}

std::string backendName(const ::testing::TestParamInfo<std::string>& info) {
  return info.param;
}

}  // namespace sluice::controller::testing
