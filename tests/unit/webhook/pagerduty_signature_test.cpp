#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/pagerduty_signature.hpp>

#include "support/fixtures.hpp"

namespace warroom::webhook::pagerduty_signature_test {
namespace {

const std::string body = R"({"event":{"id":"E1","event_type":"pagey.ping"}})";
// `openssl dgst -sha256 -hmac <secret>` over `body`, computed at authoring time.
const std::string hex_first = "c36b0f7efbe31e275db53234a56e8b66ada1d476455ce16a37c2e0c872bd6201";
const std::string hex_second = "b98644307d1d88abd92dcfc708e17a3bda50b4442544ecd4592bbba3ebe1967d";

std::vector<util::secret> secrets(std::initializer_list<const char*> values) {
  std::vector<util::secret> out;
  for (const char* value : values)
    out.emplace_back(value);
  return out;
}

TEST(PagerdutySignature, VendorVectors) {
  const auto doc =
      nlohmann::json::parse(fixtures::read("pagerduty/webhook-v3-signature-vectors.json"));
  ASSERT_GE(doc.at("vectors").size(), 10u);
  for (const auto& vector : doc.at("vectors")) {
    const auto ring =
        std::vector<util::secret>{util::secret(vector.at("secret").get<std::string>())};
    const auto header =
        vector.at("header").is_string() ? vector.at("header").get<std::string>() : "";
    const auto raw = vector.at("body").get<std::string>();
    EXPECT_EQ(verify_pagerduty_signature(raw, header, ring), vector.at("expect_valid").get<bool>())
        << vector.at("name").get<std::string>();
  }
}

TEST(PagerdutySignature, SignMatchesOpensslAndVerifies) {
  const auto ring = secrets({"warroom-test-secret"});
  EXPECT_EQ(sign_pagerduty_body(body, ring[0]), "v1=" + hex_first);
  EXPECT_TRUE(verify_pagerduty_signature(body, "v1=" + hex_first, ring));
}

TEST(PagerdutySignature, HeaderVariants) {
  const auto ring = secrets({"warroom-test-secret"});
  struct header_case {
    std::string header;
    bool valid;
  };
  const header_case cases[] = {
      {"v1=" + hex_first, true},
      {"v1=" + hex_second + ",v1=" + hex_first, true},           // rotation: second item matches
      {"v1=" + hex_first + ",v1=" + hex_second, true},           // rotation: first item matches
      {" v1=" + hex_second + " , v1=" + hex_first + " ", true},  // spaces around items
      {"v0=" + hex_second + ",v1=" + hex_first, true},           // other versions are ignored
      {"v2=" + hex_first, false},                                // ... and never match
      {"V1=" + hex_first, false},
      {hex_first, false},
      {"v1=" + hex_second, false},
      {"v1=" + hex_first.substr(0, 63), false},
      {"v1=" + hex_first + "0", false},
      {"v1= " + hex_first, false},
      {"v1=C36B0F7EFBE31E275DB53234A56E8B66ADA1D476455CE16A37C2E0C872BD6201", false},  // uppercase
      {"", false},
      {",,,", false},
      {"v1=", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(verify_pagerduty_signature(body, c.header, ring), c.valid) << c.header;
  }
}

TEST(PagerdutySignature, SecretRotationOnOurSide) {
  EXPECT_TRUE(verify_pagerduty_signature(body, "v1=" + hex_second,
                                         secrets({"warroom-test-secret", "second-secret"})));
  EXPECT_TRUE(verify_pagerduty_signature(body, "v1=" + hex_first,
                                         secrets({"warroom-test-secret", "second-secret"})));
  EXPECT_FALSE(verify_pagerduty_signature(body, "v1=" + hex_first, secrets({"second-secret"})));
  EXPECT_FALSE(verify_pagerduty_signature(body, "v1=" + hex_first, secrets({})));
}

TEST(PagerdutySignature, TamperedBodyFails) {
  const auto ring = secrets({"warroom-test-secret"});
  std::string tampered = body;
  tampered[10] ^= 1;
  EXPECT_FALSE(verify_pagerduty_signature(tampered, "v1=" + hex_first, ring));
  EXPECT_FALSE(verify_pagerduty_signature(body + " ", "v1=" + hex_first, ring));
  EXPECT_FALSE(verify_pagerduty_signature("", "v1=" + hex_first, ring));
}

TEST(PagerdutySignature, EmptySecretNeverVerifies) {
  // Anyone can compute an HMAC with the empty key, so an empty configured secret must not count.
  const auto ring = secrets({""});
  EXPECT_FALSE(verify_pagerduty_signature(body, "v1=" + hmac_sha256_hex("", body), ring));
}

TEST(PagerdutySignature, SecretIsNotBase64Decoded) {
  const auto ring = secrets({"aGVsbG8="});  // base64 of "hello"
  EXPECT_TRUE(verify_pagerduty_signature(body, "v1=" + hmac_sha256_hex("aGVsbG8=", body), ring));
  EXPECT_FALSE(verify_pagerduty_signature(body, "v1=" + hmac_sha256_hex("hello", body), ring));
}

}  // namespace
}  // namespace warroom::webhook::pagerduty_signature_test
