// sluicectl scan: runs the PHI scanner over files.
//
//   sluicectl scan --jsonl FILE|-    one JSON line in, one verdict line out (a contract other
//                                    tools depend on; see issue 3 and docs/scanner.md)
//   sluicectl scan FILE...           a human-readable report with masked excerpts
//
// Raw values are never printed: the report shows maskValue() excerpts only.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "command.h"
#include "sluice/scanner/redact.h"
#include "sluice/scanner/scanner.h"

namespace sluice::cli {
namespace {

using scanner::Finding;
using scanner::Scanner;

constexpr const char* kUsage =
    "usage: sluicectl scan [--min-score S] [--identifiers health|all] --jsonl FILE|-\n"
    "       sluicectl scan [--min-score S] [--identifiers health|all] FILE...\n"
    "\n"
    "--jsonl reads lines {\"id\": str, \"payload\": str} and writes, in order, one line per\n"
    "input:\n"
    "  {\"id\": str, \"verdict\": \"phi\"|\"clean\", \"findings\": [{\"type\", \"start\", \"end\", "
    "\"score\"}]}\n"
    "Offsets are bytes into the UTF-8 payload, end exclusive. A malformed line yields\n"
    "{\"id\": ..., \"error\": str} and exit status 1 at the end.\n"
    "FILE mode prints masked excerpts only; exit status 0 clean, 1 PHI found, 2 error.\n"
    "--identifiers health (the default) reports a person's identifiers only in a request about\n"
    "someone's health; all reports them in any request.\n";

// Output objects keep the contract's key order (id, verdict, findings; type, start, end,
// score) so that line-oriented tools comparing text see what the issue specifies.
using OrderedJson = nlohmann::ordered_json;

OrderedJson findingsJson(const std::vector<Finding>& findings) {
  OrderedJson out = OrderedJson::array();
  for (const Finding& f : findings) {
    out.push_back({{"type", std::string(scanner::typeName(f.type))},
                   {"start", f.start},
                   {"end", f.end},
                   {"score", std::round(static_cast<double>(f.score) * 1000.0) / 1000.0}});
  }
  return out;
}

// Returns true when the line was scanned; false when it produced an error line.
bool scanLine(const Scanner& scanner, const std::string& line, std::ostream& out) {
  nlohmann::json id = nullptr;
  auto fail = [&](const std::string& message) {
    OrderedJson err = {{"id", id}, {"error", message}};
    out << err.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    return false;
  };
  nlohmann::json in;
  try {
    in = nlohmann::json::parse(line);
  } catch (const nlohmann::json::exception& e) {
    return fail(std::string("malformed JSON: ") + e.what());
  }
  if (!in.is_object()) return fail("line is not a JSON object");
  if (in.contains("id")) id = in["id"];
  if (!in.contains("id") || !in["id"].is_string()) return fail("missing string field 'id'");
  if (!in.contains("payload") || !in["payload"].is_string()) {
    return fail("missing string field 'payload'");
  }
  const std::string& payload = in["payload"].get_ref<const std::string&>();
  auto findings = scanner.scan(payload);
  if (!findings) return fail(findings.error().toString());
  OrderedJson result = {{"id", id},
                           {"verdict", findings->empty() ? "clean" : "phi"},
                           {"findings", findingsJson(*findings)}};
  out << result.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return true;
}

int runJsonl(const Scanner& scanner, const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "sluicectl scan: cannot open %s\n", path.c_str());
      return 2;
    }
    in = &file;
  }
  bool errors = false;
  std::string line;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    errors = !scanLine(scanner, line, std::cout) || errors;
  }
  std::cout.flush();
  return errors ? 1 : 0;
}

// 1-based line and column of byte `offset`.
std::pair<size_t, size_t> lineColumn(std::string_view text, uint64_t offset) {
  size_t line = 1, col = 1;
  for (uint64_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

int runReport(const Scanner& scanner, const std::vector<std::string>& paths) {
  int status = 0;
  size_t total = 0;
  for (const std::string& path : paths) {
    std::string body;
    if (path == "-") {
      body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream file(path, std::ios::binary);
      if (!file) {
        std::fprintf(stderr, "sluicectl scan: cannot open %s\n", path.c_str());
        status = 2;
        continue;
      }
      body.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
    }
    auto findings = scanner.scan(body);
    if (!findings) {
      std::fprintf(stderr, "sluicectl scan: %s: %s\n", path.c_str(),
                   findings.error().toString().c_str());
      status = 2;
      continue;
    }
    std::printf("%s: %s, %zu finding(s)\n", path.c_str(), findings->empty() ? "clean" : "PHI",
                findings->size());
    for (const Finding& f : *findings) {
      auto [line, col] = lineColumn(body, f.start);
      std::string masked = scanner::maskValue(
          f.type, std::string_view(body).substr(f.start, f.end - f.start));
      std::string where = std::to_string(line) + ":" + std::to_string(col);
      std::printf("  %-9s %-11s %.2f  %s\n", where.c_str(),
                  std::string(scanner::typeName(f.type)).c_str(), static_cast<double>(f.score),
                  masked.c_str());
    }
    total += findings->size();
  }
  if (status == 0 && total > 0) status = 1;  // like grep -L: PHI found is a non-zero exit
  return status;
}

int runScan(const Args& args) {
  FlagParser flags(args);
  std::string error;
  if (!flags.parse({"--jsonl", "--min-score", "--identifiers"}, {"--help"}, error)) {
    std::fprintf(stderr, "sluicectl scan: %s\n%s", error.c_str(), kUsage);
    return 2;
  }
  if (flags.has("--help")) {
    std::printf("%s", kUsage);
    return 0;
  }
  if (!flags.has("--jsonl") && flags.positional().empty()) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  scanner::ScannerOptions options;
  if (flags.has("--min-score")) {
    try {
      options.min_score = std::stof(flags.get("--min-score"));
    } catch (const std::exception&) {
      std::fprintf(stderr, "sluicectl scan: --min-score needs a number\n");
      return 2;
    }
  }
  if (flags.has("--identifiers")) {
    std::string which = flags.get("--identifiers");
    std::optional<scanner::Reach> reach = scanner::parseReach(which);
    if (!reach) {
      std::fprintf(stderr, "sluicectl scan: --identifiers '%s' must be health or all\n",
                   which.c_str());
      return 2;
    }
    options.reach = *reach;
  }
  auto scanner = Scanner::create(options);
  if (!scanner) {
    std::fprintf(stderr, "sluicectl scan: %s\n", scanner.error().toString().c_str());
    return 2;
  }
  if (flags.has("--jsonl")) return runJsonl(**scanner, flags.get("--jsonl"));
  return runReport(**scanner, flags.positional());
}

const CommandRegistrar kRegistrar({"scan", "find PHI in files or JSON lines (--jsonl)", runScan});

}  // namespace
}  // namespace sluice::cli
