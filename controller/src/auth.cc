#include "sluice/controller/auth.h"

#include <nlohmann/json.hpp>

#include "sluice/common/logging.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/totp.h"

namespace sluice::controller {
namespace {

constexpr std::string_view kTokenPrefix = "sluice_";
// Each call carries its own credentials; a "login" is recorded once per this many seconds of
// activity so that the audit log shows sessions without one entry per call.
constexpr int64_t kLoginWindowSeconds = 15 * 60;

Error unauthenticated(std::string message) {
  return Error(ErrorCode::kUnauthenticated, std::move(message));
}

}  // namespace

std::string Principal::actor() const {
  switch (role) {
    case Role::kAgent: return "agent:" + id;
    case Role::kAnonymous: return "anonymous";
    default: return "user:" + name;
  }
}

Authenticator::Authenticator(Storage& storage, const Clock& clock, AuditLog& audit,
                             std::string secrets_key)
    : storage_(storage), clock_(clock), audit_(audit), secrets_key_(std::move(secrets_key)) {}

Result<NewUser> Authenticator::createUser(const std::string& name, Role role) {
  if (name.empty() || name.size() > 64 || name.find_first_of(" \t\n:") != std::string::npos) {
    return invalidArgument("user name must be 1-64 characters without spaces or ':'");
  }
  NewUser out;
  out.user.id = crypto::randomId("usr-");
  out.user.name = name;
  out.user.role = std::string(roleName(role));
  out.user.created_at = clock_.nowUnix();
  std::string secret = crypto::toHex(crypto::randomBytes(32));
  out.api_token = std::string(kTokenPrefix) + out.user.id + "_" + secret;
  out.user.token_hash = crypto::sha256Hex(secret);
  out.totp_secret = crypto::randomBytes(20);
  SLUICE_ASSIGN_OR_RETURN(std::string sealed,
                          crypto::aeadSeal(secrets_key_, out.totp_secret, "totp:" + out.user.id));
  out.user.totp_secret_sealed = crypto::base64Encode(sealed);
  SLUICE_RETURN_IF_ERROR(storage_.insertUser(out.user));
  return out;
}

Result<Principal> Authenticator::authenticatePerson(const std::string& api_token,
                                                    const std::string& totp) {
  // sluice_<usr-id>_<secret>
  if (api_token.rfind(kTokenPrefix, 0) != 0) return unauthenticated("malformed API token");
  std::string rest = api_token.substr(kTokenPrefix.size());
  auto sep = rest.find('_');
  if (sep == std::string::npos) return unauthenticated("malformed API token");
  std::string user_id = rest.substr(0, sep);
  std::string secret = rest.substr(sep + 1);
  SLUICE_ASSIGN_OR_RETURN(auto user, storage_.findUser(user_id));
  auto reject = [&](const std::string& why) -> Error {
    (void)audit_.record("user-id:" + user_id, "auth.failure", "user/" + user_id,
                        nlohmann::json{{"reason", why}}.dump());
    return unauthenticated("invalid API token or TOTP code");
  };
  if (!user || !crypto::constantTimeEquals(crypto::sha256Hex(secret), user->token_hash)) {
    return reject("bad token");
  }
  if (user->disabled) return reject("user disabled");
  SLUICE_ASSIGN_OR_RETURN(std::string sealed, crypto::base64Decode(user->totp_secret_sealed));
  SLUICE_ASSIGN_OR_RETURN(std::string totp_secret,
                          crypto::aeadOpen(secrets_key_, sealed, "totp:" + user->id));
  if (!totpVerify(totp_secret, totp, clock_.nowUnix())) return reject("bad TOTP code");
  SLUICE_ASSIGN_OR_RETURN(Role role, parsePersonRole(user->role));
  Principal principal{role, user->id, user->name};
  int64_t now = clock_.nowUnix();
  bool new_session = false;
  {
    std::lock_guard lock(mu_);
    auto& last = last_login_[user->id];
    if (now - last >= kLoginWindowSeconds) {
      last = now;
      new_session = true;
    }
  }
  if (new_session) {
    SLUICE_RETURN_IF_ERROR(audit_.record(principal.actor(), "auth.login", "user/" + user->id));
  }
  return principal;
}

Result<Principal> Authenticator::authenticateAgent(const std::string& agent_id) {
  SLUICE_ASSIGN_OR_RETURN(auto agent, storage_.findAgent(agent_id));
  if (!agent) return unauthenticated("unknown agent " + agent_id);
  if (agent->status != "active") {
    return Error(ErrorCode::kPermissionDenied, "agent " + agent_id + " is revoked");
  }
  return Principal{Role::kAgent, agent->id, agent->hostname};
}

}  // namespace sluice::controller
