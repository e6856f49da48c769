#include <openssl/crypto.h>

#include <warroom/util/secret.hpp>

namespace warroom::util {

secret::~secret() {
  // Wipe the buffer so a core dump or a reused allocation does not carry the credential.
  if (!value_.empty()) OPENSSL_cleanse(value_.data(), value_.size());
}

bool secret::equals(std::string_view candidate) const noexcept {
  return constant_time_equal(value_, candidate);
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace warroom::util
