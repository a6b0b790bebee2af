// sluice-controller: `init` prepares a data directory once; `serve` runs the gRPC API.
// Everything else lives in the sluice_controller library.
#include <cstdio>
#include <string>
#include <vector>

#include "sluice/common/logging.h"
#include "sluice/common/version.h"
#include "sluice/controller/clock.h"
#include "sluice/controller/command_line.h"

namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "sluice-controller: %s\n", message.c_str());
  return 1;
}

int init(const sluice::controller::CommandLine& cl, const sluice::controller::Clock& clock) {
  auto result = sluice::controller::initDataDir(cl.init, clock);
  if (!result) return fail(result.error().toString());
  std::printf("initialised %s\n\n", cl.init.data_dir.c_str());
  std::printf("CA fingerprint (sha256): %s\n", result->ca_fingerprint_sha256.c_str());
  std::printf("\nAdmin '%s' credentials. They are shown once; store them now.\n",
              cl.init.admin_name.c_str());
  std::printf("  API token:   %s\n", result->admin_token.c_str());
  std::printf("  TOTP secret: %s\n", result->admin_totp_secret_base32.c_str());
  std::printf("  TOTP URI:    %s\n", result->admin_totp_uri.c_str());
  return 0;
}

int serve(const sluice::controller::CommandLine& cl, const sluice::controller::Clock& clock) {
  using sluice::controller::Controller;
  auto controller = Controller::open(cl.init.data_dir, cl.init.db_url, clock,
                                     sluice::controller::defaultPolicyValidator());
  if (!controller) return fail(controller.error().toString());
  if (auto st = (*controller)->configureExports(cl.exports); !st) {
    return fail(st.error().toString());
  }
  auto status = sluice::controller::serveUntilSignalled(std::move(controller).value(), cl.serve);
  return status ? 0 : fail(status.error().toString());
}

}  // namespace

int main(int argc, char** argv) {
  auto cl = sluice::controller::parseCommandLine(std::vector<std::string>(argv + 1, argv + argc));
  if (!cl) {
    std::fprintf(stderr, "sluice-controller: %s\n%s", cl.error().message().c_str(),
                 sluice::controller::commandLineUsage());
    return 2;
  }
  if (cl->command == "help") {
    std::fputs(sluice::controller::commandLineUsage(), stdout);
    return 0;
  }
  if (cl->command == "version") {
    std::printf("sluice-controller %s\n", sluice::versionString().c_str());
    return 0;
  }
  auto format = sluice::logging::parseFormat(cl->log_format);
  if (!format) return fail(format.error().message());
  sluice::logging::init(*format);
  sluice::controller::SystemClock clock;
  return cl->command == "init" ? init(*cl, clock) : serve(*cl, clock);
}
