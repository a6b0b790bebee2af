// sluice-controller: `init` prepares a data directory once; `serve` runs the gRPC API.
// Everything else lives in the sluice_controller library.
#include <cstdio>
#include <string>
#include <vector>

#include "sluice/common/logging.h"
#include "sluice/common/version.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/controller.h"
#include "sluice/controller/server.h"

namespace {

constexpr const char* kUsage =
    "usage: sluice-controller init  --data-dir DIR [--db URL] [--admin NAME] [--san NAME]...\n"
    "       sluice-controller serve --data-dir DIR [--db URL] [--listen HOST:PORT]\n"
    "                               [--port-file FILE] [--log-format text|json]\n";

int fail(const std::string& message) {
  std::fprintf(stderr, "sluice-controller: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sluice::controller;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::printf("sluice-controller %s\n", sluice::versionString().c_str());
    return 0;
  }
  InitOptions init;
  ServeOptions serve;
  std::string log_format = "text";
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (i + 1 >= args.size()) return fail("flag " + flag + " needs a value\n" + kUsage);
    const std::string& value = args[++i];
    if (flag == "--data-dir")
      init.data_dir = value;
    else if (flag == "--db")
      init.db_url = value;
    else if (flag == "--admin")
      init.admin_name = value;
    else if (flag == "--san")
      init.server_names.push_back(value);
    else if (flag == "--listen")
      serve.listen = value;
    else if (flag == "--port-file")
      serve.port_file = value;
    else if (flag == "--log-format")
      log_format = value;
    else
      return fail("unknown flag " + flag + "\n" + kUsage);
  }
  auto format = sluice::logging::parseFormat(log_format);
  if (!format) return fail(format.error().message());
  sluice::logging::init(*format);
  SystemClock clock;

  if (args[0] == "init") {
    auto result = initDataDir(init, clock);
    if (!result) return fail(result.error().toString());
    std::printf("initialised %s\n\n", init.data_dir.c_str());
    std::printf("CA fingerprint (sha256): %s\n", result->ca_fingerprint_sha256.c_str());
    std::printf("\nAdmin '%s' credentials. They are shown once; store them now.\n",
                init.admin_name.c_str());
    std::printf("  API token:   %s\n", result->admin_token.c_str());
    std::printf("  TOTP secret: %s\n", result->admin_totp_secret_base32.c_str());
    std::printf("  TOTP URI:    %s\n", result->admin_totp_uri.c_str());
    return 0;
  }
  if (args[0] == "serve") {
    if (init.data_dir.empty()) return fail("--data-dir is required");
    auto controller = Controller::open(init.data_dir, init.db_url, clock, defaultPolicyValidator());
    if (!controller) return fail(controller.error().toString());
    auto status = serveUntilSignalled(std::move(controller).value(), serve);
    return status ? 0 : fail(status.error().toString());
  }
  return fail("unknown command '" + args[0] + "'\n" + kUsage);
}
