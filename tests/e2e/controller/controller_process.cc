#include "controller_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <thread>

#include "privileged.h"
#include "sluice/controller/ca.h"
#include "sluice/controller/crypto.h"
#include "sluice/controller/files.h"
#include "sluice/controller/totp.h"
#include "sluice/v1/controller.grpc.pb.h"

namespace sluice::controller::testing {
namespace {

std::string lineAfter(const std::string& text, const std::string& label) {
  auto at = text.find(label);
  if (at == std::string::npos) return "";
  auto start = text.find_first_not_of(' ', at + label.size());
  auto end = text.find('\n', start);
  return text.substr(start, end - start);
}

std::string currentTotp(const Person& person) {
  return totpCode(person.totp_secret, static_cast<int64_t>(std::time(nullptr)));
}

}  // namespace

std::string controllerBinary() {
  return ::sluice::testing::buildDir() + "/controller/sluice-controller";
}
std::string sluicectlBinary() {
  return ::sluice::testing::buildDir() + "/cli/sluicectl";
}

CommandResult runCapture(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) result.out.append(buf.data(), n);
  int rc = ::pclose(pipe);
  result.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return result;
}

ControllerProcess::ControllerProcess(std::string db_url) : db_url_(std::move(db_url)) {}

ControllerProcess::~ControllerProcess() {
  stop();
}

::testing::AssertionResult ControllerProcess::init() {
  std::string cmd = controllerBinary() + " init --data-dir " + dir_.path() + "/data";
  if (!db_url_.empty()) cmd += " --db '" + db_url_ + "'";
  auto r = runCapture(cmd + " 2>&1");
  if (r.status != 0) return ::testing::AssertionFailure() << "init failed: " << r.out;
  admin_.token = lineAfter(r.out, "API token:");
  auto secret = crypto::base32Decode(lineAfter(r.out, "TOTP secret:"));
  if (admin_.token.empty() || !secret || secret->empty()) {
    return ::testing::AssertionFailure() << "init printed no credentials: " << r.out;
  }
  admin_.totp_secret = *secret;
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult ControllerProcess::start(int port,
                                                    const std::vector<std::string>& extra) {
  std::string port_file = dir_.path() + "/port";
  std::filesystem::remove(port_file);
  std::string log = dir_.path() + "/serve.log";
  std::vector<std::string> args = {controllerBinary(), "serve",
                                   "--data-dir",       dir_.path() + "/data",
                                   "--listen",         "127.0.0.1:" + std::to_string(port),
                                   "--port-file",      port_file};
  // Hermetic: the console on a free port (a test's `extra` flags may override it).
  args.insert(args.end(), {"--web-listen", "127.0.0.1:0"});
  if (!db_url_.empty()) args.insert(args.end(), {"--db", db_url_});
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) ::dup2(fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto text = readFile(port_file);
    if (text && !text->empty()) {
      port_ = std::stoi(*text);
      return ::testing::AssertionSuccess();
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return ::testing::AssertionFailure() << "controller exited: " << readFile(log).valueOr("");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ::testing::AssertionFailure() << "controller did not start: " << readFile(log).valueOr("");
}

void ControllerProcess::stop(bool crash) {
  if (pid_ <= 0) return;
  ::kill(pid_, crash ? SIGKILL : SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

ClientOptions ControllerProcess::optionsFor(const Person& person) const {
  ClientOptions o;
  o.address = address();
  o.ca_file = dir_.path() + "/data/ca.crt";
  o.token = person.token;
  o.totp = currentTotp(person);
  return o;
}

CommandResult ControllerProcess::cliAs(const Person& person, const std::string& args) const {
  ClientOptions o = optionsFor(person);
  return runCapture(sluicectlBinary() + " " + args + " --controller " + o.address + " --ca " +
                    o.ca_file + " --token " + o.token + " --totp " + o.totp);
}

CommandResult ControllerProcess::cli(const std::string& args) const {
  return cliAs(admin_, args);
}

Result<Person> ControllerProcess::createPerson(const std::string& name,
                                               const std::string& role) const {
  ClientOptions o = optionsFor(admin_);
  SLUICE_ASSIGN_OR_RETURN(auto channel, makeChannel(o));
  auto stub = sluice::v1::AuthService::NewStub(channel);
  sluice::v1::CreateUserRequest req;
  req.set_name(name);
  req.set_role(role);
  sluice::v1::CreateUserResponse resp;
  auto status = stub->CreateUser(makeContext(o).get(), req, &resp);
  if (!status.ok()) return fromGrpcStatus(status);
  SLUICE_ASSIGN_OR_RETURN(std::string secret, crypto::base32Decode(resp.totp_secret()));
  return Person{resp.api_token(), secret};
}

Result<std::string> ControllerProcess::createToken(const std::string& ttl,
                                                   const std::string& labels) const {
  auto r = cli("enroll-token create --ttl " + ttl + (labels.empty() ? "" : " --labels " + labels));
  if (r.status != 0 || r.out.empty()) return internalError("enroll-token create failed");
  return r.out.substr(0, r.out.find('\n'));
}

Result<TestAgent> ControllerProcess::enrol(const std::string& token,
                                           const std::string& hostname) const {
  TestAgent agent;
  agent.dir = dir_.path() + "/agent-" + hostname;
  std::filesystem::create_directories(agent.dir);
  SLUICE_ASSIGN_OR_RETURN(std::string key, generateEcKeyPem());
  SLUICE_ASSIGN_OR_RETURN(std::string csr, makeCsr(key, hostname));
  ClientOptions o;
  o.address = address();
  o.ca_file = dir_.path() + "/data/ca.crt";
  SLUICE_ASSIGN_OR_RETURN(auto channel, makeChannel(o));
  auto stub = sluice::v1::AgentService::NewStub(channel);
  sluice::v1::EnrollRequest req;
  req.set_token(token);
  req.set_csr_pem(csr);
  req.set_hostname(hostname);
  req.set_agent_version("e2e");
  sluice::v1::EnrollResponse resp;
  auto status = stub->Enroll(makeContext(o).get(), req, &resp);
  if (!status.ok()) return fromGrpcStatus(status);
  agent.id = resp.agent_id();
  agent.policy_public_key_pem = resp.policy_public_key_pem();
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(agent.dir + "/key.pem", key, 0600));
  SLUICE_RETURN_IF_ERROR(writeFileAtomic(agent.dir + "/cert.pem", resp.certificate_pem(), 0644));
  o.cert_file = agent.dir + "/cert.pem";
  o.key_file = agent.dir + "/key.pem";
  SLUICE_ASSIGN_OR_RETURN(agent.channel, makeChannel(o));
  return agent;
}

}  // namespace sluice::controller::testing
