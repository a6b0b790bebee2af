#include "sluice/controller/command_line.h"

#include <cstdlib>
#include <functional>
#include <map>

namespace sluice::controller {

const char* commandLineUsage() {
  return "usage: sluice-controller init  --data-dir DIR [--db URL] [--admin NAME] [--san NAME]...\n"
         "       sluice-controller serve --data-dir DIR [--db URL] [--listen HOST:PORT]\n"
         "                               [--port-file FILE] [--log-format text|json]\n"
         "                               [--web-listen HOST:PORT|off] [--web-port-file FILE]\n"
         "                               [--web-root DIR] [--web-idle-timeout SECONDS]\n"
         "                               [--syslog udp://H:P|tcp://H:P] [--syslog-format "
         "cef|json]\n"
         "                               [--webhook https://H[:P]/PATH --webhook-secret-file F\n"
         "                                [--webhook-ca FILE]]\n"
         "--db: postgres://... for PostgreSQL; default SQLite in DIR/controller.db\n"
         "--web-listen: the HTTPS console, default 127.0.0.1:8443; off disables it\n"
         "--web-idle-timeout: console sessions end after this long without a request (900)\n";
}

Result<CommandLine> parseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  cl.serve.web.listen = "127.0.0.1:8443";
  std::string idle_timeout;
  if (args.empty()) return invalidArgument("no command");
  cl.command = args[0];
  if (cl.command == "--help" || cl.command == "-h") cl.command = "help";
  if (cl.command == "--version") cl.command = "version";
  if (cl.command != "init" && cl.command != "serve") {
    if (cl.command == "help" || cl.command == "version") return cl;
    return invalidArgument("unknown command '" + cl.command + "'");
  }
  const std::map<std::string, std::function<void(const std::string&)>> flags = {
      {"--data-dir", [&](const std::string& v) { cl.init.data_dir = v; }},
      {"--db", [&](const std::string& v) { cl.init.db_url = v; }},
      {"--admin", [&](const std::string& v) { cl.init.admin_name = v; }},
      {"--san", [&](const std::string& v) { cl.init.server_names.push_back(v); }},
      {"--listen", [&](const std::string& v) { cl.serve.listen = v; }},
      {"--port-file", [&](const std::string& v) { cl.serve.port_file = v; }},
      {"--web-listen", [&](const std::string& v) { cl.serve.web.listen = v == "off" ? "" : v; }},
      {"--web-port-file", [&](const std::string& v) { cl.serve.web.port_file = v; }},
      {"--web-root", [&](const std::string& v) { cl.serve.web.root = v; }},
      {"--web-idle-timeout", [&](const std::string& v) { idle_timeout = v; }},
      {"--log-format", [&](const std::string& v) { cl.log_format = v; }},
      {"--syslog", [&](const std::string& v) { cl.exports.syslog_url = v; }},
      {"--syslog-format", [&](const std::string& v) { cl.exports.syslog_format = v; }},
      {"--webhook", [&](const std::string& v) { cl.exports.webhook_url = v; }},
      {"--webhook-secret-file", [&](const std::string& v) { cl.exports.webhook_secret_file = v; }},
      {"--webhook-ca", [&](const std::string& v) { cl.exports.webhook_ca_file = v; }},
  };
  for (size_t i = 1; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    if (auto eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return invalidArgument("flag " + flag + " needs a value");
    }
    auto it = flags.find(flag);
    if (it == flags.end()) return invalidArgument("unknown flag " + flag);
    it->second(value);
  }
  if (cl.init.data_dir.empty()) return invalidArgument("--data-dir is required");
  if (!idle_timeout.empty()) {
    char* end = nullptr;
    long long seconds = std::strtoll(idle_timeout.c_str(), &end, 10);
    if (end == idle_timeout.c_str() || *end != '\0' || seconds < 1 || seconds > 24 * 3600) {
      return invalidArgument("--web-idle-timeout must be 1-86400 seconds, not '" + idle_timeout +
                             "'");
    }
    cl.serve.web.idle_timeout_seconds = seconds;
  }
  return cl;
}

}  // namespace sluice::controller
