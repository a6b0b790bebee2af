#include "sluice/controller/agent_client.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <ctime>

#include <nlohmann/json.hpp>

#include "net.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/client.h"
#include "sluice/controller/files.h"
#include "sluice/v1/agent.grpc.pb.h"

namespace sluice::controller {
namespace {

struct StatePaths {
  explicit StatePaths(const std::string& dir)
      : ca(dir + "/controller-ca.crt"),
        key(dir + "/agent.key"),
        cert(dir + "/agent.crt"),
        policy_key(dir + "/policy-signing.pub"),
        identity(dir + "/identity.json") {}
  std::string ca, key, cert, policy_key, identity;
};

std::string normaliseFingerprint(const std::string& fp) {
  std::string out;
  for (char c : fp) {
    if (c != ':') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Result<std::string> certPem(X509* cert) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_X509(bio.get(), cert) != 1) return internalError("cannot encode certificate");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string derSha256(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  if (len <= 0) return "";
  std::string out =
      crypto::sha256Hex(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(len)));
  OPENSSL_free(der);
  return out;
}

int64_t nowUnix() {
  return static_cast<int64_t>(std::time(nullptr));
}

Status persist(const std::string& state_dir, const AgentIdentity& id) {
  if (::mkdir(state_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return errnoError(errno, "cannot create " + state_dir);
  }
  StatePaths p(state_dir);
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(p.ca, id.ca_pem, 0644));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(p.key, id.key_pem, 0600));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(p.cert, id.cert_pem, 0644));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(p.policy_key, id.policy_key_pem, 0644));
  nlohmann::json j = {{"agent_id", id.agent_id},
                      {"not_after_unix", id.not_after_unix},
                      {"labels", nlohmann::json::parse(id.labels_json, nullptr, false)}};
  return writeFileAtomic(p.identity, j.dump(2) + "\n", 0644);
}

}  // namespace

Result<std::string> fetchPinnedCa(const std::string& address, const std::string& ca_sha256) {
  std::string want = normaliseFingerprint(ca_sha256);
  if (want.size() != 64) return invalidArgument("--ca-sha256 must be 64 hex digits");
  SLUICE_ASSIGN_OR_RETURN(HostPort hp, splitHostPort(address, "443"));
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx(SSL_CTX_new(TLS_client_method()),
                                                        SSL_CTX_free);
  // Nothing is trusted yet: the fingerprint, not a trust store, decides.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);
  SLUICE_ASSIGN_OR_RETURN(int fd, connectSocket(hp, SOCK_STREAM));
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(ctx.get()), SSL_free);
  SSL_set_fd(ssl.get(), fd);
  // gRPC servers insist on ALPN h2.
  static const unsigned char kAlpn[] = {2, 'h', '2'};
  SSL_set_alpn_protos(ssl.get(), kAlpn, sizeof(kAlpn));
  Result<std::string> result = unavailable("TLS handshake with " + address + " failed");
  if (SSL_connect(ssl.get()) == 1) {
    STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());
    std::unique_ptr<X509, decltype(&X509_free)> leaf(SSL_get1_peer_certificate(ssl.get()),
                                                     X509_free);
    result = Error(ErrorCode::kUnauthenticated,
                   "no certificate presented by " + address + " has SHA-256 " + want +
                       "; check --ca-sha256 (sluice-controller init prints it)");
    for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
      X509* cert = sk_X509_value(chain, i);
      if (derSha256(cert) != want) continue;
      auto ca = certPem(cert);
      auto server = leaf ? certPem(leaf.get()) : Result<std::string>(internalError("no leaf"));
      if (ca && server) {
        Status chained = verifyCertificate(*server, *ca, nowUnix());
        result = chained ? Result<std::string>(*ca) : Result<std::string>(chained.error());
      }
      break;
    }
    SSL_shutdown(ssl.get());
  }
  ERR_clear_error();
  ::close(fd);
  return result;
}

Result<AgentIdentity> enrollAgent(const EnrollRequestOptions& options,
                                  const std::string& state_dir) {
  AgentIdentity id;
  SLUICE_ASSIGN_OR_RETURN(id.ca_pem, fetchPinnedCa(options.address, options.ca_sha256));
  SLUICE_ASSIGN_OR_RETURN(id.key_pem, generateEcKeyPem());
  SLUICE_ASSIGN_OR_RETURN(std::string csr, makeCsr(id.key_pem, options.hostname));
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = id.ca_pem;
  auto stub = sluice::v1::AgentService::NewStub(
      grpc::CreateChannel(options.address, grpc::SslCredentials(ssl)));
  sluice::v1::EnrollRequest req;
  req.set_token(options.token);
  req.set_csr_pem(csr);
  req.set_hostname(options.hostname);
  req.set_agent_version(options.agent_version);
  sluice::v1::EnrollResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status status = stub->Enroll(&ctx, req, &resp);
  if (!status.ok()) return fromGrpcStatus(status);
  id.agent_id = resp.agent_id();
  id.cert_pem = resp.certificate_pem();
  id.policy_key_pem = resp.policy_public_key_pem();
  id.not_after_unix = resp.not_after_unix();
  id.labels_json =
      nlohmann::json(std::map<std::string, std::string>(resp.labels().begin(), resp.labels().end()))
          .dump();
  SLUICE_RETURN_IF_ERROR(persist(state_dir, id));
  return id;
}

Result<AgentIdentity> loadAgentIdentity(const std::string& state_dir) {
  StatePaths p(state_dir);
  AgentIdentity id;
  SLUICE_ASSIGN_OR_RETURN(id.ca_pem, readFile(p.ca));
  SLUICE_ASSIGN_OR_RETURN(id.key_pem, readFile(p.key));
  SLUICE_ASSIGN_OR_RETURN(id.cert_pem, readFile(p.cert));
  SLUICE_ASSIGN_OR_RETURN(id.policy_key_pem, readFile(p.policy_key));
  SLUICE_ASSIGN_OR_RETURN(std::string text, readFile(p.identity));
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return Error(ErrorCode::kDataLoss, p.identity + " is not JSON");
  id.agent_id = j.value("agent_id", "");
  id.not_after_unix = j.value("not_after_unix", int64_t{0});
  id.labels_json = j.contains("labels") ? j["labels"].dump() : "{}";
  return id;
}

grpc::ChannelArguments agentChannelArguments() {
  grpc::ChannelArguments args;
  // gRPC's default reconnect backoff grows to two minutes; an agent holding spooled alerts
  // should notice a returning controller within seconds.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return args;
}

bool renewalDue(const AgentIdentity& identity, int64_t now_unix) {
  return identity.not_after_unix - now_unix < 8 * 3600;
}

std::shared_ptr<grpc::Channel> agentChannel(const std::string& address,
                                            const AgentIdentity& identity) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = identity.ca_pem;
  ssl.pem_private_key = identity.key_pem;
  ssl.pem_cert_chain = identity.cert_pem;
  return grpc::CreateCustomChannel(address, grpc::SslCredentials(ssl), agentChannelArguments());
}

Result<AgentIdentity> renewAgent(const std::string& address, const AgentIdentity& identity,
                                 const std::string& state_dir) {
  AgentIdentity next = identity;
  SLUICE_ASSIGN_OR_RETURN(next.key_pem, generateEcKeyPem());
  SLUICE_ASSIGN_OR_RETURN(std::string csr, makeCsr(next.key_pem, identity.agent_id));
  auto stub = sluice::v1::AgentService::NewStub(agentChannel(address, identity));
  sluice::v1::RenewRequest req;
  req.set_csr_pem(csr);
  sluice::v1::RenewResponse resp;
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Status status = stub->Renew(&ctx, req, &resp);
  if (!status.ok()) return fromGrpcStatus(status);
  next.cert_pem = resp.certificate_pem();
  next.not_after_unix = resp.not_after_unix();
  SLUICE_RETURN_IF_ERROR(persist(state_dir, next));
  return next;
}

}  // namespace sluice::controller
