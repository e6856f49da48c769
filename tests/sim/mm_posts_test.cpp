// Mattermost fake: posts with interactive buttons (NOTES §3.4) — validation of attachments and
// actions, integrations hidden from API clients, patching.
#include "mm_test_support.hpp"

namespace warroom::sim::testing {
namespace {

TEST_F(MattermostFakeTest, CreatesPostsAndHidesActionIntegrations) {
  const std::string channel = create_channel();
  const auto r = send("POST", "/api/v4/posts",
                      {{"channel_id", channel},
                       {"message", "card"},
                       {"props", card_props({button("acknowledge"), button("resolve")})}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const json post = body(r);
  EXPECT_EQ(post["user_id"], bot_id);
  EXPECT_EQ(post["channel_id"], channel);
  EXPECT_EQ(post["message"], "card");
  EXPECT_EQ(post["create_at"], t0);
  const json& action = post["props"]["attachments"][0]["actions"][0];
  EXPECT_EQ(action["id"], "acknowledge");
  EXPECT_FALSE(action.contains("integration")) << "the context is confidential";

  const std::string id = post["id"];
  EXPECT_FALSE(
      body(send("GET", "/api/v4/posts/" + id))["props"]["attachments"][0]["actions"][1].contains(
          "integration"));
  EXPECT_EQ(stored_post(id)["props"]["attachments"][0]["actions"][0]["integration"]["url"],
            "https://warroom.example.com/hook");
  const json listed = body(send("GET", "/api/v4/channels/" + channel + "/posts"));
  EXPECT_EQ(listed["order"], json::array({id}));
  EXPECT_FALSE(
      listed["posts"][id]["props"]["attachments"][0]["actions"][0].contains("integration"));
  expect_app_error(send("GET", "/api/v4/posts/" + alice_id), 404, "app.post.get.app_error");
}

TEST_F(MattermostFakeTest, RejectsPostsARealServerRejects) {
  const std::string channel = create_channel();
  json no_name = button("ack");
  no_name.erase("name");
  json link = button("ack");
  link["type"] = "link";
  json ftp = button("ack", "ftp://warroom.example.com/hook");
  json style = button("ack");
  style["style"] = "loud";
  struct row {
    const char* what;
    json post;
    unsigned status;
    const char* id;
  };
  const std::vector<row> rows = {
      {"message too long",
       {{"message", std::string(16384, 'm')}},
       400,
       "model.post.is_valid.msg.app_error"},
      {"unknown channel", {{"channel_id", alice_id}}, 403, "api.context.permissions.app_error"},
      {"root elsewhere", {{"root_id", alice_id}}, 400, "api.post.create_post.root_id.app_error"},
      {"action without name",
       {{"props", card_props({no_name})}},
       400,
       "model.post.is_valid.props.app_error"},
      {"action type", {{"props", card_props({link})}}, 400, "model.post.is_valid.props.app_error"},
      {"integration url",
       {{"props", card_props({ftp})}},
       400,
       "model.post.is_valid.props.app_error"},
      {"action style",
       {{"props", card_props({style})}},
       400,
       "model.post.is_valid.props.app_error"},
      {"attachments not a list",
       {{"props", {{"attachments", "x"}}}},
       400,
       "model.post.is_valid.props.app_error"},
      {"props not an object", {{"props", "{}"}}, 400, "api.context.invalid_body_param.app_error"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    json request = {{"channel_id", channel}, {"message", "m"}};
    request.update(row.post);
    expect_app_error(send("POST", "/api/v4/posts", request), row.status, row.id);
  }
  EXPECT_EQ(
      send("POST", "/api/v4/posts", {{"channel_id", channel}, {"message", std::string(16383, 'm')}})
          .status,
      201u);
}

TEST_F(MattermostFakeTest, GeneratesMissingActionIdsAndFlagsUnroutableOnes) {
  const std::string channel = create_channel();
  json unnamed = button("");
  unnamed.erase("id");
  const std::string id =
      create_post(channel, card_props({unnamed, button("ack_1"), button("re-solve")}));
  const json actions = stored_post(id)["props"]["attachments"][0]["actions"];
  const std::string generated = actions[0]["id"];
  EXPECT_EQ(generated.size(), 26u);
  // Stored as sent, as a real server does; clicking them would 404 (see the click tests).
  EXPECT_EQ(actions[1]["id"], "ack_1");
  EXPECT_EQ(fake.state()["unclickable_actions"],
            json::array({{{"post_id", id}, {"action_id", "ack_1"}},
                         {{"post_id", id}, {"action_id", "re-solve"}}}));
}

TEST_F(MattermostFakeTest, PatchesMessageAndPropsOnly) {
  const std::string channel = create_channel();
  const std::string id = create_post(channel, card_props({button("acknowledge")}));
  now += 1000;
  const auto r = send("PUT", "/api/v4/posts/" + id + "/patch",
                      {{"message", "acknowledged"}, {"props", card_props(json::array())}});
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(body(r)["message"], "acknowledged");
  EXPECT_EQ(body(r)["edit_at"], t0 + 1000);
  EXPECT_EQ(stored_post(id)["props"]["attachments"][0]["actions"], json::array());

  const auto only_message = send("PUT", "/api/v4/posts/" + id + "/patch", {{"message", "again"}});
  ASSERT_EQ(only_message.status, 200u);
  EXPECT_EQ(stored_post(id)["props"], card_props(json::array())) << "omitted fields are kept";

  expect_app_error(send("PUT", "/api/v4/posts/" + alice_id + "/patch", {{"message", "x"}}), 403,
                   "api.context.permissions.app_error");
  expect_app_error(send("PUT", "/api/v4/posts/" + id + "/patch",
                        {{"props", card_props({button("x", "mailto:a@b")})}}),
                   400, "model.post.is_valid.props.app_error");
}

TEST_F(MattermostFakeTest, AcceptsTheVendorPostWithButtonsExample) {
  const json examples = interactive_examples();
  ASSERT_FALSE(examples.is_discarded());
  json request = examples["create_post_with_buttons_request (derived)"]["body"];
  request["channel_id"] = create_channel();
  const auto r = send("POST", "/api/v4/posts", request);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(body(r)["props"]["attachments"][0]["actions"][1]["id"], "resolve");
  EXPECT_TRUE(fake.state()["unclickable_actions"].empty());
}

}  // namespace
}  // namespace warroom::sim::testing

namespace warroom::sim::testing {
namespace {

TEST_F(MattermostFakeTest, AnswersHostileBodiesWithoutThrowing) {
  const std::string channel = create_channel();
  const std::string post = create_post(channel, card_props({button("acknowledge")}));
  const std::vector<std::string> bodies = {
      "null",
      "[]",
      "1",
      "\"x\"",
      "{",
      R"({"channel_id":5,"message":7,"props":[1]})",
      R"({"channel_id":")" + channel + R"(","props":{"attachments":[{"actions":[1,{"id":5}]}]}})",
      R"({"channel_id":")" + channel + R"(","props":{"attachments":[{"actions":{"a":1}}]}})",
      R"({"user_id":["x"],"team_id":{},"name":1,"type":null})"};
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"POST", "/api/v4/channels"},
      {"POST", "/api/v4/channels/" + channel + "/members"},
      {"POST", "/api/v4/users/usernames"},
      {"POST", "/api/v4/posts"},
      {"PUT", "/api/v4/posts/" + post + "/patch"}};
  for (const auto& [method, target] : targets) {
    for (const auto& text : bodies) {
      SCOPED_TRACE(method + " " + target + " " + text);
      net::request req{method, target, {{"Authorization", "Bearer " + mm_token}}, text, ""};
      net::response r;
      EXPECT_NO_THROW(r = fake.handle(req, now));
      EXPECT_LT(r.status, 500u);
    }
  }
  EXPECT_NO_THROW((void)fake.control("click", json::array(), now));
  EXPECT_NO_THROW(fake.state());
}

}  // namespace
}  // namespace warroom::sim::testing
