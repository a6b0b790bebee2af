// File: host_pattern.h (internal to sluice_policy)
//
// Hostname patterns as policy destinations write them: an exact name ("llm.corp.example") or a
// leading wildcard ("*.corp.example") that matches one or more labels in front of the suffix,
// so that denying "*.example.com" also denies "a.b.example.com". Names compare
// case-insensitively and a trailing dot is ignored, as DNS does.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sluice::policy::detail {

// Lower-cases and strips one trailing dot.
std::string normalizeHost(std::string_view host);
// Why `pattern` is not a valid host pattern, or nullopt when it is.
std::optional<std::string> hostPatternProblem(std::string_view pattern);
bool hostMatches(std::string_view pattern, std::string_view host);
// Some name matches both patterns.
bool hostPatternsOverlap(std::string_view a, std::string_view b);
// Number of literal labels: the more, the more specific (exact names beat wildcards).
int hostSpecificity(std::string_view pattern);

}  // namespace sluice::policy::detail
