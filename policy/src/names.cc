// The small vocabulary of the model: enum names as written in YAML, locations, diagnostics,
// the PHI type names, and the file digest.
#include <openssl/evp.h>

#include "sluice/policy/policy.h"

namespace sluice::policy {

std::string_view modeName(Mode m) {
  return m == Mode::kEnforce ? "enforce" : "audit";
}

std::string_view failModeName(FailMode m) {
  return m == FailMode::kClosed ? "closed" : "open";
}

std::string_view destClassName(DestClass c) {
  switch (c) {
    case DestClass::kAllow: return "allow";
    case DestClass::kInspect: return "inspect";
    case DestClass::kDeny: return "deny";
  }
  return "?";
}

std::string_view protocolName(Protocol p) {
  switch (p) {
    case Protocol::kAny: return "any";
    case Protocol::kTcp: return "tcp";
    case Protocol::kUdp: return "udp";
  }
  return "?";
}

std::string SourceLoc::toString() const {
  std::string out = file.empty() ? "<policy>" : file;
  if (line > 0) {
    out += ":" + std::to_string(line);
    if (col > 0) out += ":" + std::to_string(col);
  }
  return out;
}

std::string Diagnostic::toString() const {
  return loc.toString() + (severity == Severity::kWarning ? ": warning: " : ": ") + message;
}

size_t PolicyReport::errorCount() const {
  size_t n = 0;
  for (const auto& d : diagnostics) n += d.severity == Severity::kError ? 1 : 0;
  return n;
}

const std::vector<std::string>& phiTypeNames() {
  // The scanner's finding types (sluice/scanner/finding.h): the 18 HIPAA Safe Harbor
  // identifiers of 45 CFR 164.514(b)(2)(i)(A)-(R), with geographic data as ADDRESS, ages over
  // 89 as AGE (part of (C)), full-face photographs and comparable images as IMAGE, and any
  // other unique identifying number as ID.
  static const std::vector<std::string> kNames = {
      "NAME",     "ADDRESS", "DATE",    "AGE",     "PHONE", "FAX", "EMAIL",
      "SSN",      "MRN",     "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE",
      "URL",      "IP",      "BIOMETRIC", "IMAGE",  "ID",    "any"};
  return kNames;
}

std::string sha256Hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &len, EVP_sha256(), nullptr) != 1) {
    return {};
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xf];
  }
  return out;
}

}  // namespace sluice::policy
