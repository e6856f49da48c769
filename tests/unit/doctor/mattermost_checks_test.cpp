// Doctor, Mattermost: which calls, and how the token, team, create-channel permission, announce
// channel and responder lines read the answers.
#include <functional>

#include <gtest/gtest.h>

#include <warroom/doctor/mattermost_checks.hpp>

namespace warroom::doctor::mattermost_checks_test {
namespace {

const std::string team_id = "teamid00000000000000000000";
const std::string bot_id = "botid000000000000000000000";

config::mattermost_config mm() {
  config::mattermost_config c;
  c.url = *util::parse_url("https://chat.example.com");
  c.token = util::secret("mm-secret-token");
  c.team_id = team_id;
  c.responders = {"alice"};
  c.announce_channel_id = "chan0000000000000000000000";
  return c;
}

reply answer(unsigned status, std::string body) {
  return api::http_reply{status, {}, std::move(body)};
}

reply app_error(unsigned status, const std::string& id) {
  return answer(status, R"({"id":")" + id + R"(","message":"m","status_code":)" +
                            std::to_string(status) + "}");
}

reply role(const std::string& permissions) {
  return answer(200, R"({"name":"r","permissions":[)" + permissions + "]}");
}

// Every call answered as for a well set-up bot.
mattermost_replies good() {
  mattermost_replies r;
  r.me = answer(200, R"({"id":")" + bot_id +
                         R"(","username":"warroom","roles":"system_user","is_bot":true})");
  r.team = answer(200, R"({"id":")" + team_id + R"(","name":"ops"})");
  r.member = answer(200, R"({"team_id":"t","user_id":"b","roles":"team_user","delete_at":0})");
  r.roles = {{"system_user", role(R"("create_team")")},
             {"team_user", role(R"("create_public_channel","create_private_channel")")}};
  r.announce = answer(200, R"({"id":"c","name":"incidents","delete_at":0})");
  r.responders = {answer(200, R"({"id":"a","username":"alice","delete_at":0})")};
  return r;
}

std::vector<std::string> formatted(const mattermost_replies& r,
                                   const config::mattermost_config& cfg) {
  std::vector<std::string> out;
  for (const auto& line : read_mattermost(r, cfg))
    out.push_back(format_line(line));
  return out;
}

TEST(MattermostChecks, CallsAreReadOnlyGets) {
  const auto cfg = mm();
  for (const auto& [call, target] : std::vector<std::pair<api::http_call, std::string>>{
           {mattermost_me(cfg), "/api/v4/users/me"},
           {mattermost_team(cfg), "/api/v4/teams/" + team_id},
           {mattermost_team_member(cfg, bot_id), "/api/v4/teams/" + team_id + "/members/" + bot_id},
           {mattermost_role(cfg, "team_user"), "/api/v4/roles/name/team_user"},
           {mattermost_channel(cfg), "/api/v4/channels/chan0000000000000000000000"},
           {mattermost_username(cfg, "alice"), "/api/v4/users/username/alice"}}) {
    EXPECT_EQ(call.method, api::http_method::get);
    EXPECT_EQ(call.target, target);
    EXPECT_TRUE(call.body.empty());
  }
}

TEST(MattermostChecks, ReadsTheBotAndItsRoles) {
  const auto bot = read_bot(good().me);
  ASSERT_TRUE(bot);
  EXPECT_EQ(bot->id, bot_id);
  EXPECT_EQ(bot->roles, std::vector<std::string>{"system_user"});
  EXPECT_EQ(member_roles(good().member), std::vector<std::string>{"team_user"});
  EXPECT_FALSE(read_bot(app_error(401, "api.context.session_expired.app_error")));
  EXPECT_TRUE(member_roles(app_error(403, "api.context.permissions.app_error")).empty());
}

TEST(MattermostChecks, AGoodSetupPassesEveryLine) {
  EXPECT_EQ(formatted(good(), mm()),
            (std::vector<std::string>{
                "ok mattermost token: accepted: signed in as @warroom (bot)",
                "ok mattermost team: @warroom is a member of team ops",
                "ok mattermost create channels: @warroom's roles (system_user, team_user) grant "
                "create_public_channel (mattermost.private: false)",
                "ok mattermost announce_channel_id: ~incidents is readable",
                "ok mattermost responder alice: @alice exists"}));
}

TEST(MattermostChecks, EachMistakeFailsItsLine) {
  struct row {
    std::string what;
    std::function<void(mattermost_replies&, config::mattermost_config&)> change;
    std::size_t line;
    std::string part;
  };
  const std::vector<row> rows = {
      {"bad token",
       [](auto& r, auto&) { r.me = app_error(401, "api.context.session_expired.app_error"); }, 0,
       "HTTP 401"},
      {"unknown team",
       [](auto& r, auto&) { r.team = app_error(404, "app.team.get.find.app_error"); }, 1,
       "no team has the id " + team_id},
      {"bot not on team",
       [](auto& r, auto&) { r.member = app_error(403, "api.context.permissions.app_error"); }, 1,
       "@warroom is not a member of team ops"},
      {"no permission",
       [](auto& r, auto& c) {
         c.private_channels = true;
         r.roles[1].second = role(R"("create_public_channel")");
       },
       2, "do not grant create_private_channel, needed for private"},
      {"archived announce channel",
       [](auto& r, auto&) { r.announce = answer(200, R"({"id":"c","name":"inc","delete_at":5})"); },
       3, "~inc is archived"},
      {"unreadable announce channel",
       [](auto& r, auto&) { r.announce = app_error(403, "api.context.permissions.app_error"); }, 3,
       "may not read channel"},
      {"unknown responder",
       [](auto& r, auto&) { r.responders[0] = app_error(404, "app.user.missing_account.const"); },
       4, "no Mattermost user is named @alice"},
      {"unreachable",
       [](auto& r, auto&) {
         r.me = error{"connect_failed", "refused"};
       },
       0, "no answer (connect_failed)"},
  };
  for (const auto& [what, change, index, part] : rows) {
    auto r = good();
    auto cfg = mm();
    change(r, cfg);
    const auto lines = read_mattermost(r, cfg);
    ASSERT_EQ(lines.size(), 5U) << what;
    EXPECT_FALSE(lines[index].ok) << what;
    EXPECT_NE(lines[index].detail.find(part), std::string::npos)
        << what << ": " << lines[index].detail;
    EXPECT_FALSE(lines[index].fix.empty()) << what;
    for (std::size_t i = 0; i < index; ++i)
      EXPECT_TRUE(lines[i].ok) << what << ": line " << i;
    for (const auto& line : lines)
      EXPECT_EQ(format_line(line).find("mm-secret-token"), std::string::npos);
  }
}

TEST(MattermostChecks, ABadTokenLeavesTheRestNotChecked) {
  auto r = good();
  r.me = app_error(401, "api.context.session_expired.app_error");
  const auto lines = read_mattermost(r, mm());
  for (std::size_t i = 1; i < lines.size(); ++i) {
    EXPECT_FALSE(lines[i].ok);
    EXPECT_EQ(lines[i].detail, "not checked: the mattermost token check failed");
  }
}

TEST(MattermostChecks, NoAnnounceLineWhenAnnouncementsAreOff) {
  auto cfg = mm();
  cfg.announce_channel_id.clear();
  const auto lines = read_mattermost(good(), cfg);
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines[3].name, "mattermost responder alice");
}

TEST(MattermostChecks, SystemAdminsMayCreateAnything) {
  auto r = good();
  r.roles = {{"system_admin", role(R"("manage_system")")}, {"team_user", role("")}};
  EXPECT_TRUE(read_mattermost(r, mm())[2].ok);
}

}  // namespace
}  // namespace warroom::doctor::mattermost_checks_test
