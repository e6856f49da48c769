#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/action_token.hpp>
#include <warroom/webhook/mattermost_action.hpp>

namespace warroom::webhook::action_token_test {
namespace {

constexpr std::int64_t now = 1'700'000'000;

action_claims claims() {
  return {"acknowledge", "PINC1", "chan26charsxxxxxxxxxxxxxxx", now + 3600, 2};
}

action_keyring ring() {
  action_keyring keys;
  keys.push_back({"k2026", util::secret("current-action-secret")});
  keys.push_back({"k2025", util::secret("previous-action-secret")});
  return keys;
}

result<action_claims> verify(std::string_view token, const action_keyring& keys = ring(),
                             std::int64_t at = now) {
  const auto c = claims();
  return verify_action_token(token, keys, c.action, c.incident_id, c.channel_id, at);
}

std::string code_of(const result<action_claims>& r) {
  return r ? "ok" : r.error().code;
}

std::string sign(const action_claims& c = claims()) {
  return sign_action_token(c, "k2026", util::secret("current-action-secret"));
}

TEST(ActionToken, RoundTrip) {
  const auto token = sign();
  EXPECT_TRUE(token.starts_with("v1.k2026."));
  const auto verified = verify(token);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(*verified, claims());
}

TEST(ActionToken, IsDeterministicAndBindsEveryClaim) {
  EXPECT_EQ(sign(), sign());
  auto c = claims();
  c.generation = 3;
  EXPECT_NE(sign(c), sign());
}

TEST(ActionToken, ExpiryIsExclusive) {
  const auto token = sign();
  EXPECT_EQ(code_of(verify(token, ring(), claims().expires_at - 1)), "ok");
  EXPECT_EQ(code_of(verify(token, ring(), claims().expires_at)), token_errc::expired);
  EXPECT_EQ(code_of(verify(token, ring(), claims().expires_at + 1)), token_errc::expired);
}

TEST(ActionToken, WrongBindings) {
  const auto token = sign();
  const auto c = claims();
  const auto keys = ring();
  EXPECT_EQ(code_of(verify_action_token(token, keys, "resolve", c.incident_id, c.channel_id, now)),
            token_errc::wrong_action);
  EXPECT_EQ(code_of(verify_action_token(token, keys, c.action, "PINC2", c.channel_id, now)),
            token_errc::wrong_incident);
  EXPECT_EQ(code_of(verify_action_token(token, keys, c.action, c.incident_id, "other", now)),
            token_errc::wrong_channel);
}

TEST(ActionToken, ForgeriesFailWithTheRightCode) {
  const auto token = sign();
  const auto dot = token.rfind('.');
  const auto claims_part = token.substr(0, dot);
  const auto mac = token.substr(dot + 1);
  std::string flipped_mac = mac;
  flipped_mac[5] = flipped_mac[5] == 'A' ? 'B' : 'A';

  auto other = claims();
  other.incident_id = "PINC9";
  const auto other_token = sign(other);
  const auto other_claims = other_token.substr(0, other_token.rfind('.'));

  auto longer = claims();
  longer.expires_at += 86400;
  const auto longer_claims = sign(longer).substr(0, sign(longer).rfind('.'));

  const std::pair<std::string, const char*> cases[] = {
      {"", token_errc::missing_token},
      {"garbage", token_errc::malformed_token},
      {token.substr(0, token.size() - 1), token_errc::bad_signature},  // truncated MAC
      {claims_part, token_errc::malformed_token},                      // MAC dropped
      {token + ".", token_errc::malformed_token},                      // extra dot
      {token + ".x", token_errc::malformed_token},
      {"." + token, token_errc::malformed_token},
      {"v2" + token.substr(2), token_errc::malformed_token},
      {"v1.k2026..." + mac, token_errc::malformed_token},
      {"v1.bad kid!" + token.substr(8), token_errc::malformed_token},
      {std::string(2000, 'A'), token_errc::malformed_token},
      {claims_part + "." + flipped_mac, token_errc::bad_signature},
      {claims_part + "." + mac + "A", token_errc::bad_signature},
      {other_claims + "." + mac, token_errc::bad_signature},   // claims swapped under a MAC
      {longer_claims + "." + mac, token_errc::bad_signature},  // expiry extended
      {"v1.k2024" + token.substr(8), token_errc::unknown_key},
      {"v1.k2025" + token.substr(8), token_errc::bad_signature},  // relabelled to another key
      {other_token, token_errc::wrong_incident},
  };
  for (const auto& [forged, code] : cases) {
    EXPECT_EQ(code_of(verify(forged)), code) << forged.substr(0, 80);
  }
}

TEST(ActionToken, WrongSecretUnderTheSameKeyId) {
  const auto forged = sign_action_token(claims(), "k2026", util::secret("attacker-guess"));
  EXPECT_EQ(code_of(verify(forged)), token_errc::bad_signature);
}

TEST(ActionToken, NonCanonicalClaimEncodingIsMalformed) {
  auto c = claims();
  c.generation = 12;  // 58 claim bytes: the last base64url character carries 4 unused bits
  const auto token = sign(c);
  const auto verify_c = [&](const std::string& t) {
    return code_of(verify_action_token(t, ring(), c.action, c.incident_id, c.channel_id, now));
  };
  ASSERT_EQ(verify_c(token), "ok");
  const auto last = token.rfind('.');
  // The next alphabet character sets an unused bit: same bytes, different text.
  std::string forged = token;
  char& final_char = forged[last - 1];
  final_char = final_char == 'z'   ? '0'
               : final_char == 'Z' ? 'a'
                                   : static_cast<char>(final_char + 1);
  EXPECT_EQ(verify_c(forged), token_errc::malformed_token);
  for (const std::string_view junk : {"B", "=", "+", "/"}) {
    const auto padded = token.substr(0, last) + std::string(junk) + token.substr(last);
    EXPECT_EQ(verify_c(padded), token_errc::malformed_token) << junk;
  }
}

TEST(ActionToken, ClaimsWithNewlinesNeverVerify) {
  auto c = claims();
  c.incident_id = "PINC1\nchan";
  const auto token = sign(c);
  EXPECT_EQ(code_of(verify_action_token(token, ring(), c.action, c.incident_id, c.channel_id, now)),
            token_errc::malformed_token);
}

// Found by the fuzzer: a correctly signed token for a 690-byte action is over the bound, and is
// refused like any oversized input. Nothing we sign comes near it.
TEST(ActionToken, ATokenOverTheBoundNeverVerifiesHoweverSigned) {
  auto c = claims();
  c.action = std::string(690, 'a');
  const auto token = sign(c);
  ASSERT_GT(token.size(), max_action_token_bytes);
  EXPECT_EQ(code_of(verify_action_token(token, ring(), c.action, c.incident_id, c.channel_id, now)),
            token_errc::malformed_token);
  c.action = std::string(400, 'a');
  const auto fits = sign(c);
  ASSERT_LE(fits.size(), max_action_token_bytes);
  EXPECT_EQ(code_of(verify_action_token(fits, ring(), c.action, c.incident_id, c.channel_id, now)),
            "ok");
}

TEST(ActionToken, RotationAcceptsOldKeysWhileInTheRing) {
  const auto old_token =
      sign_action_token(claims(), "k2025", util::secret("previous-action-secret"));
  EXPECT_EQ(code_of(verify(old_token)), "ok");
  action_keyring only_current;
  only_current.push_back(ring().front());
  EXPECT_EQ(code_of(verify(old_token, only_current)), token_errc::unknown_key);
  EXPECT_EQ(code_of(verify(sign(), action_keyring{})), token_errc::unknown_key);
}

TEST(ActionToken, EmptySecretInTheRingNeverVerifies) {
  action_keyring keys;
  keys.push_back({"k2026", util::secret("")});
  EXPECT_EQ(code_of(verify(sign(), keys)), token_errc::unknown_key);
}

TEST(ActionToken, SurvivesContextReserialisation) {
  const auto c = claims();
  const nlohmann::json context = {
      {"action", c.action}, {"incident_id", c.incident_id}, {"token", sign()}};
  const nlohmann::json body = {
      {"user_id", "u1"}, {"channel_id", c.channel_id}, {"context", context}};
  // Mattermost parses and re-serialises the context with its own key order and spacing.
  const auto redumped = nlohmann::json::parse(body.dump()).dump(2);
  const auto request = parse_action_request(redumped);
  ASSERT_TRUE(request);
  const auto verified = verify_action_token(request->context.token, ring(), request->context.action,
                                            request->context.incident_id, request->channel_id, now);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_EQ(verified->generation, 2u);
}

TEST(ActionToken, KeyIds) {
  EXPECT_TRUE(valid_key_id("k"));
  EXPECT_TRUE(valid_key_id("Key_2026-01"));
  EXPECT_TRUE(valid_key_id(std::string(32, 'a')));
  EXPECT_FALSE(valid_key_id(std::string(33, 'a')));
  EXPECT_FALSE(valid_key_id(""));
  EXPECT_FALSE(valid_key_id("a.b"));
  EXPECT_FALSE(valid_key_id("a b"));
  EXPECT_THROW(sign_action_token(claims(), "a.b", util::secret("s")), std::invalid_argument);
  EXPECT_THROW(sign_action_token(claims(), "k", util::secret("")), std::invalid_argument);
}

TEST(ActionToken, ErrorsDoNotLeakTheSecret) {
  const auto forged = sign_action_token(claims(), "k2026", util::secret("attacker-guess"));
  const auto r = verify(forged);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message.find("current-action-secret"), std::string::npos);
}

TEST(ActionToken, ClickDedupeKey) {
  EXPECT_EQ(click_dedupe_key(claims()), "mattermost:PINC1:acknowledge:2");
}

}  // namespace
}  // namespace warroom::webhook::action_token_test
