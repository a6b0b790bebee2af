// File: finding.h
//
// What the scanner reports. A Finding names one of the HIPAA Safe Harbor identifier
// categories (45 CFR 164.514(b)(2)) and a byte range in the bytes as they were sent, so an
// alert can point at the value without carrying it. `score` is the scanner's confidence in
// [0, 1]; only findings at or above ScannerOptions::min_score are reported.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::scanner {

// The finding types of issue 3. ADDRESS covers street addresses, cities and ZIP codes;
// LICENSE covers NPI, DEA and state licence numbers; ACCOUNT covers payment cards.
enum class PhiType : uint8_t {
  kName,
  kAddress,
  kDate,
  kAge,
  kPhone,
  kFax,
  kEmail,
  kSsn,
  kMrn,
  kHealthPlan,
  kAccount,
  kLicense,
  kVehicle,
  kDevice,
  kUrl,
  kIp,
  kBiometric,
  kImage,
  kId,
};

inline constexpr int kPhiTypeCount = 19;

// "NAME", "SSN", ... exactly as the sluicectl JSON contract spells them.
std::string_view typeName(PhiType type);
std::optional<PhiType> parseType(std::string_view name);

struct Finding {
  PhiType type;
  uint64_t start;  // byte offset into the original bytes
  uint64_t end;    // exclusive
  float score;

  bool operator==(const Finding&) const = default;
};

}  // namespace sluice::scanner
