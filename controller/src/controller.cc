#include "sluice/controller/controller.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "sluice/common/logging.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"
#include "sluice/controller/totp.h"

namespace sluice::controller {
namespace {

constexpr int64_t kCaValiditySeconds = 10LL * 365 * 24 * 3600;
constexpr int64_t kServerCertValiditySeconds = 365LL * 24 * 3600;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

DataDirPaths::DataDirPaths(const std::string& d)
    : dir(d),
      ca_cert(d + "/ca.crt"),
      ca_key(d + "/ca.key"),
      server_cert(d + "/server.crt"),
      server_key(d + "/server.key"),
      signing_key(d + "/policy-signing.key"),
      signing_pub(d + "/policy-signing.pub"),
      secrets_key(d + "/secrets.key"),
      audit_anchor(d + "/audit-head.json") {}

Result<InitResult> initDataDir(const InitOptions& options, const Clock& clock) {
  if (options.data_dir.empty()) return invalidArgument("--data-dir is required");
  DataDirPaths paths(options.data_dir);
  if (::mkdir(paths.dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return errnoError(errno, "cannot create " + paths.dir);
  }
  if (exists(paths.ca_key)) {
    return Error(ErrorCode::kAlreadyExists,
                 paths.dir + " is already initialised (ca.key exists); refusing to overwrite");
  }
  int64_t now = clock.nowUnix();
  SLUICE_ASSIGN_OR_RETURN(
      auto ca, CertificateAuthority::create("Sluice controller CA", now, kCaValiditySeconds));
  SLUICE_ASSIGN_OR_RETURN(std::string ca_key, ca.keyPem());
  std::vector<std::string> names = {"localhost", "127.0.0.1", "::1"};
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) == 0 && host[0] != '\0') names.emplace_back(host);
  names.insert(names.end(), options.server_names.begin(), options.server_names.end());
  SLUICE_ASSIGN_OR_RETURN(
      auto server, ca.issueServerCert("sluice-controller", names, now, kServerCertValiditySeconds));
  SLUICE_ASSIGN_OR_RETURN(auto signing, crypto::Ed25519Key::generate());
  SLUICE_ASSIGN_OR_RETURN(std::string signing_pem, signing.privatePem());
  SLUICE_ASSIGN_OR_RETURN(std::string signing_pub, signing.publicPem());

  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.ca_cert, ca.certPem(), 0644));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.ca_key, ca_key, 0600));
  // The chain includes the CA so that an enrolling agent can pin its fingerprint.
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.server_cert, server.first.pem + ca.certPem(), 0644));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.server_key, server.second, 0600));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.signing_key, signing_pem, 0600));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.signing_pub, signing_pub, 0644));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(paths.secrets_key, crypto::randomBytes(32), 0600));

  SLUICE_ASSIGN_OR_RETURN(auto controller, Controller::open(options.data_dir, options.db_url, clock,
                                                            defaultPolicyValidator()));
  SLUICE_ASSIGN_OR_RETURN(auto admin,
                          controller->auth->createUser(options.admin_name, Role::kAdmin));
  SLUICE_RETURN_IF_ERROR(
      controller->audit->record("system", "controller.init", "user/" + admin.user.id));
  InitResult out;
  out.admin_token = admin.api_token;
  out.admin_totp_secret_base32 = crypto::base32Encode(admin.totp_secret);
  out.admin_totp_uri = totpUri(admin.totp_secret, options.admin_name);
  out.ca_fingerprint_sha256 = ca.fingerprintSha256();
  return out;
}

Status Controller::configureExports(const ExportOptions& options) {
  std::vector<std::unique_ptr<AlertSink>> sinks;
  if (!options.syslog_url.empty()) {
    SLUICE_ASSIGN_OR_RETURN(auto sink, makeSyslogSink(options.syslog_url, options.syslog_format));
    sinks.push_back(std::move(sink));
  }
  if (!options.webhook_url.empty()) {
    if (options.webhook_secret_file.empty()) {
      return invalidArgument("--webhook needs --webhook-secret-file");
    }
    SLUICE_ASSIGN_OR_RETURN(std::string secret, readFile(options.webhook_secret_file));
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    SLUICE_ASSIGN_OR_RETURN(auto sink,
                            makeWebhookSink(options.webhook_url, secret, options.webhook_ca_file));
    sinks.push_back(std::move(sink));
  }
  events->setExporter(nullptr);
  exporter.reset();
  if (sinks.empty()) return okStatus();
  exporter = std::make_unique<AlertExporter>(std::move(sinks));
  events->setExporter(exporter.get());
  return okStatus();
}

Result<std::unique_ptr<Controller>> Controller::open(const std::string& data_dir,
                                                     const std::string& db_url, const Clock& clock,
                                                     PolicyValidator validator) {
  DataDirPaths paths(data_dir);
  SLUICE_ASSIGN_OR_RETURN(std::string ca_cert, readFile(paths.ca_cert));
  SLUICE_ASSIGN_OR_RETURN(std::string ca_key, readFile(paths.ca_key));
  SLUICE_ASSIGN_OR_RETURN(std::string signing_pem, readFile(paths.signing_key));
  SLUICE_ASSIGN_OR_RETURN(std::string secrets_key, readFile(paths.secrets_key));
  if (secrets_key.size() != 32) {
    return Error(ErrorCode::kDataLoss, paths.secrets_key + " must hold exactly 32 bytes");
  }
  SLUICE_ASSIGN_OR_RETURN(auto signing, crypto::Ed25519Key::fromPrivatePem(signing_pem));
  std::unique_ptr<Controller> c(new Controller(clock, paths, signing));
  SLUICE_ASSIGN_OR_RETURN(auto ca, CertificateAuthority::load(ca_cert, ca_key));
  c->ca = std::make_unique<CertificateAuthority>(std::move(ca));
  SLUICE_ASSIGN_OR_RETURN(c->storage, openStorage(db_url, data_dir));
  c->audit = std::make_unique<AuditLog>(*c->storage, clock, signing, paths.audit_anchor);
  c->auth = std::make_unique<Authenticator>(*c->storage, clock, *c->audit, secrets_key);
  c->agents = std::make_unique<AgentRegistry>(*c->storage, clock, *c->audit, *c->ca);
  c->policies =
      std::make_unique<PolicyStore>(*c->storage, clock, *c->audit, signing, std::move(validator));
  c->events = std::make_unique<EventIngest>(*c->storage, clock, *c->audit, secrets_key);
  return c;
}

}  // namespace sluice::controller
