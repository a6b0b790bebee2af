// File: crypto.h
//
// The few cryptographic primitives the controller needs, as small value-returning functions
// over OpenSSL 3: hashing and HMAC for tokens and the audit chain, AES-256-GCM for evidence
// and secrets at rest, Ed25519 for policy bundles and audit checkpoints, and the encodings
// (hex, base64, base32) that keys and codes travel in. Nothing here logs or keeps secrets
// beyond the objects the caller holds.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "sluice/common/result.h"

typedef struct evp_pkey_st EVP_PKEY;  // NOLINT: OpenSSL's own spelling

namespace sluice::controller::crypto {

std::string randomBytes(size_t n);
// A random identifier: prefix + 16 hex digits, e.g. "agt-3f9c0d...".
std::string randomId(std::string_view prefix);

std::string sha256(std::string_view data);  // raw 32 bytes
std::string sha256Hex(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hmacSha1(std::string_view key, std::string_view data);    // raw 20 bytes
bool constantTimeEquals(std::string_view a, std::string_view b);

std::string toHex(std::string_view bytes);
Result<std::string> fromHex(std::string_view hex);
std::string base64Encode(std::string_view bytes);
Result<std::string> base64Decode(std::string_view text);
std::string base32Encode(std::string_view bytes);  // RFC 4648, no padding (TOTP secrets)
Result<std::string> base32Decode(std::string_view text);

// AES-256-GCM with a random 96-bit nonce. The sealed form is nonce || ciphertext || tag, so
// it is self-contained; `aad` binds it to its context (e.g. the alert id) so a sealed value
// cannot be moved to another row.
Result<std::string> aeadSeal(std::string_view key, std::string_view plaintext,
                             std::string_view aad);
Result<std::string> aeadOpen(std::string_view key, std::string_view sealed, std::string_view aad);

// An Ed25519 key pair (or a public key alone). Copies share the underlying key.
class Ed25519Key {
 public:
  static Result<Ed25519Key> generate();
  static Result<Ed25519Key> fromPrivatePem(std::string_view pem);
  static Result<Ed25519Key> fromPublicPem(std::string_view pem);

  Result<std::string> privatePem() const;
  Result<std::string> publicPem() const;
  std::string publicRaw() const;                             // 32 bytes
  std::string keyId() const;                                 // hex SHA-256 of publicRaw()
  Result<std::string> sign(std::string_view message) const;  // 64 bytes
  bool verify(std::string_view message, std::string_view signature) const;

 private:
  explicit Ed25519Key(std::shared_ptr<EVP_PKEY> key) : key_(std::move(key)) {}
  std::shared_ptr<EVP_PKEY> key_;
};

// The newest OpenSSL error queue entry as text, for messages.
std::string opensslError();

}  // namespace sluice::controller::crypto
