#include "sluice/scanner/redact.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>

#include "sluice/scanner/scanner.h"

namespace sluice::scanner {
namespace {

bool numberShaped(PhiType type) {
  switch (type) {
    case PhiType::kSsn:
    case PhiType::kPhone:
    case PhiType::kFax:
    case PhiType::kAccount:
    case PhiType::kDate:
    case PhiType::kAge:
      return true;
    default:
      return false;
  }
}

std::string normalise(PhiType type, std::string_view value) {
  std::string out;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (numberShaped(type)) {
      if (std::isdigit(u)) out.push_back(c);
    } else if (!std::isspace(u)) {
      out.push_back(static_cast<char>(std::tolower(u)));
    }
  }
  return out;
}

// Keeps the last `keep` alphanumerics and every separator; masks the rest with '*'.
std::string maskKeepingTail(std::string_view value, size_t keep) {
  size_t alnum = 0;
  for (char c : value) alnum += std::isalnum(static_cast<unsigned char>(c)) ? 1 : 0;
  size_t mask_until = alnum > keep ? alnum - keep : 0;
  // Short values would be revealed by their tail alone; mask them whole.
  if (alnum <= keep * 2) mask_until = alnum;
  std::string out;
  size_t seen = 0;
  for (char c : value) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(seen < mask_until ? '*' : c);
      ++seen;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string maskValue(PhiType type, std::string_view value) {
  switch (type) {
    case PhiType::kSsn:
    case PhiType::kPhone:
    case PhiType::kFax:
    case PhiType::kAccount:
    case PhiType::kMrn:
    case PhiType::kHealthPlan:
    case PhiType::kLicense:
    case PhiType::kVehicle:
    case PhiType::kDevice:
    case PhiType::kId:
      return maskKeepingTail(value, 4);
    case PhiType::kEmail: {
      size_t at = value.find('@');
      if (at == std::string_view::npos) return std::string(value.size(), '*');
      std::string out = at > 0 ? std::string(1, value[0]) : "";
      return out + "***" + std::string(value.substr(at));
    }
    case PhiType::kName: {
      // Initials only: "John Smith" -> "J*** S***".
      std::string out;
      bool word_start = true;
      for (char c : value) {
        bool letter = std::isalpha(static_cast<unsigned char>(c)) != 0;
        if (!letter) {
          out.push_back(c);
          word_start = true;
        } else if (word_start) {
          out.push_back(c);
          out += "***";
          word_start = false;
        }
      }
      return out;
    }
    case PhiType::kImage:
      return "[image " + std::to_string(value.size()) + " bytes]";
    default:
      return "[" + std::string(typeName(type)) + " " + std::to_string(value.size()) +
             " bytes]";
  }
}

Result<std::string> keyedHash(std::string_view key, PhiType type, std::string_view value) {
  std::string message = std::string(typeName(type)) + ":" + normalise(type, value);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
           &length) == nullptr) {
    return internalError("HMAC-SHA256 failed in OpenSSL");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

std::string maskPhi(const Scanner& scanner, std::string_view text) {
  auto found = scanner.scan(text, Reach::kAll);
  if (!found) return "[unscanned " + std::to_string(text.size()) + " bytes]";
  std::sort(found->begin(), found->end(),
            [](const Finding& a, const Finding& b) { return a.start < b.start; });
  std::string out;
  size_t at = 0;
  for (const auto& f : *found) {  // an overlapping finding extends the mask
    size_t start = std::max<size_t>(f.start, at), end = std::min<size_t>(f.end, text.size());
    if (end <= start) continue;
    out.append(text.substr(at, start - at));
    out += maskValue(f.type, text.substr(start, end - start));
    at = end;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace sluice::scanner
