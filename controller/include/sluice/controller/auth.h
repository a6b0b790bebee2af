// File: auth.h
//
// Turns credentials into a Principal. People present an API token ("sluice_<user>_<secret>")
// and a current TOTP code; only a hash of the token's secret is stored, and the TOTP secret
// is sealed with the controller's secrets key. Agents are identified by the common name of
// the client certificate the TLS layer has already verified against the CA, and are refused
// once revoked.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "sluice/common/result.h"
#include "sluice/controller/audit_log.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/rbac.h"
#include "sluice/controller/storage.h"

namespace sluice::controller {

struct Principal {
  Role role = Role::kAnonymous;
  std::string id;             // user id or agent id
  std::string name;           // user name or agent hostname
  std::string actor() const;  // "user:alice", "agent:agt-...", "anonymous"
};

struct NewUser {
  UserRecord user;
  std::string api_token;    // shown once
  std::string totp_secret;  // raw bytes; base32 for people
};

class Authenticator {
 public:
  Authenticator(Storage& storage, const Clock& clock, AuditLog& audit, std::string secrets_key);

  Result<NewUser> createUser(const std::string& name, Role role);
  Result<Principal> authenticatePerson(const std::string& api_token, const std::string& totp);
  Result<Principal> authenticateAgent(const std::string& agent_id);

 private:
  Storage& storage_;
  const Clock& clock_;
  AuditLog& audit_;
  std::string secrets_key_;
  std::mutex mu_;
  std::map<std::string, int64_t> last_login_;  // user id -> when "auth.login" was last recorded
};

}  // namespace sluice::controller
