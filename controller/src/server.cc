#include "sluice/controller/server.h"

#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "grpc_services.h"
#include "sluice/common/logging.h"
#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

class GrpcControllerServer : public ControllerServer {
 public:
  GrpcControllerServer(std::unique_ptr<Controller> controller, ServeOptions options)
      : core_(std::move(controller)),
        options_(std::move(options)),
        agent_(*core_, options_, stopping_),
        auth_(*core_),
        tokens_(*core_),
        agents_admin_(*core_),
        policy_(*core_),
        alerts_(*core_),
        audit_(*core_) {}

  ~GrpcControllerServer() override {
    shutdown();
    if (checkpointer_.joinable()) checkpointer_.join();
  }

  Status start() {
    DataDirPaths& paths = core_->paths;
    grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    SLUICE_ASSIGN_OR_RETURN(ssl.pem_root_certs, readFile(paths.ca_cert));
    grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
    SLUICE_ASSIGN_OR_RETURN(pair.private_key, readFile(paths.server_key));
    SLUICE_ASSIGN_OR_RETURN(pair.cert_chain, readFile(paths.server_cert));
    ssl.pem_key_cert_pairs.push_back(std::move(pair));

    grpc::ServerBuilder builder;
    builder.AddListeningPort(options_.listen, grpc::SslServerCredentials(ssl), &port_);
    for (grpc::Service* s : std::initializer_list<grpc::Service*>{
             &agent_, &auth_, &tokens_, &agents_admin_, &policy_, &alerts_, &audit_}) {
      builder.RegisterService(s);
    }
    server_ = builder.BuildAndStart();
    if (!server_ || port_ == 0) {
      return unavailable("cannot listen on " + options_.listen +
                         " (address in use, or not host:port?)");
    }
    if (!options_.web.listen.empty()) {
      SLUICE_ASSIGN_OR_RETURN(console_, WebConsole::start(*core_, options_.web));
    }
    if (!options_.port_file.empty()) {
      SLUICE_RETURN_IF_ERROR(
          writeFileAtomic(options_.port_file, std::to_string(port_) + "\n", 0644));
    }
    SLUICE_RETURN_IF_ERROR(core_->audit->record("system", "controller.start", "controller",
                                                "{\"port\":" + std::to_string(port_) + "}"));
    checkpointer_ = std::thread([this] { checkpointLoop(); });
    log_->info("serving on {} (port {}, storage {})", options_.listen, port_,
               core_->storage->backendName());
    return okStatus();
  }

  int port() const override { return port_; }

  void wait() override {
    if (server_) server_->Wait();
  }

  void shutdown() override {
    if (stopping_.exchange(true)) return;
    {
      std::lock_guard lock(mu_);
      stop_cv_.notify_all();
    }
    core_->policies->wakeAll();
    if (console_) console_->stop();
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    (void)core_->audit->checkpoint();
  }

 private:
  // Signs the audit head periodically so that a truncated tail is detected even when the
  // anchor file is lost with the database.
  void checkpointLoop() {
    std::unique_lock lock(mu_);
    while (!stopping_.load()) {
      stop_cv_.wait_for(lock, std::chrono::seconds(options_.checkpoint_interval_seconds));
      if (stopping_.load()) break;
      if (auto st = core_->audit->checkpoint(); !st) {
        log_->warn("audit checkpoint failed: {}", st.error().toString());
      }
    }
  }

  std::unique_ptr<Controller> core_;
  ServeOptions options_;
  std::atomic<bool> stopping_{false};
  AgentServiceImpl agent_;
  AuthServiceImpl auth_;
  EnrollTokenServiceImpl tokens_;
  AgentAdminServiceImpl agents_admin_;
  PolicyServiceImpl policy_;
  AlertServiceImpl alerts_;
  AuditServiceImpl audit_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<WebConsole> console_;
  int port_ = 0;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  std::thread checkpointer_;
  std::shared_ptr<spdlog::logger> log_ = logging::get("controller");
};

}  // namespace

Result<std::unique_ptr<ControllerServer>> ControllerServer::start(
    std::unique_ptr<Controller> controller, const ServeOptions& options) {
  auto server = std::make_unique<GrpcControllerServer>(std::move(controller), options);
  SLUICE_RETURN_IF_ERROR(server->start());
  return std::unique_ptr<ControllerServer>(std::move(server));
}

Status serveUntilSignalled(std::unique_ptr<Controller> controller, const ServeOptions& options) {
  // Block the signals in every thread (gRPC's included) and take them in one place.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  SLUICE_ASSIGN_OR_RETURN(auto server, ControllerServer::start(std::move(controller), options));
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    logging::get("controller")->info("signal {}: shutting down", sig);
    server->shutdown();
  });
  server->wait();
  waiter.join();
  return okStatus();
}

}  // namespace sluice::controller
