// File: controller.h
//
// The controller's components wired together over one data directory. `initDataDir` is what
// `sluice-controller init` does once; `Controller::open` is what `serve` (and the tests) do on
// every start. The gRPC layer (server.h) only translates between the wire and these parts.
//
// Data directory layout (all secrets mode 0600):
//   ca.crt ca.key            the CA that issues agent and server certificates
//   server.crt server.key    the controller's TLS identity (chain includes ca.crt)
//   policy-signing.key/.pub  Ed25519: policy bundles and audit checkpoints
//   secrets.key              32 bytes, AES-256-GCM for evidence and TOTP secrets at rest
//   audit-head.json          the signed head of the audit chain, kept outside the database
//   controller.db            SQLite (unless --db postgres://...)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sluice/common/result.h"
#include "sluice/controller/agent_registry.h"
#include "sluice/controller/audit_log.h"
#include "sluice/controller/auth.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/event_ingest.h"
#include "sluice/controller/policy_store.h"
#include "sluice/controller/storage.h"

namespace sluice::controller {

struct DataDirPaths {
  explicit DataDirPaths(const std::string& dir);
  std::string dir, ca_cert, ca_key, server_cert, server_key, signing_key, signing_pub, secrets_key,
      audit_anchor;
};

struct InitOptions {
  std::string data_dir;
  std::string db_url;  // "" = SQLite in the data directory
  std::string admin_name = "admin";
  std::vector<std::string> server_names;  // extra DNS names / IPs for the server certificate
};

struct InitResult {
  std::string admin_token;
  std::string admin_totp_secret_base32;
  std::string admin_totp_uri;
  std::string ca_fingerprint_sha256;
};

Result<InitResult> initDataDir(const InitOptions& options, const Clock& clock);

// Where alerts are exported; every field may be empty.
struct ExportOptions {
  std::string syslog_url;  // udp://host:port or tcp://host:port
  std::string syslog_format = "cef";
  std::string webhook_url;  // https://host[:port]/path
  std::string webhook_secret_file;
  std::string webhook_ca_file;  // empty = system trust store
};

// Validates with the sluice_policy library when it is linked in.
PolicyValidator defaultPolicyValidator();

class Controller {
 public:
  static Result<std::unique_ptr<Controller>> open(const std::string& data_dir,
                                                  const std::string& db_url, const Clock& clock,
                                                  PolicyValidator validator);

  const Clock& clock;
  DataDirPaths paths;
  std::unique_ptr<Storage> storage;
  std::unique_ptr<CertificateAuthority> ca;
  crypto::Ed25519Key signing_key;
  std::unique_ptr<AuditLog> audit;
  std::unique_ptr<Authenticator> auth;
  std::unique_ptr<AgentRegistry> agents;
  std::unique_ptr<PolicyStore> policies;
  std::unique_ptr<EventIngest> events;
  std::unique_ptr<AlertExporter> exporter;  // null when nothing is exported

  Status configureExports(const ExportOptions& options);

 private:
  Controller(const Clock& c, DataDirPaths p, crypto::Ed25519Key key)
      : clock(c), paths(std::move(p)), signing_key(std::move(key)) {}
};

}  // namespace sluice::controller
