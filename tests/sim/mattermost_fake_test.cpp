// Mattermost fake: authentication, channels (name rules and AppError ids of NOTES §3.2),
// archiving, members and users, checked against what a real server answers.
#include <algorithm>

#include "mm_test_support.hpp"

namespace warroom::sim::testing {
namespace {

TEST_F(MattermostFakeTest, RejectsRequestsWithoutTheBotToken) {
  for (const std::string auth : {"", "Bearer wrong", "Basic bW06eA==", "Bearer"}) {
    SCOPED_TRACE(auth);
    expect_app_error(send("GET", "/api/v4/users/" + alice_id, nullptr, auth), 401,
                     "api.context.session_expired.app_error");
  }
  EXPECT_EQ(send("GET", "/api/v4/users/" + alice_id, nullptr, "bearer " + mm_token).status, 200u);
  EXPECT_EQ(
      send("GET", "/api/v4/users/" + alice_id + "?access_token=" + mm_token, nullptr, "").status,
      200u);
}

TEST_F(MattermostFakeTest, UnknownRoutesAnswerTheApi404) {
  expect_app_error(send("GET", "/api/v4/nothing/here"), 404, "api.context.404.app_error");
  expect_app_error(send("GET", "/api/v3/users/" + alice_id), 404, "api.context.404.app_error");
}

TEST_F(MattermostFakeTest, CreatesAChannelWithTheBotAsMember) {
  const auto r = send("POST", "/api/v4/channels", channel_body());
  ASSERT_EQ(r.status, 201u) << r.body;
  const json ch = body(r);
  EXPECT_EQ(ch["name"], "inc-42-api-bump");
  EXPECT_EQ(ch["display_name"], "INC 42: API bump");
  EXPECT_EQ(ch["team_id"], team_id);
  EXPECT_EQ(ch["type"], "O");
  EXPECT_EQ(ch["delete_at"], 0);
  EXPECT_EQ(ch["create_at"], t0);
  EXPECT_EQ(ch["creator_id"], bot_id);
  const std::string id = ch["id"];
  EXPECT_EQ(id.size(), 26u);
  EXPECT_TRUE(std::all_of(id.begin(), id.end(),
                          [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }));
  EXPECT_EQ(fake.state()["members"][id], json::array({bot_id}));
  EXPECT_TRUE(fake.state()["unopenable_names"].empty());
}

TEST_F(MattermostFakeTest, OtherSeededTeamsHoldChannelsOfTheirOwn) {
  const std::string second = "ssssssssssssssssssssssssss";
  ASSERT_TRUE(fake.seed({{"other_teams", {{{"id", second}, {"name", "data"}}}}}).has_value());
  auto on_second = channel_body();
  on_second["team_id"] = second;
  const auto r = send("POST", "/api/v4/channels", on_second);
  ASSERT_EQ(r.status, 201u) << r.body;
  EXPECT_EQ(body(r)["team_id"], second);
  EXPECT_EQ(send("GET", "/api/v4/teams/" + second + "/channels/name/inc-42-api-bump").status, 200u);
  EXPECT_EQ(send("GET", "/api/v4/teams/" + team_id + "/channels/name/inc-42-api-bump").status,
            404u);
  EXPECT_EQ(body(send("GET", "/api/v4/teams/" + second))["name"], "data");
  EXPECT_EQ(send("POST", "/api/v4/channels", channel_body()).status, 201u);  // same name, team 1
  EXPECT_EQ(fake.state()["other_teams"][0]["id"], second);
}

TEST_F(MattermostFakeTest, RejectsChannelsARealServerRejects) {
  create_channel("taken");
  create_channel("archived-one");
  const auto archived =
      body(send("GET", "/api/v4/teams/" + team_id + "/channels/name/archived-one"));
  ASSERT_EQ(send("DELETE", "/api/v4/channels/" + archived.value("id", "")).status, 200u);

  struct row {
    const char* what;
    json patch;
    unsigned status;
    const char* id;
  };
  const std::string hex40(40, 'a');
  const std::string dm = alice_id + "__" + bot_id;
  const std::vector<row> rows = {
      {"uppercase", {{"name", "Inc-42"}}, 400, "model.channel.is_valid.1_or_more.app_error"},
      {"leading dash", {{"name", "-inc"}}, 400, "model.channel.is_valid.1_or_more.app_error"},
      {"space", {{"name", "inc 42"}}, 400, "model.channel.is_valid.1_or_more.app_error"},
      {"empty name", {{"name", ""}}, 400, "model.channel.is_valid.1_or_more.app_error"},
      {"65 bytes", {{"name", std::string(65, 'a')}}, 400, "model.channel.is_valid.name.app_error"},
      {"group message name", {{"name", hex40}}, 400, "model.channel.is_valid.name.app_error"},
      {"direct message name", {{"name", dm}}, 400, "model.channel.is_valid.name.app_error"},
      {"display 65 runes",
       {{"display_name", std::string(63, 'x') + "éé"}},
       400,
       "model.channel.is_valid.display_name.app_error"},
      {"empty display",
       {{"display_name", ""}},
       400,
       "model.channel.is_valid.display_name.app_error"},
      {"purpose 251 runes",
       {{"purpose", std::string(251, 'p')}},
       400,
       "model.channel.is_valid.purpose.app_error"},
      {"type", {{"type", "X"}}, 400, "model.channel.is_valid.type.app_error"},
      {"other team", {{"team_id", carol_id}}, 403, "api.context.permissions.app_error"},
      {"taken", {{"name", "taken"}}, 400, "store.sql_channel.save_channel.exists.app_error"},
      {"taken by archived",
       {{"name", "archived-one"}},
       400,
       "store.sql_channel.save_channel.exists.app_error"},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    json request = channel_body();
    request.update(row.patch);
    expect_app_error(send("POST", "/api/v4/channels", request), row.status, row.id);
  }
  expect_app_error(send("POST", "/api/v4/channels", "not an object"), 400,
                   "api.context.invalid_body_param.app_error");
}

TEST_F(MattermostFakeTest, AcceptsNamesAndDisplayNamesAtTheLimits) {
  json request = channel_body(std::string(64, 'a'));
  request["display_name"] = std::string(62, 'x') + "éé";  // 64 runes, 66 bytes
  EXPECT_EQ(send("POST", "/api/v4/channels", request).status, 201u);
  EXPECT_EQ(send("POST", "/api/v4/channels", channel_body("inc_42-")).status, 201u);
}

TEST_F(MattermostFakeTest, AcceptsButFlagsTwentySixCharacterNames) {
  const std::string name = "inc-42-a-little-bump-in-th";
  ASSERT_EQ(name.size(), 26u);
  create_channel(name);
  EXPECT_EQ(fake.state()["unopenable_names"], json::array({name}));
}

TEST_F(MattermostFakeTest, FindsChannelsByNameArchivedOnlyWhenAsked) {
  const std::string id = create_channel();
  const std::string path = "/api/v4/teams/" + team_id + "/channels/name/inc-42-api-bump";
  EXPECT_EQ(body(send("GET", path))["id"], id);
  expect_app_error(send("GET", "/api/v4/teams/" + team_id + "/channels/name/nope"), 404,
                   "app.channel.get_by_name.missing.app_error");
  ASSERT_EQ(send("DELETE", "/api/v4/channels/" + id).status, 200u);
  expect_app_error(send("GET", path), 404, "app.channel.get_by_name.missing.app_error");
  const auto found = send("GET", path + "?include_deleted=true");
  ASSERT_EQ(found.status, 200u);
  EXPECT_EQ(body(found)["delete_at"], t0);
}

TEST_F(MattermostFakeTest, ArchivesAndRestoresChannels) {
  const std::string id = create_channel();
  const auto card = send("POST", "/api/v4/posts", {{"channel_id", id}, {"message", "card"}});
  ASSERT_EQ(card.status, 201u);
  now += 5;
  const auto archived = send("DELETE", "/api/v4/channels/" + id);
  ASSERT_EQ(archived.status, 200u);
  EXPECT_EQ(body(archived), json({{"status", "OK"}}));
  EXPECT_EQ(fake.state()["channels"][0]["delete_at"], t0 + 5);  // the control state shows it
  expect_app_error(send("PUT", "/api/v4/posts/" + body(card).value("id", "") + "/patch",
                        {{"message", "edited"}}),
                   400, "api.post.update_post.can_not_update_post_in_deleted.error");
  expect_app_error(send("DELETE", "/api/v4/channels/" + id), 400,
                   "api.channel.delete_channel.deleted.app_error");
  expect_app_error(send("POST", "/api/v4/posts", {{"channel_id", id}, {"message", "x"}}), 400,
                   "api.post.create_post.can_not_post_to_deleted.error");
  expect_app_error(send("POST", "/api/v4/channels/" + id + "/members", {{"user_id", alice_id}}),
                   400, "api.channel.add_user_to_channel.deleted.app_error");
  expect_app_error(send("DELETE", "/api/v4/channels/" + id + "?permanent=true"), 401,
                   "api.user.delete_channel.not_enabled.app_error");

  const auto restored = send("POST", "/api/v4/channels/" + id + "/restore");
  ASSERT_EQ(restored.status, 200u);
  EXPECT_EQ(body(restored)["delete_at"], 0);
  EXPECT_EQ(fake.state()["channels"][0]["delete_at"], 0);
  EXPECT_EQ(send("POST", "/api/v4/posts", {{"channel_id", id}, {"message", "back"}}).status, 201u);
  expect_app_error(send("POST", "/api/v4/channels/" + id + "/restore"), 400,
                   "api.channel.restore_channel.restored.app_error");
  expect_app_error(send("DELETE", "/api/v4/channels/" + carol_id), 404,
                   "app.channel.get.existing.app_error");
  expect_app_error(send("DELETE", "/api/v4/channels/short"), 400,
                   "api.context.invalid_url_param.app_error");
}

TEST_F(MattermostFakeTest, AddsTeamMembersToChannelsIdempotently) {
  const std::string id = create_channel();
  const std::string members = "/api/v4/channels/" + id + "/members";
  for (int i = 0; i < 2; ++i) {
    const auto r = send("POST", members, {{"user_id", alice_id}});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(body(r)["user_id"], alice_id);
    EXPECT_EQ(body(r)["channel_id"], id);
  }
  const auto listed = body(send("GET", members));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1]["user_id"], alice_id);

  expect_app_error(send("POST", members, {{"user_id", carol_id}}), 404,
                   "app.team.get_member.missing.app_error");
  expect_app_error(send("POST", members, {{"user_id", std::string(26, 'z')}}), 404,
                   "app.user.missing_account.const");
  expect_app_error(send("POST", members, {{"user_id", "alice"}}), 400,
                   "api.context.invalid_body_param.app_error");
  expect_app_error(
      send("POST", "/api/v4/channels/" + alice_id + "/members", {{"user_id", alice_id}}), 404,
      "app.channel.get.existing.app_error");
}

TEST_F(MattermostFakeTest, LooksUpUsers) {
  const auto by_email = send("GET", "/api/v4/users/email/ALICE%40example.com");
  ASSERT_EQ(by_email.status, 200u) << by_email.body;
  EXPECT_EQ(body(by_email)["id"], alice_id);
  EXPECT_EQ(body(by_email)["email"], "alice@example.com");
  expect_app_error(send("GET", "/api/v4/users/email/nobody@example.com"), 404,
                   "app.user.missing_account.const");
  expect_app_error(send("GET", "/api/v4/users/email/not-an-email"), 400,
                   "api.context.invalid_url_param.app_error");
  EXPECT_EQ(body(send("GET", "/api/v4/users/" + alice_id))["username"], "alice");
  expect_app_error(send("GET", "/api/v4/users/" + std::string(26, 'z')), 404,
                   "app.user.missing_account.const");

  const auto listed =
      send("POST", "/api/v4/users/usernames", json::array({"carol", "nobody", "alice"}));
  ASSERT_EQ(listed.status, 200u);
  ASSERT_EQ(body(listed).size(), 2u);  // unknown names are simply absent
  EXPECT_EQ(body(listed)[0]["username"], "alice");
  EXPECT_EQ(body(listed)[1]["username"], "carol");
  expect_app_error(send("POST", "/api/v4/users/usernames", {{"names", "alice"}}), 400,
                   "api.context.invalid_body_param.app_error");
}

TEST_F(MattermostFakeTest, SeedRejectsBadDataAndUpsertsUsers) {
  EXPECT_FALSE(fake.seed(json::array()).has_value());
  EXPECT_FALSE(fake.seed({{"team", {{"id", "short"}}}}).has_value());
  EXPECT_FALSE(fake.seed({{"users", {{{"id", "short"}, {"username", "x"}}}}}).has_value());
  EXPECT_FALSE(fake.seed({{"colour", "blue"}}).has_value());
  ASSERT_TRUE(
      fake.seed({{"users", {{{"id", carol_id}, {"username", "carol"}, {"email", "c@x.io"}}}}})
          .has_value());
  const json users = fake.state()["users"];
  ASSERT_EQ(users.size(), 3u);
  EXPECT_EQ(users[2]["email"], "c@x.io");
  EXPECT_EQ(users[2]["on_team"], true);
}

TEST_F(MattermostFakeTest, TellsTheBotWhoItIsAndWhatItMayDo) {
  const auto me = body(send("GET", "/api/v4/users/me"));
  EXPECT_EQ(me["id"], bot_id);
  EXPECT_EQ(me["roles"], "system_user");
  const auto member = send("GET", "/api/v4/teams/" + team_id + "/members/" + bot_id);
  ASSERT_EQ(member.status, 200u) << member.body;
  EXPECT_EQ(body(member)["roles"], "team_user");
  expect_app_error(send("GET", "/api/v4/teams/" + team_id + "/members/" + carol_id), 404,
                   "app.team.get_member.missing.app_error");
  const std::string other_team(26, 'o');
  expect_app_error(send("GET", "/api/v4/teams/" + other_team + "/members/" + bot_id), 403,
                   "api.context.permissions.app_error");
  const auto role = body(send("GET", "/api/v4/roles/name/team_user"));
  EXPECT_EQ(role["name"], "team_user");
  EXPECT_NE(std::find(role["permissions"].begin(), role["permissions"].end(),
                      json("create_private_channel")),
            role["permissions"].end());
  expect_app_error(send("GET", "/api/v4/roles/name/no_such_role"), 404,
                   "app.role.get_by_name.app_error");
  EXPECT_EQ(body(send("GET", "/api/v4/users/username/alice"))["id"], alice_id);
  expect_app_error(send("GET", "/api/v4/users/username/nobody"), 404,
                   "app.user.missing_account.const");
}

TEST_F(MattermostFakeTest, SeedsRolesAndTeamMembership) {
  ASSERT_TRUE(fake.seed({{"roles", {{"team_user", {"view_team"}}}},
                         {"users",
                          {{{"id", bot_id},
                            {"username", "warroom"},
                            {"on_team", false},
                            {"team_roles", "team_user team_admin"}}}}})
                  .has_value());
  EXPECT_EQ(body(send("GET", "/api/v4/roles/name/team_user"))["permissions"],
            json::array({"view_team"}));
  expect_app_error(send("GET", "/api/v4/teams/" + team_id + "/members/me"), 403,
                   "api.context.permissions.app_error");
  EXPECT_FALSE(fake.seed({{"roles", {{"team_user", "view_team"}}}}).has_value());
}

}  // namespace
}  // namespace warroom::sim::testing
