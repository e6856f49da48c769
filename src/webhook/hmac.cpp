#include <algorithm>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook {

sha256_digest hmac_sha256(std::string_view key, std::string_view message) noexcept {
  // Empty views may carry a null pointer, which HMAC() reads as "reuse the previous key".
  static constexpr unsigned char empty = 0;
  const void* key_data = key.empty() ? &empty : static_cast<const void*>(key.data());
  const auto* data =
      message.empty() ? &empty : reinterpret_cast<const unsigned char*>(message.data());
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  sha256_digest out{};
  if (HMAC(EVP_sha256(), key_data, static_cast<int>(key.size()), data, message.size(), mac.data(),
           &mac_len) == nullptr ||
      mac_len != sha256_size) {
    // Only on allocation failure inside OpenSSL. The all-zero digest then matches no signature
    // a sender computed, so callers fail closed without an error path of their own.
    return out;
  }
  std::copy_n(mac.begin(), sha256_size, out.begin());
  return out;
}

sha256_hex to_hex(const sha256_digest& digest) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  sha256_hex hex{};
  for (std::size_t i = 0; i < digest.size(); ++i) {
    hex[2 * i] = digits[digest[i] >> 4];
    hex[2 * i + 1] = digits[digest[i] & 0x0f];
  }
  return hex;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  const auto hex = to_hex(hmac_sha256(key, message));
  return std::string(hex.data(), hex.size());
}

}  // namespace warroom::webhook
