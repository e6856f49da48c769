// secret: a credential held so that it cannot be printed, formatted or logged by accident.
#pragma once

#include <string>
#include <string_view>

namespace warroom::util {

/// Owns a secret value. There is no operator<<, no fmt formatter and no implicit conversion:
/// the only way to the bytes is reveal(), which is easy to grep for. Comparison is constant
/// time so a secret can be checked without leaking its length through timing.
class secret {
 public:
  secret() = default;
  explicit secret(std::string value) : value_(std::move(value)) {}

  secret(const secret&) = default;
  secret& operator=(const secret&) = default;
  secret(secret&&) noexcept = default;
  secret& operator=(secret&&) noexcept = default;
  ~secret();

  /// The raw bytes, for building an Authorization header or keying an HMAC. Never log them.
  std::string_view reveal() const noexcept { return value_; }
  bool empty() const noexcept { return value_.empty(); }
  /// What to print instead: "<redacted>" or "<empty>".
  std::string_view redacted() const noexcept { return value_.empty() ? "<empty>" : "<redacted>"; }

  /// Constant-time equality with an untrusted candidate.
  bool equals(std::string_view candidate) const noexcept;

 private:
  std::string value_;
};

/// Constant-time comparison of two byte strings (time depends only on the lengths).
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace warroom::util
