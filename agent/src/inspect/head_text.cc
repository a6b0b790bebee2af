#include "head_text.h"

#include <algorithm>
#include <array>

#include "http_fields.h"

namespace sluice::agent::inspect {
namespace {

bool skipped(std::string_view lower) {
  static constexpr std::array<std::string_view, 32> kSkip = {
      // credentials
      "authorization", "proxy-authorization", "cookie", "x-api-key", "api-key", "x-goog-api-key",
      "openai-organization", "openai-project",
      // transport and content description
      ":method", ":scheme", ":path", ":authority", ":protocol", "host", "content-length",
      "content-type", "content-encoding", "transfer-encoding", "connection", "keep-alive", "te",
      "upgrade", "expect", "accept", "accept-encoding", "accept-language", "user-agent", "priority",
      "cache-control", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions"};
  return std::find(kSkip.begin(), kSkip.end(), lower) != kSkip.end() ||
         lower.starts_with("x-stainless-") || lower.starts_with("grpc-") ||
         lower.starts_with("sec-ch-") || lower.starts_with("sec-fetch-");
}

}  // namespace

void HeadText::target(std::string_view target) {
  lines_.push_back({text_.size(), "the request target"});
  text_ += percentDecode(target);
  text_ += '\n';
}

void HeadText::header(std::string_view name, std::string_view value) {
  std::string lower = lowercase(name);
  if (skipped(lower)) return;
  lines_.push_back({text_.size(), "header " + lower});
  text_ += lower;
  text_ += ": ";
  text_ += value;
  text_ += '\n';
}

Status HeadText::scanInto(const Context& context, InspectedRequest& request) const {
  if (text_.empty()) return okStatus();
  // AI APIs take no person's details in a URL or a header: any identifier there counts, with
  // or without health words beside it.
  SLUICE_ASSIGN_OR_RETURN(auto findings, context.scanner->scan(text_, scanner::Reach::kAll));
  for (const scanner::Finding& f : findings) {
    auto line = std::upper_bound(lines_.begin(), lines_.end(), f.start,
                                 [](uint64_t at, const Line& l) { return at < l.start; });
    std::string where = line == lines_.begin() ? "the head" : std::prev(line)->where;
    request.notes.push_back("head: " + std::string(scanner::typeName(f.type)) + " in " + where);
    request.head_findings.push_back(f);
    SLUICE_ASSIGN_OR_RETURN(
        FindingEvidence evidence,
        evidenceFor(context, f, std::string_view(text_).substr(f.start, f.end - f.start)));
    request.head_evidence.push_back(std::move(evidence));
  }
  return okStatus();
}

}  // namespace sluice::agent::inspect
