// File: controller_process.h
//
// A real sluice-controller for end-to-end tests: `init` into a temporary data directory, then
// `serve` as a child process on 127.0.0.1 (port 0, or a port chosen earlier so that a restart
// keeps its address). Gives tests the admin's credentials, client options for any user, and
// a way to enrol a test agent and open its mutual-TLS channel.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "controller_test_support.h"
#include "sluice/controller/client.h"
#include "sluice/v1/agent.grpc.pb.h"

namespace sluice::controller::testing {

std::string controllerBinary();
std::string sluicectlBinary();

// Runs a command line through the shell; returns its exit status and stdout.
struct CommandResult {
  int status = -1;
  std::string out;
};
CommandResult runCapture(const std::string& command);

struct Person {
  std::string token;
  std::string totp_secret;  // raw bytes
};

struct TestAgent {
  std::string id;
  std::string dir;  // key.pem, cert.pem
  std::string policy_public_key_pem;
  std::shared_ptr<grpc::Channel> channel;  // mutual TLS
};

class ControllerProcess {
 public:
  // `db_url` empty = SQLite in the data directory.
  explicit ControllerProcess(std::string db_url = "");
  ~ControllerProcess();

  ::testing::AssertionResult init();
  // `extra` are further `serve` flags (exports).
  ::testing::AssertionResult start(int port = 0, const std::vector<std::string>& extra = {});
  void stop(bool crash = false);  // SIGTERM, or SIGKILL when crash

  const std::string& dataDir() const { return dir_.path(); }
  const std::string& dbUrl() const { return db_url_; }
  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  const Person& admin() const { return admin_; }

  ClientOptions optionsFor(const Person& person) const;
  // sluicectl with the admin's connection flags, e.g. cli("agents list --json").
  CommandResult cli(const std::string& args) const;
  CommandResult cliAs(const Person& person, const std::string& args) const;

  // Creates a person with the role through the API.
  Result<Person> createPerson(const std::string& name, const std::string& role) const;
  // Enrols an agent with the token; the error is the server's answer.
  Result<TestAgent> enrol(const std::string& token, const std::string& hostname) const;
  Result<std::string> createToken(const std::string& ttl, const std::string& labels) const;

 private:
  TempDir dir_;
  std::string db_url_;
  Person admin_;
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace sluice::controller::testing
