#include "sluice/controller/crypto.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace sluice::controller::crypto {
namespace {

const unsigned char* u8(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* u8(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

constexpr size_t kNonceLen = 12;
constexpr size_t kTagLen = 16;

std::string bioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

std::shared_ptr<EVP_PKEY> ownKey(EVP_PKEY* key) {
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

}  // namespace

std::string opensslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) return "unknown OpenSSL error";
  std::array<char, 256> buf{};
  ERR_error_string_n(e, buf.data(), buf.size());
  ERR_clear_error();
  return buf.data();
}

std::string randomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(u8(out), static_cast<int>(n)) != 1) {
    // The CSPRNG failing is not something to continue from: every key and token needs it.
    throw std::runtime_error("RAND_bytes failed: " + opensslError());
  }
  return out;
}

std::string randomId(std::string_view prefix) {
  return std::string(prefix) + toHex(randomBytes(8));
}

std::string sha256(std::string_view data) {
  std::string out(32, '\0');
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), u8(out), &len, EVP_sha256(), nullptr);
  return out;
}

std::string sha256Hex(std::string_view data) {
  return toHex(sha256(data));
}

static std::string hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  std::string out(EVP_MAX_MD_SIZE, '\0');
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), u8(data), data.size(), u8(out), &len);
  out.resize(len);
  return out;
}

std::string hmacSha256(std::string_view key, std::string_view data) {
  return hmac(EVP_sha256(), key, data);
}
std::string hmacSha1(std::string_view key, std::string_view data) {
  return hmac(EVP_sha1(), key, data);
}

bool constantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string toHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

Result<std::string> fromHex(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return invalidArgument("hex string has odd length");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]);
    int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return invalidArgument("not a hex string");
    out += static_cast<char>((hi << 4) | lo);
  }
  return out;
}

std::string base64Encode(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int len = EVP_EncodeBlock(u8(out), u8(bytes), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(len));
  return out;
}

Result<std::string> base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return invalidArgument("base64 text has a bad length");
  std::string out(text.size() / 4 * 3 + 1, '\0');
  int len = EVP_DecodeBlock(u8(out), u8(text), static_cast<int>(text.size()));
  if (len < 0) return invalidArgument("not base64");
  out.resize(static_cast<size_t>(len));
  // EVP_DecodeBlock keeps the zero bytes that padding stands for; drop them.
  if (!text.empty() && text.back() == '=') out.pop_back();
  if (text.size() > 1 && text[text.size() - 2] == '=') out.pop_back();
  return out;
}

std::string base32Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += kAlphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
  return out;
}

Result<std::string> base32Decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a';
    else if (c >= '2' && c <= '7')
      v = c - '2' + 26;
    else if (c == '=' || c == ' ')
      continue;
    else
      return invalidArgument("not base32");
    buffer = (buffer << 5) | static_cast<unsigned>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

Result<std::string> aeadSeal(std::string_view key, std::string_view plaintext,
                             std::string_view aad) {
  if (key.size() != 32) return invalidArgument("AES-256-GCM key must be 32 bytes");
  std::string nonce = randomBytes(kNonceLen);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::string out = nonce;
  out.resize(kNonceLen + plaintext.size() + kTagLen);
  int len = 0;
  unsigned char* body = u8(out) + kNonceLen;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u8(key), u8(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, u8(plaintext), static_cast<int>(plaintext.size())) !=
          1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagLen),
                          body + plaintext.size()) != 1) {
    return internalError("AES-GCM encryption failed: " + opensslError());
  }
  return out;
}

Result<std::string> aeadOpen(std::string_view key, std::string_view sealed, std::string_view aad) {
  if (key.size() != 32) return invalidArgument("AES-256-GCM key must be 32 bytes");
  if (sealed.size() < kNonceLen + kTagLen) {
    return Error(ErrorCode::kDataLoss, "sealed value is too short");
  }
  size_t body_len = sealed.size() - kNonceLen - kTagLen;
  std::string out(body_len, '\0');
  std::string tag(sealed.substr(kNonceLen + body_len));
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u8(key), u8(sealed)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, u8(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), u8(out), &len, u8(sealed) + kNonceLen,
                        static_cast<int>(body_len)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagLen), u8(tag)) !=
          1 ||
      EVP_DecryptFinal_ex(ctx.get(), u8(out) + len, &len) != 1) {
    ERR_clear_error();
    return Error(ErrorCode::kDataLoss,
                 "sealed value failed authentication (wrong key or "
                 "modified data)");
  }
  return out;
}

Result<Ed25519Key> Ed25519Key::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (key == nullptr) return internalError("Ed25519 key generation failed: " + opensslError());
  return Ed25519Key(ownKey(key));
}

Result<Ed25519Key> Ed25519Key::fromPrivatePem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return invalidArgument("not an Ed25519 private key in PEM form");
  }
  return Ed25519Key(ownKey(key));
}

Result<Ed25519Key> Ed25519Key::fromPublicPem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr || EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
    EVP_PKEY_free(key);
    return invalidArgument("not an Ed25519 public key in PEM form");
  }
  return Ed25519Key(ownKey(key));
}

Result<std::string> Ed25519Key::privatePem() const {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return internalError("cannot encode Ed25519 private key: " + opensslError());
  }
  return bioContents(bio.get());
}

Result<std::string> Ed25519Key::publicPem() const {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PUBKEY(bio.get(), key_.get()) != 1) {
    return internalError("cannot encode Ed25519 public key: " + opensslError());
  }
  return bioContents(bio.get());
}

std::string Ed25519Key::publicRaw() const {
  std::string out(32, '\0');
  size_t len = out.size();
  EVP_PKEY_get_raw_public_key(key_.get(), u8(out), &len);
  out.resize(len);
  return out;
}

std::string Ed25519Key::keyId() const {
  return sha256Hex(publicRaw());
}

Result<std::string> Ed25519Key::sign(std::string_view message) const {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string sig(64, '\0');
  size_t len = sig.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), u8(sig), &len, u8(message), message.size()) != 1) {
    return internalError("Ed25519 signing failed: " + opensslError());
  }
  sig.resize(len);
  return sig;
}

bool Ed25519Key::verify(std::string_view message, std::string_view signature) const {
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), u8(signature), signature.size(), u8(message),
                             message.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace sluice::controller::crypto
