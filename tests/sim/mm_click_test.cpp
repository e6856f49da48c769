// Mattermost fake: button clicks (NOTES §3.5) — the exact action request sent to the
// integration, and how the integration's answer updates the post.
#include "mm_test_support.hpp"

namespace warroom::sim::testing {
namespace {

class MattermostClickTest : public MattermostFakeTest {
 protected:
  void SetUp() override {
    MattermostFakeTest::SetUp();
    channel = create_channel();
    post = create_post(channel, card_props({button("acknowledge"), button("bad_id")}));
  }

  result<json> click(const std::string& action, const std::string& user = alice_id) {
    return fake.control("click", {{"post_id", post}, {"action_id", action}, {"user_id", user}},
                        now);
  }

  // Clicks "acknowledge" and answers with `status`/`answer`; returns the click record.
  json click_and_answer(unsigned status, std::string answer) {
    EXPECT_TRUE(click("acknowledge").has_value());
    auto out = fake.take_outbox();
    EXPECT_EQ(out.size(), 1u);
    if (out.empty()) return nullptr;
    fake.on_outbound_reply(out[0], api::http_reply{status, {}, std::move(answer)}, now);
    return fake.state()["clicks"].back();
  }

  std::string channel;
  std::string post;
};

TEST_F(MattermostClickTest, SendsTheDocumentedActionRequest) {
  const auto queued = click("acknowledge");
  ASSERT_TRUE(queued.has_value());
  EXPECT_EQ((*queued)["queued"], true) << queued->dump();
  auto out = fake.take_outbox();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(fake.take_outbox().empty());
  const outbound& sent = out[0];
  EXPECT_EQ(sent.purpose, "action");
  EXPECT_EQ(sent.call.method, api::http_method::post);
  EXPECT_EQ(sent.call.origin, "https://warroom.example.com");
  EXPECT_EQ(sent.call.target, "/hook");
  EXPECT_EQ(sent.call.headers, (std::vector<api::header>{{"Content-Type", "application/json"},
                                                         {"Accept", "application/json"}}))
      << "no signature or Authorization header for external URLs";

  const json request = json::parse(sent.call.body);
  EXPECT_EQ(request["user_id"], alice_id);
  EXPECT_EQ(request["user_name"], "alice");
  EXPECT_EQ(request["channel_id"], channel);
  EXPECT_EQ(request["channel_name"], "inc-42-api-bump");
  EXPECT_EQ(request["team_id"], team_id);
  EXPECT_EQ(request["team_domain"], "acme");
  EXPECT_EQ(request["post_id"], post);
  EXPECT_FALSE(request["trigger_id"].get<std::string>().empty());
  EXPECT_EQ(request["type"], "button");
  EXPECT_EQ(request["data_source"], "");
  EXPECT_EQ(request["context"], json({{"action", "acknowledge"}, {"token", "t"}}));
  EXPECT_EQ(sent.call.body.find("\"user_id\""), 1u) << "Go struct order: " << sent.call.body;
  EXPECT_EQ(fake.state()["clicks"][0]["status"], 0) << "pending until the integration answers";

  const json examples = interactive_examples();
  ASSERT_FALSE(examples.is_discarded());
  const json& documented =
      examples["action_request_all_fields (derived from PostActionIntegrationRequest)"];
  std::vector<std::string> want, got;
  for (const auto& [key, value] : documented["body"].items())
    want.push_back(key);
  for (const auto& [key, value] : request.items())
    got.push_back(key);
  EXPECT_EQ(got, want);
  for (const auto& [name, value] : documented["headers"].items())
    EXPECT_EQ(sent.call.header_value(name).value_or("<absent>"), value.get<std::string>());
  for (const auto& [key, value] : examples["action_request_docs_example (docs)"].items())
    EXPECT_TRUE(request.contains(key)) << key;
}

TEST_F(MattermostClickTest, AppliesTheAnswerLikeMattermost) {
  const json card = card_props({button("acknowledge")});
  struct row {
    const char* what;
    std::string answer;
    std::string message;
    json props;
  };
  json retained = {{"from_webhook", "true"}};
  const std::vector<row> rows = {
      {"props absent: kept", R"({"update":{"message":"Acked"}})", "Acked", card},
      {"props null: kept", R"({"update":{"message":"Acked","props":null}})", "Acked", card},
      {"props {}: cleared but retained keys", R"({"update":{"message":"Acked","props":{}}})",
       "Acked", retained},
      {"message absent: blanked",
       R"({"update":{"props":{"attachments":[]}}})",
       "",
       {{"attachments", json::array()}, {"from_webhook", "true"}}},
      {"no update", R"({"ephemeral_text":"ok"})", "card", card},
      {"empty body", "", "card", card},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    post = create_post(channel, card_props({button("acknowledge")}));
    const json record = click_and_answer(200, row.answer);
    EXPECT_EQ(record["status"], 200);
    EXPECT_EQ(record["error"], "");
    EXPECT_EQ(stored_post(post)["message"], row.message);
    EXPECT_EQ(stored_post(post)["props"], row.props);
  }
}

TEST_F(MattermostClickTest, LeavesThePostAloneWhenTheIntegrationFails) {
  const json before = stored_post(post);
  const std::vector<std::pair<unsigned, std::string>> answers = {
      {500, R"({"update":{"message":"x"}})"},
      {201, R"({"update":{"message":"x"}})"},
      {0, ""},  // undeliverable
      {200, "not json"},
      {200, "[1]"}};
  for (const auto& [status, answer] : answers) {
    SCOPED_TRACE(status);
    const json record = click_and_answer(status, answer);
    EXPECT_EQ(record["status"], 400);
    EXPECT_EQ(record["integration_status"], status);
    EXPECT_EQ(record["error"], "api.post.do_action.action_integration.app_error");
    EXPECT_EQ(stored_post(post), before);
  }
}

TEST_F(MattermostClickTest, RecordsEphemeralTextWithSlackLinksConverted) {
  const json record = click_and_answer(200, R"({"ephemeral_text":"See <https://x.io/1|INC 1>."})");
  EXPECT_EQ(record["ephemeral_text"], "See [INC 1](https://x.io/1).");
  const json ephemeral = fake.state()["ephemeral_posts"];
  ASSERT_EQ(ephemeral.size(), 1u);
  EXPECT_EQ(ephemeral[0]["user_id"], alice_id);
  EXPECT_EQ(ephemeral[0]["channel_id"], channel);
  const json raw = click_and_answer(200, R"({"ephemeral_text":"<a|b>","skip_slack_parsing":true})");
  EXPECT_EQ(raw["ephemeral_text"], "<a|b>");
}

TEST_F(MattermostClickTest, AppliesTheVendorResponseExample) {
  const json examples = interactive_examples();
  ASSERT_FALSE(examples.is_discarded());
  const json record = click_and_answer(200, examples["action_response_docs_example (docs)"].dump());
  EXPECT_EQ(record["status"], 200);
  EXPECT_EQ(record["ephemeral_text"], "You updated the post!");
  EXPECT_EQ(stored_post(post)["message"], "Updated!");
  EXPECT_EQ(stored_post(post)["props"], json({{"from_webhook", "true"}}));
}

TEST_F(MattermostClickTest, RefusesClicksMattermostWouldRefuse) {
  struct row {
    const char* what;
    std::string action;
    std::string user;
    unsigned status;
    const char* error;
  };
  const std::vector<row> rows = {
      {"id outside [A-Za-z0-9]+", "bad_id", alice_id, 404, "api.context.404.app_error"},
      {"no such action", "resolve", alice_id, 404, "api.post.do_action.action_id.app_error"},
      {"not on the team", "acknowledge", carol_id, 403, "api.context.permissions.app_error"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    const auto answer = click(row.action, row.user);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ((*answer)["queued"], false);
    EXPECT_EQ(fake.state()["clicks"].back()["status"], row.status);
    EXPECT_EQ(fake.state()["clicks"].back()["error"], row.error);
    EXPECT_TRUE(fake.take_outbox().empty()) << "the integration is never called";
  }
  EXPECT_FALSE(click("acknowledge", std::string(26, 'z')).has_value());
  EXPECT_FALSE(fake.control("click", {{"post_id", post}}, now).has_value());
  EXPECT_FALSE(fake.control("poke", json::object(), now).has_value());
}

TEST_F(MattermostClickTest, PrivateChannelsNeedMembership) {
  json request = channel_body("private-room");
  request["type"] = "P";
  const auto created = send("POST", "/api/v4/channels", request);
  ASSERT_EQ(created.status, 201u);
  post = create_post(body(created)["id"], card_props({button("acknowledge")}));
  ASSERT_TRUE(click("acknowledge").has_value());
  EXPECT_EQ(fake.state()["clicks"].back()["status"], 403);
  ASSERT_EQ(send("POST", "/api/v4/channels/" + body(created)["id"].get<std::string>() + "/members",
                 {{"user_id", alice_id}})
                .status,
            201u);
  EXPECT_EQ((*click("acknowledge"))["queued"], true);
}

}  // namespace
}  // namespace warroom::sim::testing
