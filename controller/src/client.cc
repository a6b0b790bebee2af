#include "sluice/controller/client.h"

#include <chrono>
#include <cstdlib>

#include "sluice/controller/files.h"

namespace sluice::controller {
namespace {

void fromEnv(std::string& field, const char* name) {
  if (!field.empty()) return;
  if (const char* v = std::getenv(name)) field = v;
}

}  // namespace

void ClientOptions::applyEnvironment() {
  fromEnv(address, "SLUICE_CONTROLLER");
  fromEnv(ca_file, "SLUICE_CA");
  fromEnv(token, "SLUICE_TOKEN");
  fromEnv(totp, "SLUICE_TOTP");
  fromEnv(cert_file, "SLUICE_CERT");
  fromEnv(key_file, "SLUICE_KEY");
}

Result<std::shared_ptr<grpc::Channel>> makeChannel(const ClientOptions& options) {
  if (options.address.empty()) {
    return invalidArgument(
        "no controller address (use --controller HOST:PORT or "
        "SLUICE_CONTROLLER)");
  }
  if (options.ca_file.empty()) {
    return invalidArgument("no CA certificate (use --ca FILE or SLUICE_CA)");
  }
  grpc::SslCredentialsOptions ssl;
  SLUICE_ASSIGN_OR_RETURN(ssl.pem_root_certs, readFile(options.ca_file));
  if (!options.cert_file.empty()) {
    SLUICE_ASSIGN_OR_RETURN(ssl.pem_cert_chain, readFile(options.cert_file));
    SLUICE_ASSIGN_OR_RETURN(ssl.pem_private_key, readFile(options.key_file));
  }
  return grpc::CreateChannel(options.address, grpc::SslCredentials(ssl));
}

std::unique_ptr<grpc::ClientContext> makeContext(const ClientOptions& options,
                                                 int timeout_seconds) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!options.token.empty()) ctx->AddMetadata("authorization", "Bearer " + options.token);
  if (!options.totp.empty()) ctx->AddMetadata(kTotpMetadataKey, options.totp);
  if (timeout_seconds > 0) {
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(timeout_seconds));
  }
  return ctx;
}

Error fromGrpcStatus(const grpc::Status& status) {
  ErrorCode code = ErrorCode::kInternal;
  switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT: code = ErrorCode::kInvalidArgument; break;
    case grpc::StatusCode::NOT_FOUND: code = ErrorCode::kNotFound; break;
    case grpc::StatusCode::ALREADY_EXISTS: code = ErrorCode::kAlreadyExists; break;
    case grpc::StatusCode::PERMISSION_DENIED: code = ErrorCode::kPermissionDenied; break;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::UNAVAILABLE: code = ErrorCode::kUnavailable; break;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: code = ErrorCode::kResourceExhausted; break;
    case grpc::StatusCode::FAILED_PRECONDITION: code = ErrorCode::kFailedPrecondition; break;
    case grpc::StatusCode::UNAUTHENTICATED: code = ErrorCode::kUnauthenticated; break;
    case grpc::StatusCode::DATA_LOSS: code = ErrorCode::kDataLoss; break;
    default: break;
  }
  return Error(code, status.error_message());
}

grpc::Status toGrpcStatus(const Error& error) {
  grpc::StatusCode code = grpc::StatusCode::INTERNAL;
  switch (error.code()) {
    case ErrorCode::kInvalidArgument: code = grpc::StatusCode::INVALID_ARGUMENT; break;
    case ErrorCode::kNotFound: code = grpc::StatusCode::NOT_FOUND; break;
    case ErrorCode::kAlreadyExists: code = grpc::StatusCode::ALREADY_EXISTS; break;
    case ErrorCode::kPermissionDenied: code = grpc::StatusCode::PERMISSION_DENIED; break;
    case ErrorCode::kUnavailable: code = grpc::StatusCode::UNAVAILABLE; break;
    case ErrorCode::kResourceExhausted: code = grpc::StatusCode::RESOURCE_EXHAUSTED; break;
    case ErrorCode::kFailedPrecondition: code = grpc::StatusCode::FAILED_PRECONDITION; break;
    case ErrorCode::kUnauthenticated: code = grpc::StatusCode::UNAUTHENTICATED; break;
    case ErrorCode::kDataLoss: code = grpc::StatusCode::DATA_LOSS; break;
    case ErrorCode::kInternal: code = grpc::StatusCode::INTERNAL; break;
  }
  return grpc::Status(code, error.message());
}

}  // namespace sluice::controller
