// File: dates.h
//
// BAA expiry dates are plain calendar days (YYYY-MM-DD, UTC). They are compared as day
// numbers so that "expires in 12 days" can be said, and "today" is always passed in, so tests
// and `sluicectl policy explain --today` can ask about any day.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::policy {

// Days since 1970-01-01 for a valid "YYYY-MM-DD", nullopt for anything else (2027-02-30).
std::optional<int64_t> parseDay(std::string_view text);
// The current UTC date as "YYYY-MM-DD".
std::string todayUtc();

}  // namespace sluice::policy
