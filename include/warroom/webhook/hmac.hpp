// hmac: HMAC-SHA256 (RFC 2104 over OpenSSL's SHA-256) for webhook signatures and action tokens.
// Pure and thread-safe; the array forms allocate nothing once a thread has seen the key, for the
// ingest hot path.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace warroom::webhook {

inline constexpr std::size_t sha256_size = 32;
using sha256_digest = std::array<unsigned char, sha256_size>;
using sha256_hex = std::array<char, 2 * sha256_size>;

/// HMAC-SHA256(key, message); the key is used as raw bytes.
sha256_digest hmac_sha256(std::string_view key, std::string_view message) noexcept;

/// Lowercase hex of a digest.
sha256_hex to_hex(const sha256_digest& digest) noexcept;

/// Lowercase hex of HMAC-SHA256(key, message).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

}  // namespace warroom::webhook
