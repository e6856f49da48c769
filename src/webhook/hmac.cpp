#include <algorithm>
#include <memory>

#include <openssl/evp.h>

#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook {
namespace {

constexpr std::size_t block_size = 64;  // SHA-256's, which RFC 2104 pads the key to

// Fetched once: OpenSSL 3's one-shot HMAC() looks the MAC and the digest up by name on every
// call, which cost more than hashing a 2 KB webhook body's last blocks.
const EVP_MD* sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct md_ctx_free {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// One context per thread, reset by each digest: no allocation per call.
EVP_MD_CTX* thread_context() {
  thread_local const std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  return ctx.get();
}

// SHA-256 of a ‖ b; false on an OpenSSL failure (allocation).
bool digest(EVP_MD_CTX* ctx, const void* a, std::size_t a_size, const void* b, std::size_t b_size,
            sha256_digest& out) {
  unsigned int size = 0;
  return ctx != nullptr && sha256() != nullptr && EVP_DigestInit_ex2(ctx, sha256(), nullptr) == 1 &&
         EVP_DigestUpdate(ctx, a, a_size) == 1 && EVP_DigestUpdate(ctx, b, b_size) == 1 &&
         EVP_DigestFinal_ex(ctx, out.data(), &size) == 1 && size == sha256_size;
}

}  // namespace

// RFC 2104: H((K ^ opad) ‖ H((K ^ ipad) ‖ message)), K the key (hashed first when longer than a
// block) padded with zeros to a block.
sha256_digest hmac_sha256(std::string_view key, std::string_view message) noexcept {
  EVP_MD_CTX* const ctx = thread_context();
  std::array<unsigned char, block_size> block{};
  sha256_digest out{};
  if (key.size() > block_size) {
    sha256_digest hashed{};
    if (!digest(ctx, key.data(), key.size(), nullptr, 0, hashed)) return out;
    std::copy(hashed.begin(), hashed.end(), block.begin());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  std::array<unsigned char, block_size> pad{};
  for (std::size_t i = 0; i < block_size; ++i)
    pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
  sha256_digest inner{};
  if (!digest(ctx, pad.data(), pad.size(), message.data(), message.size(), inner)) {
    // Only on allocation failure inside OpenSSL. The all-zero digest then matches no signature
    // a sender computed, so callers fail closed without an error path of their own.
    return out;
  }
  for (std::size_t i = 0; i < block_size; ++i)
    pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
  if (!digest(ctx, pad.data(), pad.size(), inner.data(), inner.size(), out)) out.fill(0);
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
