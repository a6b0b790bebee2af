// File: web_console.h
//
// The incident-responder console: an HTTPS server inside `sluice-controller serve` that serves
// the built front end (static files, no third-party hosts) and a JSON API over the same
// components the gRPC services call. Every API route names the gRPC method it corresponds to
// and is authorised with the same RBAC table (rbac.h), so a role can do in the browser exactly
// what it can do with sluicectl, whatever the page shows.
//
// People sign in once with an API token and a TOTP code and get a session cookie (Secure,
// HttpOnly, SameSite=Strict) that expires after `idle_timeout_seconds` without a request
// (HIPAA automatic logoff). Mutations also need the session's CSRF token in X-CSRF-Token.
//
//   SLUICE_ASSIGN_OR_RETURN(auto console, WebConsole::start(controller, options));
//   console->port();  // the bound port, for --web-listen 127.0.0.1:0
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sluice/common/result.h"
#include "sluice/controller/controller.h"

namespace sluice::controller {

struct WebOptions {
  std::string listen;     // host:port; empty = no console
  std::string port_file;  // written with the bound port once serving
  std::string root;       // the built front end; empty = the installed or build-tree copy
  int64_t idle_timeout_seconds = 15 * 60;
  int64_t max_session_seconds = 12 * 3600;
};

class WebConsole {
 public:
  static Result<std::unique_ptr<WebConsole>> start(Controller& controller,
                                                   const WebOptions& options);
  virtual ~WebConsole() = default;
  virtual int port() const = 0;
  virtual void stop() = 0;
};

// Where the built console is looked for when WebOptions::root is empty.
std::string defaultWebRoot();

}  // namespace sluice::controller
