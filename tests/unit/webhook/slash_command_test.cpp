#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/webhook/form.hpp>
#include <warroom/webhook/slash_command.hpp>

namespace warroom::webhook::slash_command_test {
namespace {

const std::vector<util::secret> kTokens = {util::secret("new-token"), util::secret("old-token")};

std::string body_with(form_fields overrides, const std::vector<std::string>& drop = {}) {
  form_fields f = {{"token", "new-token"},       {"team_id", "team1"},
                   {"channel_id", "chan1"},      {"channel_name", "inc-42-db"},
                   {"user_id", "user1"},         {"user_name", "alice"},
                   {"command", "/incident"},     {"text", "note disk full"},
                   {"response_url", "http://x"}, {"trigger_id", "trig1"}};
  for (auto& [k, v] : overrides)
    f[k] = v;
  for (const auto& k : drop)
    f.erase(k);
  return encode_form(f);
}

TEST(CommandToken, MatchesAnyConfiguredTokenOnly) {
  EXPECT_TRUE(command_token_matches("new-token", kTokens));
  EXPECT_TRUE(command_token_matches("old-token", kTokens));
  EXPECT_FALSE(command_token_matches("new-toke", kTokens));
  EXPECT_FALSE(command_token_matches("new-token ", kTokens));
  EXPECT_FALSE(command_token_matches("", kTokens));
  const std::vector<util::secret> empty_only = {util::secret("")};
  EXPECT_FALSE(command_token_matches("", empty_only));
  EXPECT_FALSE(command_token_matches("anything", {}));
}

TEST(DecideSlashCommand, AnswersEachCase) {
  struct row {
    std::string body;
    unsigned status;  // 0 = accepted
    intake_outcome outcome;
  };
  const row rows[] = {
      {body_with({}), 0, intake_outcome::accepted},
      {body_with({{"token", "old-token"}}), 0, intake_outcome::accepted},
      {body_with({{"token", "forged"}}), 401, intake_outcome::unauthorized},
      {body_with({}, {"token"}), 401, intake_outcome::unauthorized},
      {body_with({{"token", "forged"}}, {"user_id"}), 401, intake_outcome::unauthorized},
      {body_with({}, {"trigger_id"}), 400, intake_outcome::malformed},
      {body_with({}, {"channel_id"}), 400, intake_outcome::malformed},
      {body_with({}, {"user_id"}), 400, intake_outcome::malformed},
      {"{\"token\":\"new-token\"}", 400, intake_outcome::malformed},
      {body_with({}) + "&token=forged", 400, intake_outcome::malformed},
  };
  for (const auto& r : rows) {
    auto d = decide_slash_command(r.body, kTokens);
    EXPECT_EQ(d.outcome, r.outcome) << r.body;
    if (r.status == 0) {
      ASSERT_TRUE(d.request.has_value()) << r.body;
      continue;
    }
    EXPECT_FALSE(d.request.has_value()) << r.body;
    EXPECT_EQ(d.reply.status, r.status) << r.body;
    EXPECT_EQ(d.reply.body.find("new-token"), std::string::npos);
    EXPECT_TRUE(nlohmann::json::parse(d.reply.body).contains("error"));
  }
}

TEST(DecideSlashCommand, KeepsTheFieldsButNotTheToken) {
  auto d = decide_slash_command(body_with({{"text", "note a+b & c"}}), kTokens);
  ASSERT_TRUE(d.request.has_value());
  EXPECT_EQ(d.request->text, "note a+b & c");
  EXPECT_EQ(d.request->user_name, "alice");
  EXPECT_EQ(d.request->channel_id, "chan1");
  EXPECT_EQ(d.request->trigger_id, "trig1");
  EXPECT_EQ(d.request->command, "/incident");
}

TEST(EphemeralReply, IsMattermostsCommandResponse) {
  const auto j = nlohmann::json::parse(ephemeral_reply("hi \"you\""));
  EXPECT_EQ(j["response_type"], "ephemeral");
  EXPECT_EQ(j["text"], "hi \"you\"");
}

}  // namespace
}  // namespace warroom::webhook::slash_command_test
