// File: ca.h
//
// The controller's certificate authority. `sluice-controller init` creates it (an ECDSA
// P-256 key and a self-signed certificate); it then signs the controller's own TLS server
// certificate and, at enrolment and renewal, the agents' CSRs. Agent certificates are short
// lived (24 h by default) so that revocation is backed by expiry even if a revoked agent
// reached a controller that had not yet heard of the revocation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sluice/common/result.h"

typedef struct x509_st X509;          // NOLINT: OpenSSL's own spelling
typedef struct evp_pkey_st EVP_PKEY;  // NOLINT

namespace sluice::controller {

struct IssuedCert {
  std::string pem;
  std::string serial_hex;
  int64_t not_after_unix = 0;
};

class CertificateAuthority {
 public:
  static Result<CertificateAuthority> create(const std::string& common_name, int64_t now_unix,
                                             int64_t validity_seconds);
  static Result<CertificateAuthority> load(const std::string& cert_pem, const std::string& key_pem);

  const std::string& certPem() const { return cert_pem_; }
  Result<std::string> keyPem() const;
  std::string fingerprintSha256() const;  // hex of the DER certificate, for --ca-sha256

  // Signs a PKCS#10 request as a TLS client certificate with the given common name; the
  // request's own subject is ignored.
  Result<IssuedCert> signClientCsr(const std::string& csr_pem, const std::string& common_name,
                                   int64_t now_unix, int64_t validity_seconds) const;
  // Creates a key and a TLS server certificate for the given DNS names / IP addresses.
  // Returns the certificate and the key's PEM.
  Result<std::pair<IssuedCert, std::string>> issueServerCert(const std::string& common_name,
                                                             const std::vector<std::string>& names,
                                                             int64_t now_unix,
                                                             int64_t validity_seconds) const;

 private:
  CertificateAuthority(std::shared_ptr<X509> cert, std::shared_ptr<EVP_PKEY> key,
                       std::string cert_pem);
  std::shared_ptr<X509> cert_;
  std::shared_ptr<EVP_PKEY> key_;
  std::string cert_pem_;
};

// A fresh ECDSA P-256 private key as PEM (agents and the controller's server key).
Result<std::string> generateEcKeyPem();
// A PKCS#10 request for the key, with the given common name.
Result<std::string> makeCsr(const std::string& key_pem, const std::string& common_name);
// Checks that `cert_pem` chains to `ca_pem` and is valid at `now_unix`.
Status verifyCertificate(const std::string& cert_pem, const std::string& ca_pem, int64_t now_unix);
// The common name of a PEM certificate.
Result<std::string> certificateCommonName(const std::string& cert_pem);

}  // namespace sluice::controller
