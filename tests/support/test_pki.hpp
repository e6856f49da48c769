// A throwaway PKI for TLS tests, made at test time with the openssl CLI in a temp directory that
// is removed on destruction: CAs, and certificates they sign (EC P-256, valid two days).
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdlib.h>
#include <string>

namespace warroom::test {

class test_pki {
 public:
  test_pki() {
    char pattern[] = "/tmp/warroom-pki-XXXXXX";
    if (::mkdtemp(pattern) != nullptr) dir_ = pattern;
  }
  ~test_pki() {
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }
  test_pki(const test_pki&) = delete;
  test_pki& operator=(const test_pki&) = delete;

  /// <name>.pem and <name>.key: a self-signed CA with CN=<name>.
  bool make_ca(const std::string& name) {
    return !dir_.empty() && run("openssl req -x509 " + new_key + " -keyout " + name + ".key -out " +
                                name + ".pem -days 2 -subj /CN=" + name);
  }

  /// <name>.pem and <name>.key: CN=<name> with subjectAltName `san`, signed by CA `ca`.
  bool issue(const std::string& name, const std::string& san, const std::string& ca = "ca") {
    std::ofstream(path(name + ".ext")) << "subjectAltName=" << san << "\n";
    return !dir_.empty() &&
           run("openssl req " + new_key + " -keyout " + name + ".key -out " + name +
               ".csr -subj /CN=" + name) &&
           run("openssl x509 -req -in " + name + ".csr -CA " + ca + ".pem -CAkey " + ca +
               ".key -CAcreateserial -days 2 -out " + name + ".pem -extfile " + name + ".ext");
  }

  std::string path(const std::string& file) const { return dir_ + "/" + file; }

 private:
  bool run(const std::string& command) const {
    return std::system(("cd " + dir_ + " && " + command + " >/dev/null 2>&1").c_str()) == 0;
  }

  static inline const std::string new_key =
      "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  std::string dir_;
};

}  // namespace warroom::test
