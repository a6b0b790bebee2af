#include "grpc_common.h"

namespace sluice::controller {
namespace {

std::string metadataValue(grpc::ServerContext* context, const std::string& key) {
  const auto& md = context->client_metadata();
  auto it = md.find(key);
  if (it == md.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

}  // namespace

Result<Principal> authorize(Controller& controller, grpc::ServerContext* context,
                            std::string_view full_method) {
  Principal principal;
  auto auth = context->auth_context();
  std::string common_name;
  // The TLS layer has already checked any client certificate against our CA.
  if (auth && auth->IsPeerAuthenticated()) {
    auto values = auth->FindPropertyValues("x509_common_name");
    if (!values.empty()) common_name.assign(values.front().data(), values.front().size());
  }
  if (!common_name.empty()) {
    SLUICE_ASSIGN_OR_RETURN(principal, controller.auth->authenticateAgent(common_name));
  } else {
    std::string bearer = metadataValue(context, "authorization");
    if (!bearer.empty()) {
      constexpr std::string_view kPrefix = "Bearer ";
      std::string token = bearer.rfind(kPrefix, 0) == 0 ? bearer.substr(kPrefix.size()) : bearer;
      SLUICE_ASSIGN_OR_RETURN(principal, controller.auth->authenticatePerson(
                                             token, metadataValue(context, kTotpMetadataKey)));
    }
  }
  SLUICE_RETURN_IF_ERROR(authorizeRole(principal.role, full_method));
  return principal;
}

}  // namespace sluice::controller
