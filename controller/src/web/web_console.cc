// The console's HTTPS server: TLS with the controller's certificate, the built front end,
// sign-in and sessions, CSRF checks, the RBAC gate in front of every API route, and the live
// alert stream.
#include "sluice/controller/web_console.h"

#include <openssl/ssl.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <thread>

#include <httplib.h>

#include "net.h"
#include "sluice/common/logging.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"
#include "web/api.h"
#include "web/live_feed.h"
#include "web/session_store.h"

namespace sluice::controller {
namespace {

using nlohmann::json;

constexpr const char* kCookie = "__Host-sluice";
constexpr int64_t kStreamTickMs = 15000;  // keep-alive comments; expiry is noticed this often
constexpr size_t kServerThreads = 32;     // each open live stream holds one

int httpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kUnavailable: return 503;
    default: return 500;
  }
}

// Every response: no third-party origins, no framing, no sniffing, no referrers.
void secureHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                 "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  res.set_header("Strict-Transport-Security", "max-age=31536000");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
}

void sendJson(httplib::Response& res, int status, const json& body) {
  secureHeaders(res);
  res.set_header("Cache-Control", "no-store");
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void sendError(httplib::Response& res, const Error& error) {
  sendJson(res, httpStatus(error.code()),
           {{"error", error.message()}, {"code", std::string(errorCodeName(error.code()))}});
}

std::string cookieValue(const httplib::Request& req) {
  std::string header = req.get_header_value("Cookie");
  std::string key = std::string(kCookie) + "=";
  for (size_t at = 0; at < header.size();) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    size_t start = header.find_first_not_of(' ', at);
    if (start < end && header.compare(start, key.size(), key) == 0) {
      return header.substr(start + key.size(), end - start - key.size());
    }
    at = end + 1;
  }
  return "";
}

const char* contentType(const std::string& path) {
  static const std::map<std::string, const char*> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".woff2", "font/woff2"}};
  auto it = kTypes.find(std::filesystem::path(path).extension().string());
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

class HttpsConsole : public WebConsole {
 public:
  HttpsConsole(Controller& core, WebOptions options)
      : core_(core),
        options_(std::move(options)),
        sessions_(core.clock, options_.idle_timeout_seconds * 1000,
                  options_.max_session_seconds * 1000),
        feed_(std::make_shared<web::LiveFeed>()),
        server_([this](SSL_CTX& ctx) { return setupTls(ctx); }) {}

  ~HttpsConsole() override {
    stop();
    if (thread_.joinable()) thread_.join();
  }

  Status start() {
    if (!server_.is_valid()) {
      return failedPrecondition("console TLS setup failed with " + core_.paths.server_cert + ": " +
                                crypto::opensslError());
    }
    SLUICE_ASSIGN_OR_RETURN(HostPort where, splitHostPort(options_.listen, "8443"));
    loadAssets();
    server_.new_task_queue = [] { return new httplib::ThreadPool(kServerThreads); };
    server_.set_payload_max_length(4 << 20);
    routes();
    if (where.port.empty() || where.port.size() > 5 ||
        where.port.find_first_not_of("0123456789") != std::string::npos) {
      return invalidArgument("--web-listen needs host:port, not '" + options_.listen + "'");
    }
    int wanted = std::stoi(where.port);
    if (wanted == 0) {
      port_ = server_.bind_to_any_port(where.host);
    } else {
      port_ = server_.bind_to_port(where.host, wanted) ? wanted : -1;
    }
    if (port_ <= 0) {
      return unavailable("console cannot listen on " + options_.listen +
                         " (address in use, or not host:port?)");
    }
    std::weak_ptr<web::LiveFeed> weak = feed_;
    Controller* core = &core_;
    core_.events->addListener([weak, core](const std::vector<sluice::v1::Alert>& alerts) {
      auto feed = weak.lock();
      if (!feed) return;
      std::vector<std::string> events;
      for (const auto& a : alerts) {
        auto agent = core->storage->findAgent(a.agent_id());
        std::string host = agent && *agent ? (*agent)->hostname : "";
        events.push_back(web::alertJson(a, host).dump());
      }
      feed->publish(std::move(events));
    });
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    if (!options_.port_file.empty()) {
      SLUICE_RETURN_IF_ERROR(
          writeFileAtomic(options_.port_file, std::to_string(port_) + "\n", 0644));
    }
    log_->info("console on https://{}:{}/ ({} asset files from {}, idle logoff after {} s)",
               where.host, port_, assets_.size(), root_, options_.idle_timeout_seconds);
    return okStatus();
  }

  int port() const override { return port_; }

  void stop() override {
    if (stopping_.exchange(true)) return;
    feed_->close();
    server_.stop();
  }

 private:
  bool setupTls(SSL_CTX& ctx) {
    const auto& paths = core_.paths;
    return SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION) == 1 &&
           SSL_CTX_use_certificate_chain_file(&ctx, paths.server_cert.c_str()) == 1 &&
           SSL_CTX_use_PrivateKey_file(&ctx, paths.server_key.c_str(), SSL_FILETYPE_PEM) == 1 &&
           SSL_CTX_check_private_key(&ctx) == 1;
  }

  // The built front end is small; it is read once, so no request can reach another file.
  void loadAssets() {
    root_ = options_.root.empty() ? defaultWebRoot() : options_.root;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_regular_file()) continue;
      auto text = readFile(it->path().string());
      if (text) {
        assets_["/" + std::filesystem::relative(it->path(), root_).generic_string()] =
            std::move(*text);
      }
    }
    if (assets_.count("/index.html") == 0) {
      log_->warn("no console front end in {} (build it with the web target); the API still runs",
                 root_);
    }
  }

  void serveAsset(const std::string& path, httplib::Response& res) {
    auto it = assets_.find(path == "/" ? "/index.html" : path);
    secureHeaders(res);
    if (it == assets_.end()) {
      res.status = 404;
      res.set_content(path == "/" ? "The console front end is not installed.\n" : "not found\n",
                      "text/plain");
      return;
    }
    // Asset names are stable across versions, so the browser revalidates each one.
    res.set_header("Cache-Control", "no-cache");
    res.set_content(it->second, contentType(it->first));
  }

  // Mutations must come from our own pages: a JSON body (no HTML form can send one) and, when
  // the browser names an origin, our own.
  Status checkSameOrigin(const httplib::Request& req) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
      return invalidArgument("requests that change state must send application/json");
    }
    std::string origin = req.get_header_value("Origin");
    if (!origin.empty() && origin != "https://" + req.get_header_value("Host")) {
      return Error(ErrorCode::kPermissionDenied, "cross-origin request refused");
    }
    return okStatus();
  }

  // The session behind the request's cookie; refreshing it counts as activity.
  Result<web::Session> session(const httplib::Request& req, bool refresh) {
    web::Session s;
    std::string id = cookieValue(req);
    switch (sessions_.find(id, refresh, &s)) {
      case web::SessionState::kActive: break;
      case web::SessionState::kExpired:
        (void)core_.audit->record(
            s.principal.actor(), "console.session.expired", "user/" + s.principal.id,
            json{{"idle_timeout_seconds", options_.idle_timeout_seconds}}.dump());
        return Error(ErrorCode::kUnauthenticated, "session expired; sign in again");
      case web::SessionState::kUnknown: return Error(ErrorCode::kUnauthenticated, "sign in first");
    }
    // A person disabled since signing in loses access at once, as with gRPC.
    SLUICE_ASSIGN_OR_RETURN(auto user, core_.storage->findUser(s.principal.id));
    if (!user || user->disabled) {
      sessions_.remove(id);
      return Error(ErrorCode::kUnauthenticated, "this account is disabled");
    }
    return s;
  }

  void login(const httplib::Request& req, httplib::Response& res) {
    if (auto st = checkSameOrigin(req); !st) return sendError(res, st.error());
    json body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) return sendError(res, invalidArgument("expected a JSON object"));
    auto principal =
        core_.auth->authenticatePerson(body.value("token", ""), body.value("totp", ""));
    if (!principal) return sendError(res, principal.error());
    web::Session s = sessions_.create(*principal);
    (void)core_.audit->record(principal->actor(), "console.signin", "user/" + principal->id);
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + s.id +
                                     "; Path=/; Secure; HttpOnly; SameSite=Strict");
    sendJson(res, 200, sessionJson(s));
  }

  json sessionJson(const web::Session& s) {
    json allowed = json::object();
    for (const auto& [method, roles] : rbacTable())
      allowed[method] = roles.count(s.principal.role) > 0;
    return {{"user", s.principal.name},
            {"role", std::string(roleName(s.principal.role))},
            {"csrf", s.csrf},
            {"idle_timeout_seconds", options_.idle_timeout_seconds},
            {"allowed", allowed}};
  }

  void api(const web::ApiRoute& route, const httplib::Request& req, httplib::Response& res) {
    auto s = session(req, true);
    if (!s) return sendError(res, s.error());
    if (route.post) {
      if (auto st = checkSameOrigin(req); !st) return sendError(res, st.error());
      if (!crypto::constantTimeEquals(req.get_header_value("X-CSRF-Token"), s->csrf)) {
        return sendError(res, Error(ErrorCode::kPermissionDenied, "missing or wrong CSRF token"));
      }
    }
    // The same table and the same check as the gRPC services.
    if (auto st = authorizeRole(s->principal.role, route.grpc_method); !st) {
      return sendError(res, st.error());
    }
    web::ApiRequest call{
        *s, {}, [&req](const char* name) { return req.get_param_value(name); }, json::object()};
    for (size_t i = 1; i < req.matches.size(); ++i) call.matches.push_back(req.matches[i].str());
    if (route.post && !req.body.empty()) {
      call.body = json::parse(req.body, nullptr, false);
      if (!call.body.is_object()) return sendError(res, invalidArgument("expected a JSON object"));
    }
    try {
      auto out = route.handler(call);
      if (!out) return sendError(res, out.error());
      sendJson(res, 200, *out);
    } catch (const std::exception& e) {  // a malformed number or JSON type in the request
      sendError(res, invalidArgument(std::string("bad request: ") + e.what()));
    }
  }

  void liveStream(const httplib::Request& req, httplib::Response& res) {
    auto s = session(req, false);
    if (!s) return sendError(res, s.error());
    if (auto st = authorizeRole(s->principal.role, "/sluice.v1.AlertService/ListAlerts"); !st) {
      return sendError(res, st.error());
    }
    secureHeaders(res);
    res.set_header("Cache-Control", "no-store");
    std::string id = cookieValue(req);
    uint64_t after = feed_->head();
    auto feed = feed_;
    res.set_chunked_content_provider(
        "text/event-stream", [this, feed, id, after](size_t, httplib::DataSink& sink) mutable {
          auto events = feed->waitAfter(after, kStreamTickMs);
          if (feed->closed()) return false;
          std::string out;
          if (sessions_.find(id, false, nullptr) != web::SessionState::kActive) {
            sink.write("event: expired\ndata: {}\n\n", 25);
            sink.done();
            return true;
          }
          for (const auto& [seq, data] : events) {
            out += "id: " + std::to_string(seq) + "\nevent: alert\ndata: " + data + "\n\n";
            after = seq;
          }
          if (out.empty()) out = ": keep-alive\n\n";
          return sink.write(out.data(), out.size());
        });
  }

  void routes() {
    server_.Get("/", [this](const auto& req, auto& res) { serveAsset(req.path, res); });
    server_.Get(R"(/(assets/[A-Za-z0-9._-]+|[A-Za-z0-9._-]+\.(?:svg|ico|png|txt)))",
                [this](const auto& req, auto& res) { serveAsset(req.path, res); });
    server_.Post("/api/login", [this](const auto& req, auto& res) { login(req, res); });
    server_.Post("/api/logout", [this](const auto& req, auto& res) {
      auto s = session(req, false);
      if (s) {
        sessions_.remove(cookieValue(req));
        (void)core_.audit->record(s->principal.actor(), "console.signout",
                                  "user/" + s->principal.id);
      }
      res.set_header("Set-Cookie", std::string(kCookie) +
                                       "=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
      sendJson(res, 200, json::object());
    });
    server_.Get("/api/session", [this](const auto& req, auto& res) {
      auto s = session(req, true);
      if (!s) return sendError(res, s.error());
      sendJson(res, 200, sessionJson(*s));
    });
    server_.Get("/api/events", [this](const auto& req, auto& res) { liveStream(req, res); });
    routes_ = web::apiRoutes(core_);
    for (const auto& route : routes_) {
      auto handler = [this, &route](const auto& req, auto& res) { api(route, req, res); };
      if (route.post) {
        server_.Post(route.pattern, handler);
      } else {
        server_.Get(route.pattern, handler);
      }
    }
    server_.set_error_handler([](const auto&, auto& res) {
      if (!res.body.empty()) return;
      sendJson(res, res.status, {{"error", "no such page or API route"}});
    });
  }

  Controller& core_;
  WebOptions options_;
  web::SessionStore sessions_;
  std::shared_ptr<web::LiveFeed> feed_;
  std::vector<web::ApiRoute> routes_;
  std::map<std::string, std::string> assets_;
  std::string root_;
  httplib::SSLServer server_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  int port_ = 0;
  std::shared_ptr<spdlog::logger> log_ = logging::get("console");
};

}  // namespace

std::string defaultWebRoot() {
  for (const char* dir : {SLUICE_CONSOLE_INSTALL_DIR, SLUICE_CONSOLE_BUILD_DIR}) {
    struct stat st {};
    if (::stat((std::string(dir) + "/index.html").c_str(), &st) == 0) return dir;
  }
  return SLUICE_CONSOLE_INSTALL_DIR;
}

Result<std::unique_ptr<WebConsole>> WebConsole::start(Controller& controller,
                                                      const WebOptions& options) {
  auto console = std::make_unique<HttpsConsole>(controller, options);
  SLUICE_RETURN_IF_ERROR(console->start());
  return std::unique_ptr<WebConsole>(std::move(console));
}

}  // namespace sluice::controller
