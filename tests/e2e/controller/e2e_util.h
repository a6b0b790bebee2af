// File: e2e_util.h
//
// Small agent-side helpers for the controller e2e tests: a policy watcher that collects the
// bundles a WatchPolicy stream delivers, event batches, and sending a batch until it is
// acknowledged.
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "controller_process.h"
#include "sluice/v1/agent.grpc.pb.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::controller::testing {

class PolicyWatcher {
 public:
  explicit PolicyWatcher(std::shared_ptr<grpc::Channel> channel);
  ~PolicyWatcher();
  // True once a bundle with version >= `version` arrived within the timeout.
  bool waitForVersion(uint64_t version, int timeout_ms);
  std::vector<sluice::v1::PolicyBundle> bundles();
  // Waits for the stream to end; returns its status.
  grpc::Status waitForEnd(int timeout_ms);

 private:
  grpc::ClientContext context_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<sluice::v1::PolicyBundle> bundles_;
  bool ended_ = false;
  grpc::Status status_;
};

sluice::v1::EventBatch alertBatch(const std::string& prefix, int first, int count);
sluice::v1::EventBatch heartbeat(const std::string& id, uint64_t policy_version);

// Sends one batch on a fresh stream and returns the acknowledged ids (or the error).
Result<std::vector<std::string>> sendBatch(const std::shared_ptr<grpc::Channel>& channel,
                                           const sluice::v1::EventBatch& batch);

// The default policy pack with another name, so that each push is a distinct file.
std::string policyYaml(const std::string& name);

}  // namespace sluice::controller::testing

namespace sluice::controller::testing {

// Runs each test against a fresh controller on SQLite and on PostgreSQL.
class ControllerE2eTest : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  void SetUp() override;
  void TearDown() override;

  // Admin call helpers over the typed stubs.
  ClientOptions adminOptions() const { return ctl_->optionsFor(ctl_->admin()); }
  std::shared_ptr<grpc::Channel> adminChannel() const;
  Result<sluice::v1::PolicyVersion> push(const std::string& yaml, const std::string& selector);
  // Runs SQL on the controller's database (SQLite file or PostgreSQL).
  Status tamper(const std::string& sql);

  std::unique_ptr<ControllerProcess> ctl_;

 private:
  static inline TempPostgres* postgres_ = nullptr;
  static inline std::string postgres_error_;
};

std::string backendName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace sluice::controller::testing
