#include <algorithm>
#include <string>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <warroom/webhook/hmac.hpp>

namespace warroom::webhook::hmac_test {
namespace {

struct hmac_case {
  std::string key;
  std::string message;
  std::string hex;
};

// RFC 4231 test cases 1, 2, 6 and 7 (keys shorter than, and longer than, a SHA-256 block), and
// values computed with `openssl dgst -sha256 -hmac KEY` at authoring
// time.
const hmac_case cases[] = {
    {std::string(20, '\x0b'), "Hi There",
     "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
    {std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First",
     "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
    {std::string(131, '\xaa'),
     "This is a test using a larger than block-size key and a larger than block-size data. The "
     "key needs to be hashed before being used by the HMAC algorithm.",
     "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
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

// Every key length around the block size, against OpenSSL's own one-shot HMAC.
TEST(Hmac, AgreesWithOpenSslForEveryKeyLengthAroundABlock) {
  const std::string message(3000, 'm');
  for (std::size_t key_size = 1; key_size <= 130; ++key_size) {
    const std::string key(key_size, static_cast<char>('a' + key_size % 26));
    for (const std::size_t message_size :
         {std::size_t{0}, std::size_t{55}, std::size_t{64}, std::size_t{2048}, message.size()}) {
      unsigned char expected[EVP_MAX_MD_SIZE];
      unsigned int expected_size = 0;
      ASSERT_NE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                     reinterpret_cast<const unsigned char*>(message.data()), message_size, expected,
                     &expected_size),
                nullptr);
      const auto ours = hmac_sha256(key, std::string_view(message).substr(0, message_size));
      ASSERT_EQ(expected_size, ours.size());
      EXPECT_TRUE(std::equal(ours.begin(), ours.end(), expected))
          << "key " << key_size << " message " << message_size;
    }
  }
}

// More keys in turn than each thread keeps the pads of: every answer stays the one for its key.
TEST(Hmac, KeysTakingTurnsEachGetTheirOwnDigest) {
  const std::string message(2048, 'w');
  for (int round = 0; round < 3; ++round) {
    for (int k = 0; k < 7; ++k) {
      const std::string key = "secret-" + std::to_string(k) + std::string(k * 20, 'k');
      unsigned char expected[EVP_MAX_MD_SIZE];
      unsigned int expected_size = 0;
      ASSERT_NE(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                     reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                     expected, &expected_size),
                nullptr);
      const auto ours = hmac_sha256(key, message);
      EXPECT_TRUE(std::equal(ours.begin(), ours.end(), expected))
          << "round " << round << " key " << k;
    }
  }
}

TEST(Hmac, EmptyKeyIsAKeyNotAReuse) {
  // HMAC() treats a null key as "reuse"; an empty view must still mean the empty key.
  EXPECT_EQ(hmac_sha256_hex("", "abc"), hmac_sha256_hex(std::string(), "abc"));
  EXPECT_NE(hmac_sha256_hex("", "abc"), hmac_sha256_hex("x", "abc"));
}

}  // namespace
}  // namespace warroom::webhook::hmac_test
