#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/api/mattermost.hpp>
#include <warroom/api/vendor_error.hpp>

#include "support/fixtures.hpp"

namespace warroom::api::mattermost_test {
namespace {

using nlohmann::json;

constexpr std::string_view token = "mm-TOKEN-9xq+SECRET";
constexpr std::string_view team = "5xxzt146ypbz5rh5x1ztmb3c6r";
constexpr std::string_view channel_id = "j6j53p28k6urx15fpcgsr20psq";

mattermost_endpoint endpoint(std::string_view base = "https://chat.example.com") {
  auto url = util::parse_url(base);
  EXPECT_TRUE(url.has_value());
  return mattermost_endpoint{*url, util::secret(std::string(token))};
}

std::vector<header> expected_headers(bool with_body) {
  std::vector<header> h = {{"Authorization", "Bearer " + std::string(token)},
                           {"Accept", "application/json"}};
  if (with_body) h.push_back({"Content-Type", "application/json"});
  return h;
}

http_reply reply(unsigned status, std::string body) {
  return http_reply{status, {}, std::move(body)};
}

std::string app_error(std::string_view id, unsigned status, std::string_view message = "msg") {
  return json{{"id", id},
              {"message", message},
              {"detailed_error", ""},
              {"request_id", "r1"},
              {"status_code", status}}
      .dump();
}

const std::string channel_json = R"({"id":"j6j53p28k6urx15fpcgsr20psq","create_at":1,"update_at":1,
  "delete_at":0,"team_id":"5xxzt146ypbz5rh5x1ztmb3c6r","type":"P","display_name":"INC 42: API bump",
  "name":"inc-42-api-bump","header":"","purpose":"","creator_id":"b"})";

TEST(MattermostBuilders, CreateChannelPostsEveryField) {
  const http_call call = create_channel(endpoint(), team, "inc-42-api-bump", "INC 42: API bump",
                                        channel_type::private_channel, "purpose", "header");
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.origin, "https://chat.example.com");
  EXPECT_EQ(call.target, "/api/v4/channels");
  EXPECT_EQ(call.headers, expected_headers(true));
  EXPECT_EQ(json::parse(call.body), json({{"team_id", team},
                                          {"name", "inc-42-api-bump"},
                                          {"display_name", "INC 42: API bump"},
                                          {"type", "P"},
                                          {"purpose", "purpose"},
                                          {"header", "header"}}));
  const http_call open = create_channel(endpoint(), team, "n1", "d", channel_type::open, "", "");
  EXPECT_EQ(json::parse(open.body)["type"], "O");
}

TEST(MattermostBuilders, BasePathPrefixIsKept) {
  const http_call call = restore_channel(endpoint("http://127.0.0.1:8065/mm"), channel_id);
  EXPECT_EQ(call.origin, "http://127.0.0.1:8065");
  EXPECT_EQ(call.target, "/mm/api/v4/channels/j6j53p28k6urx15fpcgsr20psq/restore");
}

TEST(MattermostBuilders, GetChannelByName) {
  const http_call call = get_channel_by_name(endpoint(), team, "inc-42-api-bump");
  EXPECT_EQ(call.method, http_method::get);
  EXPECT_EQ(call.target,
            "/api/v4/teams/5xxzt146ypbz5rh5x1ztmb3c6r/channels/name/inc-42-api-bump"
            "?include_deleted=true");
  EXPECT_EQ(call.headers, expected_headers(false));
  EXPECT_TRUE(call.body.empty());
  EXPECT_EQ(get_channel_by_name(endpoint(), "t/1", "a b", false).target,
            "/api/v4/teams/t%2F1/channels/name/a%20b");
}

TEST(MattermostBuilders, RestoreIsABodylessPost) {
  const http_call call = restore_channel(endpoint(), channel_id);
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.target, "/api/v4/channels/j6j53p28k6urx15fpcgsr20psq/restore");
  EXPECT_EQ(call.headers, expected_headers(false));
  EXPECT_TRUE(call.body.empty());
}

TEST(MattermostBuilders, ArchiveIsABodylessDelete) {
  const http_call call = archive_channel(endpoint(), channel_id);
  EXPECT_EQ(call.method, http_method::delete_);
  EXPECT_EQ(call.target, "/api/v4/channels/j6j53p28k6urx15fpcgsr20psq");
  EXPECT_EQ(call.headers, expected_headers(false));
  EXPECT_TRUE(call.body.empty());
}

TEST(MattermostReaders, ArchiveAndRestoreAreIdempotent) {
  EXPECT_TRUE(read_archived(reply(200, R"({"status":"OK"})")));
  EXPECT_TRUE(
      read_archived(reply(400, app_error("api.channel.delete_channel.deleted.app_error", 400))));
  EXPECT_FALSE(read_archived(reply(200, R"({"status":"FAIL"})")));
  const auto refused =
      read_archived(reply(403, app_error("api.context.permissions.app_error", 403)));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "api.context.permissions.app_error");
  EXPECT_FALSE(
      read_archived(reply(400, app_error("api.channel.delete_channel.cannot.app_error", 400))));

  EXPECT_TRUE(read_restored(reply(200, channel_json)));
  EXPECT_TRUE(
      read_restored(reply(400, app_error("api.channel.restore_channel.restored.app_error", 400))));
  EXPECT_FALSE(read_restored(reply(404, app_error("app.channel.get.existing.app_error", 404))));
  EXPECT_FALSE(read_restored(reply(503, "")));
}

TEST(MattermostBuilders, AddChannelMember) {
  const http_call call = add_channel_member(endpoint(), channel_id, "rd49ehbqyjytddasoownkuqrxe");
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.target, "/api/v4/channels/j6j53p28k6urx15fpcgsr20psq/members");
  EXPECT_EQ(call.headers, expected_headers(true));
  EXPECT_EQ(json::parse(call.body), json({{"user_id", "rd49ehbqyjytddasoownkuqrxe"}}));
}

TEST(MattermostBuilders, UserLookups) {
  const http_call by_email = get_user_by_email(endpoint(), "alice+ops@example.com");
  EXPECT_EQ(by_email.method, http_method::get);
  EXPECT_EQ(by_email.target, "/api/v4/users/email/alice%2Bops@example.com");
  EXPECT_EQ(by_email.headers, expected_headers(false));
  const http_call by_id = get_user(endpoint(), "rd49ehbqyjytddasoownkuqrxe");
  EXPECT_EQ(by_id.target, "/api/v4/users/rd49ehbqyjytddasoownkuqrxe");
  EXPECT_EQ(by_id.headers, expected_headers(false));
  const std::vector<std::string> names = {"alice", "bob"};
  const http_call by_names = get_users_by_usernames(endpoint(), names);
  EXPECT_EQ(by_names.method, http_method::post);
  EXPECT_EQ(by_names.target, "/api/v4/users/usernames");
  EXPECT_EQ(by_names.headers, expected_headers(true));
  EXPECT_EQ(json::parse(by_names.body), json::parse(R"(["alice","bob"])"));
  EXPECT_EQ(json::parse(get_users_by_usernames(endpoint(), {}).body), json::array());
}

TEST(MattermostBuilders, CreatePostMatchesTheDocumentedButtonRequest) {
  const json example = json::parse(fixtures::read(
      "mattermost/interactive-action-examples.json"))["create_post_with_buttons_request (derived)"];
  const json& body = example["body"];
  const http_call call = create_post(endpoint(), body["channel_id"].get<std::string>(),
                                     body["message"].get<std::string>(), body["props"]);
  EXPECT_EQ(to_string(call.method), example["method"].get<std::string>());
  EXPECT_EQ(call.target, example["path"].get<std::string>());
  EXPECT_EQ(json::parse(call.body), body);
  EXPECT_EQ(call.header_value("Content-Type"),
            example["headers"]["Content-Type"].get<std::string>());
  EXPECT_EQ(call.header_value("Authorization"), "Bearer " + std::string(token));
}

TEST(MattermostBuilders, CreatePostOptionalParts) {
  const http_call reply_post = create_post(endpoint(), channel_id, "hi", json(), "rootpost");
  EXPECT_EQ(json::parse(reply_post.body),
            json({{"channel_id", channel_id}, {"message", "hi"}, {"root_id", "rootpost"}}));
  EXPECT_FALSE(reply_post.idempotent());
}

TEST(MattermostBuilders, PatchPost) {
  const json props = {{"attachments", json::array({{{"text", "Acknowledged"}}})}};
  const http_call call = patch_post(endpoint(), "gqrnh3675jfxzftnjyjfe4udeh", "updated", props);
  EXPECT_EQ(call.method, http_method::put);
  EXPECT_EQ(call.target, "/api/v4/posts/gqrnh3675jfxzftnjyjfe4udeh/patch");
  EXPECT_EQ(call.headers, expected_headers(true));
  EXPECT_EQ(json::parse(call.body), json({{"message", "updated"}, {"props", props}}));
}

TEST(MattermostReaders, Channel) {
  const auto channel = read_channel(reply(201, channel_json));
  ASSERT_TRUE(channel) << channel.error().message;
  EXPECT_EQ(channel->id, channel_id);
  EXPECT_EQ(channel->team_id, team);
  EXPECT_EQ(channel->name, "inc-42-api-bump");
  EXPECT_EQ(channel->display_name, "INC 42: API bump");
  EXPECT_EQ(channel->type, "P");
  EXPECT_EQ(channel->delete_at, 0);
  const auto archived =
      read_channel_if_found(reply(200, R"({"id":"c","name":"n","delete_at":1700})"));
  ASSERT_TRUE(archived);
  ASSERT_TRUE(archived->has_value());
  EXPECT_EQ((*archived)->delete_at, 1700);
}

TEST(MattermostReaders, ChannelExistsErrorsAreRecognised) {
  for (const auto* id : {"store.sql_channel.save_channel.exists.app_error",
                         "store.sql_channel.save_channel.previously.app_error"}) {
    const auto channel =
        read_channel(reply(400, app_error(id, 400, "A channel with that name already exists")));
    ASSERT_FALSE(channel);
    EXPECT_EQ(channel.error().code, id);
    EXPECT_EQ(channel.error().message, "A channel with that name already exists");
    EXPECT_TRUE(is_channel_exists(channel.error()));
  }
  const auto invalid =
      read_channel(reply(400, app_error("model.channel.is_valid.2_or_more.app_error", 400)));
  ASSERT_FALSE(invalid);
  EXPECT_FALSE(is_channel_exists(invalid.error()));
  EXPECT_FALSE(
      is_channel_exists(make_error("http_400", "store.sql_channel.save_channel.exists.app_error")));
}

TEST(MattermostReaders, NotFoundIsAbsentUnlessTheRouteIsUnknown) {
  const auto missing = read_channel_if_found(
      reply(404, app_error("app.channel.get_by_name.missing.app_error", 404)));
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  const auto bare = read_channel_if_found(reply(404, ""));
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->has_value());
  const auto no_route = read_channel_if_found(reply(
      404, app_error("api.context.404.app_error", 404, "Sorry, we could not find the page.")));
  ASSERT_FALSE(no_route);
  EXPECT_EQ(no_route.error().code, "api.context.404.app_error");
  const auto no_user =
      read_user_if_found(reply(404, app_error("app.user.missing_account.const", 404)));
  ASSERT_TRUE(no_user);
  EXPECT_FALSE(no_user->has_value());
  const auto hidden = read_user_if_found(reply(
      403, app_error("api.user.get_user_by_email.permissions.app_error", 403, "No permission")));
  ASSERT_FALSE(hidden);
  EXPECT_EQ(hidden.error().code, "api.user.get_user_by_email.permissions.app_error");
}

TEST(MattermostReaders, PlainTextRateLimit) {
  const auto users = read_mattermost_users(reply(429, "limit exceeded\n"));
  ASSERT_FALSE(users);
  EXPECT_EQ(users.error().code, "http_429");
  EXPECT_EQ(users.error().message, "Mattermost answered HTTP 429: limit exceeded");
}

TEST(MattermostReaders, Users) {
  const auto users = read_mattermost_users(reply(200, R"([
    {"id":"u1","username":"alice","email":"alice@x.io","delete_at":0,"roles":"system_user"},
    {"id":"u2","username":"bob","delete_at":1690000000000}])"));
  ASSERT_TRUE(users) << users.error().message;
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[0].id, "u1");
  EXPECT_EQ((*users)[0].username, "alice");
  EXPECT_EQ((*users)[0].email, "alice@x.io");
  EXPECT_EQ((*users)[1].email, "");
  EXPECT_EQ((*users)[1].delete_at, 1690000000000);
  const auto none = read_mattermost_users(reply(200, "[]"));
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  const auto one = read_user_if_found(reply(200, R"({"id":"u1","username":"alice"})"));
  ASSERT_TRUE(one);
  ASSERT_TRUE(one->has_value());
  EXPECT_EQ((*one)->username, "alice");
}

TEST(MattermostReaders, MemberAndPost) {
  EXPECT_TRUE(read_channel_member(
      reply(201, R"({"channel_id":"c","user_id":"u","roles":"channel_user"})")));
  const auto not_on_team = read_channel_member(
      reply(403, app_error("api.channel.add_user.to.channel.failed.deleted.app_error", 403, "no")));
  ASSERT_FALSE(not_on_team);
  EXPECT_EQ(not_on_team.error().code, "api.channel.add_user.to.channel.failed.deleted.app_error");
  const auto post =
      read_post_id(reply(201, R"({"id":"p1","channel_id":"c","message":"m","props":{}})"));
  ASSERT_TRUE(post);
  EXPECT_EQ(*post, "p1");
}

TEST(MattermostErrors, AppErrorWithoutMessageOrWithHugeMessage) {
  const auto bare = read_post_id(reply(500, R"({"id":"app.post.save.app_error"})"));
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, "app.post.save.app_error");
  EXPECT_EQ(bare.error().message, "Mattermost answered HTTP 500");
  const auto huge = read_post_id(reply(400, app_error("x.y", 400, std::string(100000, 'm'))));
  EXPECT_EQ(huge.error().message.size(), max_vendor_text);
  const auto blank_id = read_post_id(reply(400, app_error("", 400)));
  EXPECT_EQ(blank_id.error().code, "http_400");
}

TEST(MattermostErrors, TokenNeverAppearsInErrors) {
  const http_call call = create_post(endpoint(), channel_id, "m", json::object());
  for (const header& h : redacted_headers(call.headers))
    EXPECT_EQ(h.value.find(token), std::string::npos) << h.name;
  EXPECT_EQ(call.body.find(token), std::string::npos);
  for (const auto& r : {reply(401, app_error("api.context.session_expired.app_error", 401,
                                             "Invalid or expired session, please login again.")),
                        reply(429, "limit exceeded"), reply(502, ""), reply(200, "[]")}) {
    const auto post = read_post_id(r);
    ASSERT_FALSE(post);
    EXPECT_EQ(post.error().message.find(token), std::string::npos);
    EXPECT_EQ(post.error().code.find(token), std::string::npos);
  }
}

TEST(MattermostValidation, ActionIds) {
  for (const auto* ok : {"acknowledge", "resolve", "Ack2", "A", "0"})
    EXPECT_TRUE(valid_action_id(ok)) << ok;
  for (const auto* bad : {"", "ack_now", "ack-now", "ack now", "ack.now", "caf\xC3\xA9", "ack/"})
    EXPECT_FALSE(valid_action_id(bad)) << bad;
}

TEST(MattermostValidation, ChannelNames) {
  const std::string hex40 = "0123456789abcdef0123456789abcdef01234567";
  const std::string dm = std::string(26, 'a') + "__" + std::string(26, 'b');
  const std::vector<std::string> good = {"inc-42-api-bump",
                                         "ab",
                                         "a_b",
                                         "a--b",
                                         std::string(64, 'a'),
                                         std::string(25, 'a'),
                                         std::string(27, 'a'),
                                         hex40.substr(0, 39) + "g",
                                         std::string(26, 'a') + "_-" + std::string(26, 'b')};
  for (const auto& name : good)
    EXPECT_TRUE(valid_channel_name(name)) << name;
  const std::vector<std::string> bad = {"",
                                        "a",
                                        "-ab",
                                        "ab-",
                                        "_ab",
                                        "ab_",
                                        "Inc-42",
                                        "inc 42",
                                        "inc.42",
                                        "inc/42",
                                        "caf\xC3\xA9",
                                        std::string(65, 'a'),
                                        std::string(26, 'a'),
                                        hex40,
                                        dm};
  for (const auto& name : bad)
    EXPECT_FALSE(valid_channel_name(name)) << name;
}

}  // namespace
}  // namespace warroom::api::mattermost_test

namespace warroom::api::mattermost_test {
namespace {

TEST(MattermostChannelPosts, BuildsTheListCallAndReadsPostProps) {
  const mattermost_endpoint ep{*util::parse_url("https://chat.example.com"), util::secret("tok")};
  const auto call = get_channel_posts(ep, "chan1", 200);
  EXPECT_EQ(call.method, http_method::get);
  EXPECT_EQ(call.target, "/api/v4/channels/chan1/posts?page=0&per_page=200");
  http_reply reply{
      200,
      {},
      R"({"order":["p1","p2"],"posts":{"p1":{"id":"p1","props":{"warroom_incident":"Q1"}},"p2":{"id":"p2"}}})"};
  auto posts = read_channel_posts(reply);
  ASSERT_TRUE(posts.has_value());
  ASSERT_EQ(posts->size(), 2u);
  bool found = false;
  for (const auto& p : *posts)
    found = found || (p.id == "p1" && p.props.value("warroom_incident", "") == "Q1");
  EXPECT_TRUE(found);
  EXPECT_FALSE(read_channel_posts(http_reply{200, {}, "[]"}).has_value());
  EXPECT_FALSE(read_channel_posts(http_reply{500, {}, "oops"}).has_value());
}

}  // namespace
}  // namespace warroom::api::mattermost_test

namespace warroom::api::mattermost_test {
namespace {

TEST(MattermostCommandResponse, PostsAnEphemeralAnswerToTheServersOwnHook) {
  const auto call =
      command_response(endpoint("https://chat.example.com/mm"),
                       "https://chat.example.com/mm/hooks/commands/xbrkb8p393gjpq5cawei7npije",
                       "War room: ~inc-7-db");
  ASSERT_TRUE(call.has_value()) << call.error().message;
  EXPECT_EQ(call->method, http_method::post);
  EXPECT_EQ(call->origin, "https://chat.example.com");
  EXPECT_EQ(call->target, "/mm/hooks/commands/xbrkb8p393gjpq5cawei7npije");
  EXPECT_FALSE(call->header_value("Authorization").has_value());  // the hook id is the credential
  EXPECT_EQ(json::parse(call->body),
            (json{{"response_type", "ephemeral"}, {"text", "War room: ~inc-7-db"}}));
}

TEST(MattermostCommandResponse, NeverFollowsAUrlOutsideTheConfiguredServer) {
  const auto ep = endpoint("https://chat.example.com");
  for (const char* url :
       {"https://evil.example.com/hooks/commands/abc", "http://chat.example.com/hooks/commands/abc",
        "https://chat.example.com:8443/hooks/commands/abc",
        "https://chat.example.com/api/v4/users/me", "https://chat.example.com/hooks/commands/",
        "https://chat.example.com/hooks/commands/abc/extra", "not a url", ""}) {
    const auto call = command_response(ep, url, "text");
    ASSERT_FALSE(call.has_value()) << url;
    EXPECT_EQ(call.error().code, "bad_response_url");
  }
}

}  // namespace
}  // namespace warroom::api::mattermost_test
