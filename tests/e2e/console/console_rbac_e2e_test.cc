// The console's JSON API against the RBAC matrix: every route, called by every role over real
// HTTPS, is refused with 403 exactly where the gRPC method it stands for is refused (the same
// expectations file as the gRPC matrix test), and every route answers 401 without a session.
#include <chrono>
#include <ctime>
#include <map>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "controller_process.h"
#include "rbac_expectations.h"
#include "sluice/controller/files.h"
#include "sluice/controller/totp.h"
#include "web/api.h"

namespace sluice::controller::testing {
namespace {

struct Caller {
  char letter;
  std::string role;
  Person person;
  httplib::Headers headers;  // cookie and CSRF token once signed in
};

// Which gRPC method each console route stands for, written down independently of the routes
// (controller/src/web/api_routes.cc): a route mapped to a laxer method, or a new route without
// a row here, fails the test.
const std::map<std::string, std::string> kRouteMethods = {
    {"GET /api/alerts", "AlertService/ListAlerts"},
    {"GET /api/alerts/:id", "AlertService/GetAlert"},
    {"POST /api/alerts/:id/ack", "AlertService/AckAlert"},
    {"POST /api/alerts/:id/assign", "AlertService/AssignAlert"},
    {"POST /api/alerts/:id/resolve", "AlertService/ResolveAlert"},
    {"POST /api/alerts/:id/false-positive", "AlertService/MarkFalsePositive"},
    {"GET /api/overview", "AlertService/ListAlerts"},
    {"GET /api/agents", "AgentAdminService/ListAgents"},
    {"GET /api/policies", "PolicyService/ListPolicyHistory"},
    {"GET /api/policies/status", "PolicyService/GetPolicyStatus"},
    {"GET /api/policies/diff", "PolicyService/GetPolicy"},
    {"GET /api/policies/:version", "PolicyService/GetPolicy"},
    {"POST /api/policies/preview", "PolicyService/PushPolicy"},
    {"POST /api/policies", "PolicyService/PushPolicy"},
    {"POST /api/policies/:version/rollback", "PolicyService/RollbackPolicy"},
    {"GET /api/audit", "AuditService/ListAudit"},
    {"GET /api/audit/verify", "AuditService/VerifyAudit"},
};

// The route pattern with its capture groups (version numbers, ids) replaced.
std::string fill(const std::string& pattern, const char* version, const char* id) {
  std::string path = std::regex_replace(pattern, std::regex(R"(\(\[0-9\]\{1,19\}\))"), version);
  return std::regex_replace(path, std::regex(R"(\(\[A-Za-z0-9[^)]*\))"), id);
}

// "POST /api/alerts/:id/ack" for the route's pattern.
std::string routeKey(const web::ApiRoute& route) {
  return (route.post ? "POST " : "GET ") + fill(route.pattern, ":version", ":id");
}

// The routes as the server builds them, from a scratch controller of its own.
std::vector<web::ApiRoute> routes(const std::string& scratch, std::unique_ptr<Controller>& keep) {
  SystemClock clock;
  InitOptions init;
  init.data_dir = scratch;
  EXPECT_TRUE(initDataDir(init, clock));
  auto opened = Controller::open(scratch, "", clock, defaultPolicyValidator());
  EXPECT_TRUE(opened);
  if (!opened) return {};
  keep = std::move(opened).value();
  return web::apiRoutes(*keep);
}

TEST(ConsoleRbacTest, EveryRouteFollowsTheGrpcMatrix) {
  ControllerProcess ctl;
  ASSERT_TRUE(ctl.init());
  std::string port_file = ctl.dataDir() + "/web-port";
  ASSERT_TRUE(ctl.start(0, {"--web-listen", "127.0.0.1:0", "--web-port-file", port_file}));
  auto port = readFile(port_file);
  ASSERT_TRUE(port);

  httplib::SSLClient client("127.0.0.1", std::stoi(*port));
  client.set_ca_cert_path((ctl.dataDir() + "/data/ca.crt").c_str());
  client.enable_server_certificate_verification(true);

  std::vector<Caller> callers = {{'a', "admin", ctl.admin(), {}}};
  for (auto [letter, role] : std::vector<std::pair<char, std::string>>{
           {'p', "policy-author"}, {'r', "responder"}, {'u', "auditor"}}) {
    auto person = ctl.createPerson("web-" + role, role);
    ASSERT_TRUE(person) << person.error().toString();
    callers.push_back({letter, role, *person, {}});
  }
  for (auto& c : callers) {
    nlohmann::json login = {{"token", c.person.token},
                            {"totp", totpCode(c.person.totp_secret, std::time(nullptr))}};
    auto res = client.Post("/api/login", login.dump(), "application/json");
    ASSERT_TRUE(res) << "no answer from the console: " << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << c.role << ": " << res->body;
    std::string cookie = res->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("; Secure; HttpOnly; SameSite=Strict"), std::string::npos) << cookie;
    c.headers = {{"Cookie", cookie.substr(0, cookie.find(';'))},
                 {"X-CSRF-Token", nlohmann::json::parse(res->body).at("csrf")}};
  }

  std::unique_ptr<Controller> scratch;
  auto all = routes(ctl.dataDir() + "/scratch", scratch);
  ASSERT_EQ(all.size(), kRouteMethods.size());
  int checked = 0;
  for (const auto& route : all) {
    auto expected = kRouteMethods.find(routeKey(route));
    ASSERT_NE(expected, kRouteMethods.end()) << routeKey(route) << " has no row in kRouteMethods";
    EXPECT_EQ(route.grpc_method, "/sluice.v1." + expected->second) << routeKey(route);
    std::string method = expected->second;
    ASSERT_EQ(kRbacExpectations.count(method), 1u) << route.pattern << " names " << method;
    std::string path = fill(route.pattern, "1", "seed-0");
    auto call = [&](const httplib::Headers& headers) {
      return route.post ? client.Post(path.c_str(), headers, "{}", "application/json")
                        : client.Get(path.c_str(), headers);
    };
    auto anonymous = call({});
    ASSERT_TRUE(anonymous);
    EXPECT_EQ(anonymous->status, 401) << path << " without a session";
    for (const auto& c : callers) {
      bool allowed = kRbacExpectations.at(method).find(c.letter) != std::string::npos;
      auto res = call(c.headers);
      ASSERT_TRUE(res) << path;
      EXPECT_NE(res->status, 401) << c.role << " on " << path << ": " << res->body;
      EXPECT_EQ(res->status != 403, allowed)
          << c.role << " on " << (route.post ? "POST " : "GET ") << path << " (" << method
          << "): " << res->status << " " << res->body;
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(all.size()) * 4);
}

// --web-idle-timeout reaches the sessions: a session unused for longer is gone (automatic
// logoff), one in use stays, and logout ends one at once.
TEST(ConsoleRbacTest, IdleSessionsAreSignedOut) {
  ControllerProcess ctl;
  ASSERT_TRUE(ctl.init());
  std::string port_file = ctl.dataDir() + "/web-port";
  ASSERT_TRUE(ctl.start(
      0, {"--web-listen", "127.0.0.1:0", "--web-port-file", port_file, "--web-idle-timeout", "2"}));
  auto port = readFile(port_file);
  ASSERT_TRUE(port);
  httplib::SSLClient client("127.0.0.1", std::stoi(*port));
  client.enable_server_certificate_verification(false);
  auto signIn = [&]() -> httplib::Headers {
    nlohmann::json login = {{"token", ctl.admin().token},
                            {"totp", totpCode(ctl.admin().totp_secret, std::time(nullptr))}};
    auto res = client.Post("/api/login", login.dump(), "application/json");
    EXPECT_TRUE(res && res->status == 200);
    if (!res) return {};
    std::string cookie = res->get_header_value("Set-Cookie");
    return {{"Cookie", cookie.substr(0, cookie.find(';'))},
            {"X-CSRF-Token", nlohmann::json::parse(res->body).value("csrf", "")}};
  };
  auto status = [&](const httplib::Headers& h) {
    auto res = client.Get("/api/session", h);
    return res ? res->status : -1;
  };

  httplib::Headers idle = signIn();
  httplib::Headers busy = signIn();
  for (int i = 0; i < 3; ++i) {  // 3 s in all, a request every second
    std::this_thread::sleep_for(std::chrono::seconds(1));
    EXPECT_EQ(status(busy), 200) << "a session in use stays";
  }
  auto res = client.Get("/api/session", idle);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_NE(res->body.find("session expired"), std::string::npos) << res->body;

  auto out = client.Post("/api/logout", busy, "{}", "application/json");
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, 200);
  EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(status(busy), 401) << "logout ends the session";
}

}  // namespace
}  // namespace sluice::controller::testing
