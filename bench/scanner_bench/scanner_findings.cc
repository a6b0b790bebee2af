// scanner_findings: every finding of the scanner over JSON-lines corpora, through the one-shot
// API or the stream API with writes of a fixed size, one line per request. A speed change to
// the scanner must leave these lines byte for byte the same (docs/PERFORMANCE.md):
//
//   scanner_findings --write 0 corpus.jsonl ... > oneshot.txt     # Scanner::scan()
//   scanner_findings --write 97 corpus.jsonl ... > stream_97.txt  # 97-byte ScanStream writes
//
// Input lines are {"id": str, "payload": str} (tests/corpus/generate.py, handwritten.jsonl).
// Output: the id, then type:start-end:score per finding, the score in hexadecimal so that no
// rounding hides a change.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sluice/scanner/scanner.h"

namespace {

using sluice::scanner::Finding;
using sluice::scanner::Scanner;

sluice::Result<std::vector<Finding>> findings(const Scanner& scanner, std::string_view payload,
                                              size_t write) {
  if (write == 0) return scanner.scan(payload);
  SLUICE_ASSIGN_OR_RETURN(auto stream, scanner.openStream());
  for (size_t at = 0; at < payload.size(); at += write) {
    SLUICE_RETURN_IF_ERROR(stream->write(payload.substr(at, write)));
  }
  return stream->finish();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || std::strcmp(argv[1], "--write") != 0) {
    std::fprintf(stderr, "usage: scanner_findings --write N FILE.jsonl...  (N = 0: one-shot)\n");
    return 2;
  }
  size_t write = std::strtoull(argv[2], nullptr, 10);
  auto scanner = Scanner::create();
  if (!scanner) {
    std::fprintf(stderr, "scanner_findings: %s\n", scanner.error().toString().c_str());
    return 1;
  }
  for (int a = 3; a < argc; ++a) {
    std::ifstream in(argv[a]);
    if (!in) {
      std::fprintf(stderr, "scanner_findings: cannot open %s\n", argv[a]);
      return 1;
    }
    std::string line;
    while (std::getline(in, line)) {
      auto request = nlohmann::json::parse(line, nullptr, false);
      if (request.is_discarded() || !request.contains("payload")) continue;
      auto found = findings(**scanner, request["payload"].get<std::string>(), write);
      if (!found) {
        std::fprintf(stderr, "scanner_findings: %s\n", found.error().toString().c_str());
        return 1;
      }
      std::printf("%s", request.value("id", "").c_str());
      for (const Finding& f : *found) {
        std::printf(" %s:%llu-%llu:%a", std::string(typeName(f.type)).c_str(),
                    static_cast<unsigned long long>(f.start),
                    static_cast<unsigned long long>(f.end), static_cast<double>(f.score));
      }
      std::printf("\n");
    }
  }
  return 0;
}
