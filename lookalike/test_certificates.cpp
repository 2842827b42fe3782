#include "test_certificates.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace instagram::oauth::testing {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const noexcept { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test certificates: ") + what + " failed");
}

KeyPtr make_key() {
  KeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "EVP_EC_gen");
  return key;
}

void add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  require(extension != nullptr, "X509V3_EXT_conf_nid");
  const int added = X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  require(added == 1, "X509_add_ext");
}

CertPtr make_certificate(EVP_PKEY* key, const std::string& common_name, X509* issuer) {
  CertPtr cert(X509_new());
  require(cert != nullptr, "X509_new");
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  require(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
  serial[0] &= 0x7F;
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 7L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
  return cert;
}

void write_pem(const std::string& path, X509* cert, EVP_PKEY* key) {
  // Private keys readable by the owner only (0600); certificates by anyone (0644).
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, key != nullptr ? 0600 : 0644);
  require(fd >= 0, "open");
  FILE* file = ::fdopen(fd, "w");
  require(file != nullptr, "fdopen");
  const bool ok = cert != nullptr
                      ? PEM_write_X509(file, cert) == 1
                      : PEM_write_PrivateKey(file, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(file);
  require(ok, "PEM_write");
}

}  // namespace

void remove_test_certificates(const CertificateFiles& files, const std::string& directory) {
  for (const std::string* file : {&files.ca_file, &files.cert_file, &files.key_file}) {
    if (!file->empty()) std::remove(file->c_str());
  }
  ::rmdir(directory.c_str());
}

std::string make_temp_directory(const std::string& prefix) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern =
      std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  require(mkdtemp(pattern.data()) != nullptr, "mkdtemp");
  return pattern;
}

CertificateFiles make_test_certificates(const std::string& directory,
                                        const std::vector<std::string>& names,
                                        const std::string& common_name) {
  ::mkdir(directory.c_str(), 0700);
  const KeyPtr ca_key = make_key();
  const CertPtr ca = make_certificate(ca_key.get(), "instagram-oauth-cpp test CA", nullptr);
  add_extension(ca.get(), ca.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_extension(ca.get(), ca.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_extension(ca.get(), ca.get(), NID_subject_key_identifier, "hash");
  require(X509_sign(ca.get(), ca_key.get(), EVP_sha256()) > 0, "X509_sign (CA)");

  const KeyPtr server_key = make_key();
  const CertPtr server = make_certificate(server_key.get(),
                                          !common_name.empty() ? common_name
                                          : names.empty()      ? "server"
                                                               : names.front(),
                                          ca.get());
  std::string alt_names;
  for (const std::string& name : names) {
    if (!alt_names.empty()) alt_names += ',';
    const bool ip = name.find_first_not_of("0123456789.:") == std::string::npos;
    alt_names += (ip ? "IP:" : "DNS:") + name;
  }
  add_extension(server.get(), ca.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(server.get(), ca.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(server.get(), ca.get(), NID_ext_key_usage, "serverAuth");
  // Every test CA has the same name: the key identifier tells a client which one signed this,
  // so that one CA file can trust several of them.
  add_extension(server.get(), ca.get(), NID_authority_key_identifier, "keyid:always");
  if (!alt_names.empty()) add_extension(server.get(), ca.get(), NID_subject_alt_name, alt_names);
  require(X509_sign(server.get(), ca_key.get(), EVP_sha256()) > 0, "X509_sign (server)");

  CertificateFiles files{directory + "/ca.pem", directory + "/server.pem",
                         directory + "/server-key.pem"};
  write_pem(files.ca_file, ca.get(), nullptr);
  write_pem(files.cert_file, server.get(), nullptr);
  write_pem(files.key_file, nullptr, server_key.get());
  return files;
}

}  // namespace instagram::oauth::testing
