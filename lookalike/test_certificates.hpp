// A throwaway CA and a server certificate signed by it, made at run time with libcrypto,
// so that HTTPS tests verify a real chain without shipping keys in the repository.
#pragma once

#include <string>
#include <vector>

namespace instagram::oauth::testing {

struct CertificateFiles {
  std::string ca_file;    // PEM: the CA to trust (ClientOptions::ca_file)
  std::string cert_file;  // PEM: the server certificate
  std::string key_file;   // PEM: the server key
};

// Writes ca.pem, server.pem and server-key.pem into `directory` (created if missing).
// `names` go into the subjectAltName: "localhost" as DNS, "127.0.0.1" as IP. The subject's
// common name is `common_name`, or the first name (clients verify the subjectAltName).
// Throws std::runtime_error when OpenSSL fails.
CertificateFiles make_test_certificates(const std::string& directory,
                                        const std::vector<std::string>& names = {"localhost",
                                                                                 "127.0.0.1",
                                                                                 "::1"},
                                        const std::string& common_name = {});

// Removes the three files and then `directory`, if it is empty: the server key among them,
// nothing is left behind.
void remove_test_certificates(const CertificateFiles& files, const std::string& directory);

// A fresh private temporary directory (mkdtemp) under TMPDIR or /tmp.
std::string make_temp_directory(const std::string& prefix);

}  // namespace instagram::oauth::testing
