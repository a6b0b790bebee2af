#include "sluice/agent/config.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "sluice/scanner/scanner.h"

namespace sluice::agent {
namespace {

// A ring buffer's size: a power of two, at least a page (the kernel's rule).
Result<uint32_t> parseRingBytes(const std::string& text) {
  char* end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || v < 4096 || v > (1ull << 30) || (v & (v - 1)) != 0) {
    return invalidArgument("tlsRingBytes '" + text +
                           "' must be a power of two between 4096 and 1073741824");
  }
  return static_cast<uint32_t>(v);
}

// A whole number in [0, max] for the key or flag `name`; `meaning` says what it must be.
Result<uint32_t> parseWhole(const std::string& name, const std::string& text, uint32_t max,
                            const std::string& meaning) {
  char* end = nullptr;
  unsigned long v = std::strtoul(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || text[0] == '-' || v > max) {
    return invalidArgument(name + " '" + text + "' must be " + meaning);
  }
  return static_cast<uint32_t>(v);
}

Result<int> parseVerdictPriority(const std::string& name, const std::string& text) {
  SLUICE_ASSIGN_OR_RETURN(uint32_t v, parseWhole(name, text, 99,
                                                 "0 (normal scheduling) or a SCHED_FIFO "
                                                 "priority 1-99"));
  return static_cast<int>(v);
}

// "health" (identifiers only in a request about someone's health) or "all".
Result<bool> parseIdentifiers(const std::string& name, const std::string& text) {
  std::optional<scanner::Reach> reach = scanner::parseReach(text);
  if (!reach) return invalidArgument(name + " '" + text + "' must be health or all");
  return *reach == scanner::Reach::kAll;
}

Result<uint32_t> parseMicros(const std::string& name, const std::string& text, uint32_t max) {
  return parseWhole(name, text, max,
                    "a number of microseconds from 0 to " + std::to_string(max));
}

// A CPU list as taskset and systemd's CPUAffinity= write it: "3", "2,3", "4-7,9".
Result<std::vector<int>> parseCpuList(const std::string& name, const std::string& text) {
  std::vector<int> cpus;
  std::stringstream parts(text);
  std::string part;
  while (std::getline(parts, part, ',')) {
    size_t dash = part.find('-');
    auto first = parseWhole(name, part.substr(0, dash), CPU_SETSIZE - 1, "");
    auto last = dash == std::string::npos
                    ? first
                    : parseWhole(name, part.substr(dash + 1), CPU_SETSIZE - 1, "");
    if (!first || !last || *last < *first) {
      return invalidArgument(name + " '" + text + "': '" + part +
                             "' is not a CPU number or an ascending range of them below " +
                             std::to_string(CPU_SETSIZE) + " (e.g. 3, 2,3 or 4-7)");
    }
    for (uint32_t c = *first; c <= *last; ++c) {
      if (std::find(cpus.begin(), cpus.end(), static_cast<int>(c)) == cpus.end()) {
        cpus.push_back(static_cast<int>(c));
      }
    }
  }
  if (cpus.empty()) return invalidArgument(name + " '" + text + "' names no CPU");
  return cpus;
}

}  // namespace

bool AgentConfig::managed() const {
  std::error_code ec;
  return !controller.empty() || !enroll_url.empty() ||
         std::filesystem::exists(state_dir + "/controller/identity.json", ec);
}

Status loadAgentConfigFile(const std::string& path, AgentConfig& config) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return notFound("cannot read agent config " + path);
  } catch (const YAML::Exception& e) {
    return invalidArgument(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                           std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (root.IsNull()) return okStatus();
  if (!root.IsMap()) return invalidArgument(path + ":1:1: the agent config must be a mapping");
  static const std::set<std::string> kKeys = {
      "policy",        "scope",         "bpffs",       "stateDir",     "logFormat",
      "logLevel",      "inline",        "identifiers", "tlsRingBytes", "verdictPriority",
      "verdictWaitUs", "verdictSpinUs", "verdictCpus", "controller"};
  std::string errors;
  for (const auto& kv : root) {
    auto key = kv.first.as<std::string>();
    auto where = path + ":" + std::to_string(kv.first.Mark().line + 1) + ":" +
                 std::to_string(kv.first.Mark().column + 1) + ": ";
    if (!kKeys.count(key)) {
      errors +=
          where + "unknown key '" + key +
          "' (known: policy, scope, bpffs, stateDir, logFormat, logLevel, inline, "
          "identifiers, tlsRingBytes, verdictPriority, verdictWaitUs, verdictSpinUs, verdictCpus, "
          "controller)\n";
      continue;
    }
    if (!kv.second.IsScalar()) {
      errors += where + "'" + key + "' must be a string\n";
      continue;
    }
    auto value = kv.second.as<std::string>();
    if (key == "policy") config.policy_file = value;
    if (key == "scope") config.scope = value;
    if (key == "bpffs") config.bpffs_dir = value;
    if (key == "stateDir") config.state_dir = value;
    if (key == "logLevel") config.log_level = value;
    if (key == "inline") {
      if (value != "true" && value != "false") {
        errors += where + "'inline' must be true or false\n";
      } else {
        config.inline_inspection = value == "true";
      }
    }
    // A parsed value goes to its field; a parse error is reported with where it stands.
    auto take = [&](auto parsed, auto& field) {
      if (parsed) {
        field = *parsed;
      } else {
        errors += where + parsed.error().message() + "\n";
      }
    };
    if (key == "identifiers") take(parseIdentifiers(key, value), config.all_identifiers);
    if (key == "tlsRingBytes") take(parseRingBytes(value), config.tls_ring_bytes);
    if (key == "verdictPriority") take(parseVerdictPriority(key, value), config.verdict_priority);
    if (key == "verdictWaitUs") take(parseMicros(key, value, 10000), config.verdict_wait_us);
    if (key == "verdictSpinUs") take(parseMicros(key, value, 1000000), config.verdict_spin_us);
    if (key == "verdictCpus") take(parseCpuList(key, value), config.verdict_cpus);
    if (key == "controller") config.controller = value;
    if (key == "logFormat") take(logging::parseFormat(value), config.log_format);
  }
  if (!errors.empty()) {
    errors.pop_back();
    return invalidArgument(errors);
  }
  return okStatus();
}

Result<AgentOptions> parseAgentArgs(const std::vector<std::string>& args) {
  AgentOptions opts;
  // The file first, so flags override it wherever they appear.
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--config") {
      if (i + 1 >= args.size()) return invalidArgument("--config needs a file");
      SLUICE_RETURN_IF_ERROR(loadAgentConfigFile(args[i + 1], opts.config));
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](const char* flag) -> Result<std::string> {
      if (i + 1 >= args.size()) return invalidArgument(std::string(flag) + " needs a value");
      return args[++i];
    };
    if (a == "--config") {
      ++i;
    } else if (a == "--policy") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.policy_file, value("--policy"));
    } else if (a == "--scope") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.scope, value("--scope"));
    } else if (a == "--bpffs") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.bpffs_dir, value("--bpffs"));
    } else if (a == "--state-dir") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.state_dir, value("--state-dir"));
    } else if (a == "--log-format") {
      SLUICE_ASSIGN_OR_RETURN(std::string f, value("--log-format"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.log_format, logging::parseFormat(f));
    } else if (a == "--log-level") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.log_level, value("--log-level"));
    } else if (a == "--no-inline") {
      opts.config.inline_inspection = false;
    } else if (a == "--identifiers") {
      SLUICE_ASSIGN_OR_RETURN(std::string v, value("--identifiers"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.all_identifiers, parseIdentifiers("--identifiers", v));
    } else if (a == "--tls-ring-bytes") {
      SLUICE_ASSIGN_OR_RETURN(std::string v, value("--tls-ring-bytes"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.tls_ring_bytes, parseRingBytes(v));
    } else if (a == "--verdict-priority") {
      SLUICE_ASSIGN_OR_RETURN(std::string v, value("--verdict-priority"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.verdict_priority, parseVerdictPriority("--verdict-priority", v));
    } else if (a == "--verdict-wait-us") {
      SLUICE_ASSIGN_OR_RETURN(std::string v, value("--verdict-wait-us"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.verdict_wait_us, parseMicros("--verdict-wait-us", v, 10000));
    } else if (a == "--verdict-spin-us") {
      SLUICE_ASSIGN_OR_RETURN(std::string v, value("--verdict-spin-us"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.verdict_spin_us, parseMicros("--verdict-spin-us", v, 1000000));
    } else if (a == "--verdict-cpus") {
      SLUICE_ASSIGN_OR_RETURN(std::string v, value("--verdict-cpus"));
      SLUICE_ASSIGN_OR_RETURN(opts.config.verdict_cpus, parseCpuList("--verdict-cpus", v));
    } else if (a == "--controller") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.controller, value("--controller"));
    } else if (a == "--enroll") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.enroll_url, value("--enroll"));
    } else if (a == "--token") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.enroll_token, value("--token"));
    } else if (a == "--ca-sha256") {
      SLUICE_ASSIGN_OR_RETURN(opts.config.ca_sha256, value("--ca-sha256"));
    } else if (a == "--enroll-only") {
      opts.action = AgentAction::kEnrollOnly;
    } else if (a == "--uninstall") {
      opts.action = AgentAction::kUninstall;
    } else if (a == "--version") {
      opts.action = AgentAction::kVersion;
    } else if (a == "--help" || a == "-h") {
      opts.action = AgentAction::kHelp;
    } else {
      return invalidArgument("unknown argument '" + a + "' (see sluice-agent --help)");
    }
  }
  const AgentConfig& c = opts.config;
  if (opts.action == AgentAction::kRun && c.policy_file.empty() && !c.managed()) {
    return invalidArgument(
        "no policy: pass --policy FILE, set 'policy:' in --config, or use a controller");
  }
  if (opts.action == AgentAction::kEnrollOnly && c.enroll_url.empty()) {
    return invalidArgument("--enroll-only needs --enroll URL --token TOKEN --ca-sha256 FP");
  }
  if (!c.enroll_url.empty() && (c.enroll_token.empty() || c.ca_sha256.empty())) {
    return invalidArgument("--enroll needs --token TOKEN and --ca-sha256 FINGERPRINT");
  }
  return opts;
}

std::string agentUsage() {
  return R"(usage: sluice-agent [--config FILE] [--policy FILE] [--scope CGROUP] [--bpffs DIR]
                    [--state-dir DIR] [--log-format text|json] [--log-level LEVEL]
                    [--no-inline] [--identifiers health|all] [--tls-ring-bytes N]
                    [--verdict-priority N]
                    [--verdict-wait-us N] [--verdict-spin-us N] [--verdict-cpus LIST]
                    [--controller ADDR | --enroll URL --token TOKEN --ca-sha256 FP]
       sluice-agent --enroll URL --token TOKEN --ca-sha256 FP --enroll-only [--state-dir DIR]
       sluice-agent --uninstall [--bpffs DIR]
       sluice-agent --version

Enforces an EgressPolicy in the kernel for every process in the scope cgroup (a path inside
the cgroup2 mount; "/" is the whole host). Programs and maps are pinned under --bpffs
(default /sys/fs/bpf/sluice), so enforcement continues while the agent restarts.
TLS writes toward inspect-class destinations are held until their HTTP request has been
scanned for PHI and judged by spec.rules (--no-inline turns inline inspection off). A body's
identifiers count only in a request about someone's health; --identifiers all counts them
in any request (a request's URL and headers are judged so always). The
thread that judges them runs at normal scheduling, or at SCHED_FIFO priority N with
--verdict-priority N, on any CPU or on the CPUs of --verdict-cpus LIST (e.g. 3 or 2-3).
It keeps reading for --verdict-spin-us after each write before it sleeps (default 2000 on
CPUs of its own, else 200 at normal scheduling and 0 at real-time priority, where reading on
would keep the client and server it waits for off its CPU). While it is reading on another
CPU, a captured write waits up to --verdict-wait-us (default 50; 0: never) for its verdict
before it reaches the socket.
SIGHUP or a change to the policy file reloads it; an invalid file is refused and the
previous policy stays in force. SIGTERM stops the agent and leaves enforcement pinned;
--uninstall detaches and unpins everything.

--enroll enrols with a controller once (the identity is kept in the state dir; a reused or
expired token is refused) and keeps running connected to it (--enroll-only: enrol and exit).
An agent enrolled before reconnects by itself; --controller (or 'controller:' in the config)
names another address. A connected agent enforces the signed
policy the controller pushes (kept across restarts and while the controller is away) and
sends it its alerts, heartbeats and inventory.
)";
}

}  // namespace sluice::agent
