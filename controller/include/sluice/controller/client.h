// File: client.h
//
// How sluicectl (and tests) reach a controller: a TLS channel that trusts the controller's CA,
// the person's API token and TOTP code attached to each call, and gRPC statuses turned back
// into Sluice errors. Options come from flags first, then SLUICE_CONTROLLER, SLUICE_CA,
// SLUICE_TOKEN and SLUICE_TOTP.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

#include "sluice/common/result.h"

namespace sluice::controller {

struct ClientOptions {
  std::string address;    // host:port
  std::string ca_file;    // PEM of the controller's CA
  std::string token;      // API token (people)
  std::string totp;       // current TOTP code (people)
  std::string cert_file;  // client certificate (agents)
  std::string key_file;

  // Fills unset fields from the environment.
  void applyEnvironment();
};

// The flags every controller-backed sluicectl command accepts, and the options they give
// (`flag` returns "" for a flag that was not passed; the environment fills the rest).
const std::vector<std::string>& connectionFlags();
ClientOptions optionsFromFlags(const std::function<std::string(const std::string&)>& flag);

Result<std::shared_ptr<grpc::Channel>> makeChannel(const ClientOptions& options);

// A channel plus the credentials its calls carry.
struct Connection {
  ClientOptions options;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<grpc::ClientContext> context(int timeout_seconds = 30) const;
};
Result<Connection> connectFromFlags(const std::function<std::string(const std::string&)>& flag);
// A context with the person's credentials and a deadline.
std::unique_ptr<grpc::ClientContext> makeContext(const ClientOptions& options,
                                                 int timeout_seconds = 30);

Error fromGrpcStatus(const grpc::Status& status);
grpc::Status toGrpcStatus(const Error& error);

// "90s", "30m", "2h", "7d" -> seconds.
Result<int64_t> parseDuration(const std::string& text);

// A message as JSON with the proto field names, for `--json` output and scripts.
std::string toJson(const google::protobuf::Message& message);

inline constexpr const char* kTotpMetadataKey = "x-sluice-totp";

}  // namespace sluice::controller
