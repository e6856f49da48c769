// SHA-256's low-level interface (deprecated in OpenSSL 3 in favour of EVP) runs the same block
// function as EVP, SHA-NI included, without EVP's provider context: EVP allocated and freed one
// per digest, three digests per signature check. The pads' states are kept per key, so a check
// hashes only the message and one block more.
#define OPENSSL_API_COMPAT 10101

#include <algorithm>
#include <string>

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook {
namespace {

constexpr std::size_t block_size = 64;  // SHA-256's, which RFC 2104 pads the key to

// SHA-256 after absorbing the key ^ ipad block, and after the key ^ opad block.
struct keyed_state {
  SHA256_CTX inner;
  SHA256_CTX outer;
};

keyed_state absorb_key(std::string_view key) {
  std::array<unsigned char, block_size> block{};
  if (key.size() > block_size) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block.data());
  } else {
    std::copy(key.begin(), key.end(), block.begin());
  }
  keyed_state state{};
  std::array<unsigned char, block_size> pad{};
  for (std::size_t i = 0; i < block_size; ++i)
    pad[i] = static_cast<unsigned char>(block[i] ^ 0x36);
  SHA256_Init(&state.inner);
  SHA256_Update(&state.inner, pad.data(), pad.size());
  for (std::size_t i = 0; i < block_size; ++i)
    pad[i] = static_cast<unsigned char>(block[i] ^ 0x5c);
  SHA256_Init(&state.outer);
  SHA256_Update(&state.outer, pad.data(), pad.size());
  OPENSSL_cleanse(block.data(), block.size());
  OPENSSL_cleanse(pad.data(), pad.size());
  return state;
}

// The last few keys' states, per thread: a daemon signs and checks with a handful of secrets.
class key_cache {
 public:
  key_cache() = default;
  key_cache(const key_cache&) = delete;
  key_cache& operator=(const key_cache&) = delete;
  ~key_cache() {
    for (auto& e : entries_)
      forget(e);
  }

  const keyed_state& state_for(std::string_view key) {
    for (auto& e : entries_)
      if (e.used && e.key == key) return e.state;
    entry& slot = entries_[next_];
    next_ = (next_ + 1) % entries_.size();
    forget(slot);
    slot.key.assign(key);
    slot.state = absorb_key(key);
    slot.used = true;
    return slot.state;
  }

 private:
  struct entry {
    std::string key;
    keyed_state state{};
    bool used = false;
  };

  static void forget(entry& e) {
    OPENSSL_cleanse(e.key.data(), e.key.size());
    OPENSSL_cleanse(&e.state, sizeof e.state);
    e.key.clear();
    e.used = false;
  }

  std::array<entry, 4> entries_{};
  std::size_t next_ = 0;
};

}  // namespace

// RFC 2104: H((K ^ opad) ‖ H((K ^ ipad) ‖ message)), K the key (hashed first when longer than a
// block) padded with zeros to a block.
sha256_digest hmac_sha256(std::string_view key, std::string_view message) noexcept {
  thread_local key_cache keys;
  const keyed_state& keyed = keys.state_for(key);
  SHA256_CTX ctx = keyed.inner;
  sha256_digest inner{};
  SHA256_Update(&ctx, message.data(), message.size());
  SHA256_Final(inner.data(), &ctx);
  ctx = keyed.outer;
  sha256_digest out{};
  SHA256_Update(&ctx, inner.data(), inner.size());
  SHA256_Final(out.data(), &ctx);
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
