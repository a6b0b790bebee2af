#include "sluice/controller/client.h"

#include <google/protobuf/util/json_util.h>

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

const std::vector<std::string>& connectionFlags() {
  static const std::vector<std::string> flags = {"--controller", "--ca",   "--token",
                                                 "--totp",       "--cert", "--key"};
  return flags;
}

ClientOptions optionsFromFlags(const std::function<std::string(const std::string&)>& flag) {
  ClientOptions o;
  o.address = flag("--controller");
  o.ca_file = flag("--ca");
  o.token = flag("--token");
  o.totp = flag("--totp");
  o.cert_file = flag("--cert");
  o.key_file = flag("--key");
  o.applyEnvironment();
  return o;
}

Result<int64_t> parseDuration(const std::string& text) {
  static const std::string kUnits = "smhd";
  static const int64_t kSeconds[] = {1, 60, 3600, 86400};
  auto unit = text.empty() ? std::string::npos : kUnits.find(text.back());
  if (unit == std::string::npos || text.size() < 2 || text.size() > 12) {
    return invalidArgument("'" + text + "' is not a duration such as 90s, 30m, 2h or 7d");
  }
  int64_t n = 0;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return invalidArgument("'" + text + "' is not a duration such as 90s, 30m, 2h or 7d");
    }
    n = n * 10 + (text[i] - '0');
  }
  return n * kSeconds[unit];
}

std::string toJson(const google::protobuf::Message& message) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
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
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 5000);
  return grpc::CreateCustomChannel(options.address, grpc::SslCredentials(ssl), args);
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

std::unique_ptr<grpc::ClientContext> Connection::context(int timeout_seconds) const {
  return makeContext(options, timeout_seconds);
}

Result<Connection> connectFromFlags(const std::function<std::string(const std::string&)>& flag) {
  Connection c;
  c.options = optionsFromFlags(flag);
  SLUICE_ASSIGN_OR_RETURN(c.channel, makeChannel(c.options));
  return c;
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
