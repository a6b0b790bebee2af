// File: api.h
//
// The console's JSON API as a table of routes. Each route names the gRPC method whose RBAC
// row governs it; the server (web_console.cc) authenticates the session, checks CSRF for
// mutations and calls authorizeRole with that method before the handler runs, so a handler
// only translates between JSON and the controller's components, as the gRPC services do.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/common/result.h"
#include "sluice/controller/controller.h"
#include "web/session_store.h"

namespace sluice::controller::web {

struct ApiRequest {
  const Session& session;
  std::vector<std::string> matches;               // the route pattern's capture groups
  std::function<std::string(const char*)> param;  // query parameter, "" when absent
  nlohmann::json body;                            // POST only; an object
};

using ApiHandler = std::function<Result<nlohmann::json>(const ApiRequest&)>;

struct ApiRoute {
  bool post = false;
  std::string pattern;      // a regex over the path, e.g. R"(/api/alerts/([^/]+))"
  std::string grpc_method;  // "/sluice.v1.AlertService/ListAlerts"
  ApiHandler handler;
};

std::vector<ApiRoute> apiRoutes(Controller& controller);

// JSON views of the controller's records, shared by the routes and the live event stream.
nlohmann::json alertJson(const sluice::v1::Alert& alert, const std::string& hostname);

}  // namespace sluice::controller::web
