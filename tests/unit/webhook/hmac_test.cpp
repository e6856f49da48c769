#include <string>

#include <gtest/gtest.h>

#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook::hmac_test {
namespace {

struct hmac_case {
  std::string key;
  std::string message;
  std::string hex;
};

// RFC 4231 test case 2, and values computed with `openssl dgst -sha256 -hmac KEY` at authoring
// time.
const hmac_case cases[] = {
    {"Jefe", "what do ya want for nothing?",
     "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
    {"key", "The quick brown fox jumps over the lazy dog",
     "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"},
    {"key", "", "5d5d139563c95b5967b9bd9a8c9b233a9dedb45072794cd232dc1b74832607d0"},
    {"k", "h\xc3\xa9llo \xe2\x98\x83",
     "d5bfda2df0bee9ba138727575cf41c312087dce762c62cc12a4d329cba9624c8"},
};

TEST(Hmac, MatchesKnownVectors) {
  for (const auto& c : cases) {
    EXPECT_EQ(hmac_sha256_hex(c.key, c.message), c.hex) << "key=" << c.key;
    const auto hex = to_hex(hmac_sha256(c.key, c.message));
    EXPECT_EQ(std::string(hex.data(), hex.size()), c.hex);
  }
}

TEST(Hmac, EmptyKeyIsAKeyNotAReuse) {
  // HMAC() treats a null key as "reuse"; an empty view must still mean the empty key.
  EXPECT_EQ(hmac_sha256_hex("", "abc"), hmac_sha256_hex(std::string(), "abc"));
  EXPECT_NE(hmac_sha256_hex("", "abc"), hmac_sha256_hex("x", "abc"));
}

}  // namespace
}  // namespace warroom::webhook::hmac_test
