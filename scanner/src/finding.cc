#include "sluice/scanner/finding.h"

#include <array>

namespace sluice::scanner {
namespace {
constexpr std::array<std::string_view, kPhiTypeCount> kNames = {
    "NAME", "ADDRESS",  "DATE",   "AGE",     "PHONE",   "FAX", "EMAIL",
    "SSN",  "MRN",      "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
    "URL",  "IP",       "BIOMETRIC", "IMAGE", "ID"};
}  // namespace

std::string_view typeName(PhiType type) { return kNames[static_cast<size_t>(type)]; }

std::optional<PhiType> parseType(std::string_view name) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<PhiType>(i);
  }
  return std::nullopt;
}

}  // namespace sluice::scanner
