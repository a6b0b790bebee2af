// File: server.h
//
// The gRPC front of the controller: one TLS port serving agents (mutual TLS with
// CA-issued certificates) and people (TLS plus API token and TOTP in the metadata). Every
// handler authorises its caller against rbac.h before doing anything.
#pragma once

#include <memory>
#include <string>

#include "sluice/common/result.h"
#include "sluice/controller/controller.h"
#include "sluice/controller/web_console.h"

namespace sluice::controller {

struct ServeOptions {
  std::string listen = "127.0.0.1:7443";
  std::string port_file;  // written with the bound port once serving (for --listen ...:0)
  int64_t checkpoint_interval_seconds = 60;
  int64_t watch_poll_ms = 2000;  // how often policy watchers re-read storage
  WebOptions web;                // the incident-responder console (off when web.listen is "")
};

class ControllerServer {
 public:
  static Result<std::unique_ptr<ControllerServer>> start(std::unique_ptr<Controller> controller,
                                                         const ServeOptions& options);
  virtual ~ControllerServer() = default;
  virtual int port() const = 0;
  // Blocks until shutdown() is called from another thread.
  virtual void wait() = 0;
  virtual void shutdown() = 0;
};

// Runs the server until SIGINT or SIGTERM.
Status serveUntilSignalled(std::unique_ptr<Controller> controller, const ServeOptions& options);

}  // namespace sluice::controller
