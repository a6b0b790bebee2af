// File: totp.h
//
// RFC 6238 time-based one-time codes (HMAC-SHA1, 30 s steps, 6 digits), the second factor
// people present with their API token. Any authenticator app can hold the secret.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::controller {

std::string totpCode(std::string_view secret, int64_t unix_time, int digits = 6,
                     int64_t step_seconds = 30);
// True when `code` matches the step containing `unix_time` or one step either side (clock
// skew between the person's phone and the controller).
bool totpVerify(std::string_view secret, std::string_view code, int64_t unix_time);
// otpauth:// URI for QR codes.
std::string totpUri(std::string_view secret, std::string_view account);

}  // namespace sluice::controller
