#include "sluice/controller/totp.h"

#include <array>
#include <cstdio>

#include "sluice/controller/crypto.h"

namespace sluice::controller {

std::string totpCode(std::string_view secret, int64_t unix_time, int digits, int64_t step_seconds) {
  uint64_t counter = static_cast<uint64_t>(unix_time / step_seconds);
  std::string msg(8, '\0');
  for (int i = 7; i >= 0; --i) {
    msg[static_cast<size_t>(i)] = static_cast<char>(counter & 0xff);
    counter >>= 8;
  }
  std::string mac = crypto::hmacSha1(secret, msg);
  size_t offset = static_cast<unsigned char>(mac.back()) & 0x0f;
  auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(mac[i])); };
  uint32_t binary = ((byte(offset) & 0x7f) << 24) | (byte(offset + 1) << 16) |
                    (byte(offset + 2) << 8) | byte(offset + 3);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

bool totpVerify(std::string_view secret, std::string_view code, int64_t unix_time) {
  if (code.size() != 6) return false;
  bool ok = false;
  // Check every candidate so that the time taken does not reveal which step matched.
  for (int64_t skew = -1; skew <= 1; ++skew) {
    ok |= crypto::constantTimeEquals(totpCode(secret, unix_time + skew * 30), code);
  }
  return ok;
}

std::string totpUri(std::string_view secret, std::string_view account) {
  return "otpauth://totp/Sluice:" + std::string(account) +
         "?secret=" + crypto::base32Encode(secret) + "&issuer=Sluice&digits=6&period=30";
}

}  // namespace sluice::controller
