#include "host_pattern.h"

#include <algorithm>

namespace sluice::policy::detail {
namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool isWildcard(std::string_view p) {
  return p.size() > 2 && p.substr(0, 2) == "*.";
}

}  // namespace

std::string normalizeHost(std::string_view host) {
  std::string out(host);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

std::optional<std::string> hostPatternProblem(std::string_view pattern) {
  std::string_view rest = isWildcard(pattern) ? pattern.substr(2) : pattern;
  if (rest.empty()) return "a host name is empty";
  if (rest.size() > 253) return "a host name is longer than 253 characters";
  size_t start = 0;
  while (start <= rest.size()) {
    size_t dot = rest.find('.', start);
    std::string_view label =
        rest.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return "a host name has an empty label";
    if (label.size() > 63) return "a host name label is longer than 63 characters";
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      if (c == '*') return "'*' is only allowed as the whole first label ('*.example.com')";
      if (!ok) return std::string("a host name may not contain '") + c + "'";
    }
    if (label.front() == '-' || label.back() == '-') {
      return "a host name label may not start or end with '-'";
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return std::nullopt;
}

bool hostMatches(std::string_view pattern, std::string_view host) {
  if (!isWildcard(pattern)) return pattern == host;
  std::string_view suffix = pattern.substr(1);  // ".example.com"
  return host.size() > suffix.size() && endsWith(host, suffix);
}

bool hostPatternsOverlap(std::string_view a, std::string_view b) {
  if (!isWildcard(a) && !isWildcard(b)) return a == b;
  if (!isWildcard(a)) return hostMatches(b, a);
  if (!isWildcard(b)) return hostMatches(a, b);
  // Two wildcards overlap when one suffix ends the other: *.a.com and *.x.a.com.
  std::string_view sa = a.substr(1);
  std::string_view sb = b.substr(1);
  return endsWith(sa, sb) || endsWith(sb, sa);
}

int hostSpecificity(std::string_view pattern) {
  int labels = static_cast<int>(std::count(pattern.begin(), pattern.end(), '.')) + 1;
  // An exact name outranks any wildcard; among wildcards, the longer suffix wins.
  return isWildcard(pattern) ? labels - 1 : 1000 + labels;
}

}  // namespace sluice::policy::detail
