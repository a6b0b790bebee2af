#include "sluice/controller/ca.h"

#include <arpa/inet.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sluice/controller/crypto.h"

namespace sluice::controller {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using X509Ptr = std::unique_ptr<X509, decltype(&X509_free)>;
using ReqPtr = std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)>;

Bio memBio(const std::string& text) {
  return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
}

std::string bioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

Result<std::string> certToPem(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_X509(bio.get(), cert) != 1) {
    return internalError("cannot encode certificate: " + crypto::opensslError());
  }
  return bioText(bio.get());
}

Result<X509Ptr> pemToCert(const std::string& pem) {
  Bio bio = memBio(pem);
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) return invalidArgument("not a PEM certificate");
  return X509Ptr(cert, X509_free);
}

Result<std::shared_ptr<EVP_PKEY>> pemToKey(const std::string& pem) {
  Bio bio = memBio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return invalidArgument("not a PEM private key");
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

Result<std::string> keyToPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  if (PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return internalError("cannot encode private key: " + crypto::opensslError());
  }
  return bioText(bio.get());
}

// Serial, validity, subject, issuer and public key: the fields every certificate we make has.
Result<std::string> fillBasics(X509* cert, EVP_PKEY* subject_key, const std::string& cn,
                               X509* issuer, int64_t now_unix, int64_t validity_seconds) {
  std::string serial = crypto::randomBytes(16);
  serial[0] = static_cast<char>(serial[0] & 0x7f);  // positive, as RFC 5280 requires
  BIGNUM* bn = BN_bin2bn(reinterpret_cast<const unsigned char*>(serial.data()),
                         static_cast<int>(serial.size()), nullptr);
  ASN1_INTEGER* asn_serial = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
  BN_free(bn);
  X509_NAME* name = X509_get_subject_name(cert);
  // Back-date by five minutes so that a peer whose clock is slightly behind accepts it.
  if (asn_serial == nullptr || X509_set_version(cert, 2) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert), static_cast<time_t>(now_unix - 300)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert), static_cast<time_t>(now_unix + validity_seconds)) ==
          nullptr ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1 ||
      X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name) != 1 ||
      X509_set_pubkey(cert, subject_key) != 1) {
    return internalError("cannot build certificate: " + crypto::opensslError());
  }
  return crypto::toHex(serial);
}

Status addExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) {
    return internalError("bad certificate extension '" + value + "': " + crypto::opensslError());
  }
  int rc = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (rc != 1) return internalError("cannot add certificate extension");
  return okStatus();
}

bool isIpAddress(const std::string& name) {
  unsigned char buf[16];
  return inet_pton(AF_INET, name.c_str(), buf) == 1 || inet_pton(AF_INET6, name.c_str(), buf) == 1;
}

}  // namespace

CertificateAuthority::CertificateAuthority(std::shared_ptr<X509> cert,
                                           std::shared_ptr<EVP_PKEY> key, std::string cert_pem)
    : cert_(std::move(cert)), key_(std::move(key)), cert_pem_(std::move(cert_pem)) {}

Result<CertificateAuthority> CertificateAuthority::create(const std::string& common_name,
                                                          int64_t now_unix,
                                                          int64_t validity_seconds) {
  std::shared_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  std::shared_ptr<X509> cert(X509_new(), X509_free);
  if (!key || !cert) return internalError("cannot create CA key: " + crypto::opensslError());
  SLUICE_RETURN_IF_ERROR(
      fillBasics(cert.get(), key.get(), common_name, nullptr, now_unix, validity_seconds));
  SLUICE_RETURN_IF_ERROR(
      addExtension(cert.get(), nullptr, NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  SLUICE_RETURN_IF_ERROR(
      addExtension(cert.get(), nullptr, NID_key_usage, "critical,keyCertSign,cRLSign"));
  SLUICE_RETURN_IF_ERROR(addExtension(cert.get(), nullptr, NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return internalError("cannot self-sign CA: " + crypto::opensslError());
  }
  SLUICE_ASSIGN_OR_RETURN(std::string pem, certToPem(cert.get()));
  return CertificateAuthority(std::move(cert), std::move(key), std::move(pem));
}

Result<CertificateAuthority> CertificateAuthority::load(const std::string& cert_pem,
                                                        const std::string& key_pem) {
  SLUICE_ASSIGN_OR_RETURN(X509Ptr cert, pemToCert(cert_pem));
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, pemToKey(key_pem));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return invalidArgument("CA key does not match the CA certificate");
  }
  return CertificateAuthority(std::shared_ptr<X509>(cert.release(), X509_free), std::move(key),
                              cert_pem);
}

Result<std::string> CertificateAuthority::keyPem() const {
  return keyToPem(key_.get());
}

std::string CertificateAuthority::fingerprintSha256() const {
  unsigned char* der = nullptr;
  int len = i2d_X509(cert_.get(), &der);
  if (len <= 0) return "";
  std::string out =
      crypto::sha256Hex(std::string_view(reinterpret_cast<char*>(der), static_cast<size_t>(len)));
  OPENSSL_free(der);
  return out;
}

Result<IssuedCert> CertificateAuthority::signClientCsr(const std::string& csr_pem,
                                                       const std::string& common_name,
                                                       int64_t now_unix,
                                                       int64_t validity_seconds) const {
  Bio bio = memBio(csr_pem);
  ReqPtr req(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr), X509_REQ_free);
  if (!req) return invalidArgument("the CSR is not a PEM certificate request");
  EVP_PKEY* pub = X509_REQ_get0_pubkey(req.get());
  if (pub == nullptr || X509_REQ_verify(req.get(), pub) != 1) {
    return invalidArgument("the CSR's signature does not verify");
  }
  X509Ptr cert(X509_new(), X509_free);
  IssuedCert issued;
  SLUICE_ASSIGN_OR_RETURN(issued.serial_hex, fillBasics(cert.get(), pub, common_name, cert_.get(),
                                                        now_unix, validity_seconds));
  SLUICE_RETURN_IF_ERROR(
      addExtension(cert.get(), cert_.get(), NID_basic_constraints, "critical,CA:FALSE"));
  SLUICE_RETURN_IF_ERROR(
      addExtension(cert.get(), cert_.get(), NID_key_usage, "critical,digitalSignature"));
  SLUICE_RETURN_IF_ERROR(addExtension(cert.get(), cert_.get(), NID_ext_key_usage, "clientAuth"));
  if (X509_sign(cert.get(), key_.get(), EVP_sha256()) == 0) {
    return internalError("cannot sign certificate: " + crypto::opensslError());
  }
  SLUICE_ASSIGN_OR_RETURN(issued.pem, certToPem(cert.get()));
  issued.not_after_unix = now_unix + validity_seconds;
  return issued;
}

Result<std::pair<IssuedCert, std::string>> CertificateAuthority::issueServerCert(
    const std::string& common_name, const std::vector<std::string>& names, int64_t now_unix,
    int64_t validity_seconds) const {
  std::shared_ptr<EVP_PKEY> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  X509Ptr cert(X509_new(), X509_free);
  if (!key || !cert) return internalError("cannot create server key: " + crypto::opensslError());
  IssuedCert issued;
  SLUICE_ASSIGN_OR_RETURN(issued.serial_hex, fillBasics(cert.get(), key.get(), common_name,
                                                        cert_.get(), now_unix, validity_seconds));
  std::string san;
  for (const auto& n : names) {
    if (!san.empty()) san += ",";
    san += (isIpAddress(n) ? "IP:" : "DNS:") + n;
  }
  SLUICE_RETURN_IF_ERROR(
      addExtension(cert.get(), cert_.get(), NID_basic_constraints, "critical,CA:FALSE"));
  SLUICE_RETURN_IF_ERROR(addExtension(cert.get(), cert_.get(), NID_ext_key_usage, "serverAuth"));
  if (!san.empty()) {
    SLUICE_RETURN_IF_ERROR(addExtension(cert.get(), cert_.get(), NID_subject_alt_name, san));
  }
  if (X509_sign(cert.get(), key_.get(), EVP_sha256()) == 0) {
    return internalError("cannot sign server certificate: " + crypto::opensslError());
  }
  SLUICE_ASSIGN_OR_RETURN(issued.pem, certToPem(cert.get()));
  issued.not_after_unix = now_unix + validity_seconds;
  SLUICE_ASSIGN_OR_RETURN(std::string key_pem, keyToPem(key.get()));
  return std::make_pair(std::move(issued), std::move(key_pem));
}

Result<std::string> generateEcKeyPem() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key) return internalError("cannot create EC key: " + crypto::opensslError());
  return keyToPem(key.get());
}

Result<std::string> makeCsr(const std::string& key_pem, const std::string& common_name) {
  SLUICE_ASSIGN_OR_RETURN(std::shared_ptr<EVP_PKEY> key, pemToKey(key_pem));
  ReqPtr req(X509_REQ_new(), X509_REQ_free);
  X509_NAME* name = X509_REQ_get_subject_name(req.get());
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1 ||
      X509_REQ_set_pubkey(req.get(), key.get()) != 1 ||
      X509_REQ_sign(req.get(), key.get(), EVP_sha256()) == 0) {
    return internalError("cannot build CSR: " + crypto::opensslError());
  }
  Bio bio(BIO_new(BIO_s_mem()), BIO_free);
  PEM_write_bio_X509_REQ(bio.get(), req.get());
  return bioText(bio.get());
}

Status verifyCertificate(const std::string& cert_pem, const std::string& ca_pem, int64_t now_unix) {
  SLUICE_ASSIGN_OR_RETURN(X509Ptr cert, pemToCert(cert_pem));
  SLUICE_ASSIGN_OR_RETURN(X509Ptr ca, pemToCert(ca_pem));
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      X509_STORE_CTX_free);
  X509_STORE_add_cert(store.get(), ca.get());
  X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(now_unix));
  if (X509_verify_cert(ctx.get()) != 1) {
    return Error(ErrorCode::kUnauthenticated,
                 std::string("certificate does not verify: ") +
                     X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
  }
  return okStatus();
}

Result<std::string> certificateCommonName(const std::string& cert_pem) {
  SLUICE_ASSIGN_OR_RETURN(X509Ptr cert, pemToCert(cert_pem));
  char buf[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, buf,
                                sizeof(buf)) < 0) {
    return invalidArgument("certificate has no common name");
  }
  return std::string(buf);
}

}  // namespace sluice::controller
