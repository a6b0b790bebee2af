// File: controller_link.h
//
// The agent's connection to the policy controller. Everything that blocks on the network runs
// on the link's own threads, so the agent's single-threaded event loop never waits for gRPC:
//
//   - the policy thread holds a WatchPolicy stream; each bundle goes through the BundleGuard
//     (signature, no older version, not expired, persisted) and is handed to the loop as a
//     policy file through notifyFd() (an eventfd the loop polls) and takePolicy();
//   - the delivery thread gives every event an id, seals it into the on-disk EventSpool
//     before sending, and removes it only once the controller acknowledged it (at least once;
//     the controller stores each id once). It also sends heartbeats built from the status the
//     loop publishes, the TLS inventory, and renews the certificate when a third of its life
//     is left.
//
// While the controller is away the agent keeps enforcing the last good bundle (persisted in
// the state directory) and events wait in the spool.
//
//   SLUICE_ASSIGN_OR_RETURN(link, ControllerLink::create(options));   // enrols if needed
//   link->submit(event_json);              // from the loop, never blocks on the network
//   link->publishStatus(agent.status());   // from the loop, for heartbeats
//   poll(link->notifyFd()) -> link->takePolicy() -> reload -> link->policyApplied(v, status)
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "sluice/agent/config.h"
#include "sluice/common/result.h"
#include "sluice/controller/agent_client.h"
#include "sluice/controller/event_spool.h"
#include "sluice/v1/agent.pb.h"

namespace sluice::agent {

struct ControllerLinkOptions {
  std::string address;     // host:port; empty: the one remembered at enrolment
  std::string enroll_url;  // enrol with these when the state has no identity yet
  std::string token;
  std::string ca_sha256;
  std::string state_dir;  // the link keeps its files in state_dir/controller/
  std::string hostname;
  std::string agent_version;
  int heartbeat_seconds = 10;
  int inventory_seconds = 600;
};

// The link's options from the agent's configuration, with this host's name and version.
ControllerLinkOptions linkOptions(const AgentConfig& config);

// A policy the controller pushed, written to a file the agent can reload.
struct PushedPolicy {
  uint64_t version = 0;
  std::string file;
  bool audit_first = false;
};

// Maps an agent event (JSON, as Agent::emit() writes it) to the controller's alert, or
// nothing when the event is not one: a deny/block/audit action or verdict, or an alert kind.
std::optional<sluice::v1::AlertEvent> alertFromEvent(const nlohmann::json& event,
                                                     uint64_t policy_version);

// "https://host:port/" or "host:port" -> "host:port".
std::string controllerAddress(const std::string& url);

class ControllerLink {
 public:
  // Enrols first when there is no identity in the state directory and enrolment options are
  // given; a refused token (reused, expired, unknown) is an error naming the reason.
  static Result<std::unique_ptr<ControllerLink>> create(const ControllerLinkOptions& options);
  ~ControllerLink();
  ControllerLink(const ControllerLink&) = delete;
  ControllerLink& operator=(const ControllerLink&) = delete;

  // Starts the threads. Separate from create() so the agent can first install the policy.
  void start();

  // The policy file of the last good bundle, if any (written by create()).
  std::optional<PushedPolicy> currentPolicy() const;
  // For an agent with no policy at all yet: waits up to `timeout_ms` for the controller's
  // first bundle (before start()). kFailedPrecondition when none came.
  Result<PushedPolicy> fetchPolicy(int timeout_ms);
  const std::string& agentId() const { return agent_id_; }
  const std::string& address() const { return options_.address; }

  void submit(const nlohmann::json& event);
  void publishStatus(nlohmann::json status);

  int notifyFd() const { return event_fd_; }
  // The newest accepted bundle not yet taken; clears notifyFd().
  std::optional<PushedPolicy> takePolicy();
  // What the agent did with a taken policy; heartbeats report the version it runs.
  void policyApplied(uint64_t version, const Status& result);

  nlohmann::json status() const;

 private:
  explicit ControllerLink(ControllerLinkOptions options) : options_(std::move(options)) {}
  Status setUp();
  void watchLoop();
  void deliveryLoop();
  void inventoryLoop();
  void enqueue(sluice::v1::Event event);
  void spoolPending();
  bool deliverSpooled();
  bool sendNow(const sluice::v1::EventBatch& batch);
  void sendHeartbeat();
  void maybeRenew();
  Result<PushedPolicy> writePolicy(const sluice::v1::PolicyBundleBody& body);
  std::shared_ptr<grpc::Channel> channel();
  std::string nextEventId();
  void noteState(const std::string& state, const std::string& error);
  void noteRpcFailure(const grpc::Status& status);
  bool stopping() const { return stop_.load(); }
  void sleepFor(int ms);

  ControllerLinkOptions options_;
  std::string dir_;
  std::string agent_id_;
  // The guard belongs to the policy thread, identity and spool to the delivery thread (both
  // are set up before the threads start).
  controller::AgentIdentity identity_;
  std::optional<controller::BundleGuard> guard_;
  std::optional<controller::EventSpool> spool_;
  std::string id_prefix_;
  std::atomic<uint64_t> next_event_{0};

  mutable std::mutex mu_;  // everything below
  std::condition_variable wake_;
  std::shared_ptr<grpc::Channel> channel_;
  std::shared_ptr<grpc::ClientContext> watch_context_;
  std::deque<sluice::v1::Event> pending_;
  nlohmann::json agent_status_;
  std::optional<PushedPolicy> current_;
  std::optional<PushedPolicy> offered_;
  uint64_t running_version_ = 0;
  std::string state_ = "connecting";  // connecting | connected | unreachable | revoked
  std::string last_error_;
  std::string last_bundle_error_;
  uint64_t events_delivered_ = 0;
  uint64_t events_dropped_ = 0;
  uint64_t bundles_refused_ = 0;
  uint64_t spool_batches_ = 0;
  uint32_t inspectable_processes_ = 0;

  int event_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread watch_thread_;
  std::thread delivery_thread_;
  std::thread inventory_thread_;
};

}  // namespace sluice::agent
