// `routes:`, `reminders:` and `archive:` as --check sees them: each problem with its key path.
#include <gtest/gtest.h>

#include <warroom/config/load.hpp>

namespace warroom::config {
namespace {

const std::string base = R"(
server: {listen: "127.0.0.1:0", public_url: "https://warroom.example.com"}
store: {path: "/tmp/w.db"}
pagerduty: {api_url: "https://api.pagerduty.com", token: t, webhook_secrets: [s]}
mattermost: {url: "https://chat.example.com", token: t, team_id: TOP, action_secret: a}
jira: {url: "https://acme.atlassian.net", email: "bot@example.com", token: t, project_key: OPS,
       issue_type: Incident}
)";

load_result parse(const std::string& extra) {
  return parse_config(base + extra, environment{[](const std::string&) { return std::nullopt; },
                                                [](const std::string&) { return std::nullopt; }});
}

TEST(Routes, ParsedInOrderWithTheirOverrides) {
  auto loaded = parse(R"(
routes:
  - name: checkout
    match: {service_ids: [PSVC1], service_names: ["Checkout API"], team_ids: [PT1], urgency: high,
            priorities: [P1, P2]}
    mattermost: {team_id: CHK, channel_name: "chk-{number}", private: true, responders: [bob],
                 announce_channel_id: ANN}
    jira: {project_key: CHK, issue_type: Bug, priority_map: {P1: Blocker}}
  - name: data
    match: {service_names: [Warehouse]}
    jira: false
  - name: rest
reminders: {unacknowledged_after: 1m, repeat_every: 2m, max: 5}
archive: {after_resolved: 0s}
)");
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  const auto& routes = loaded->routes;
  ASSERT_EQ(routes.size(), 3u);
  const auto& chk = routes[0];
  EXPECT_EQ(chk.name, "checkout");
  EXPECT_EQ(chk.match.service_ids, std::vector<std::string>{"PSVC1"});
  EXPECT_EQ(chk.match.service_names, std::vector<std::string>{"Checkout API"});
  EXPECT_EQ(chk.match.team_ids, std::vector<std::string>{"PT1"});
  EXPECT_EQ(chk.match.urgency, "high");
  EXPECT_EQ(chk.match.priorities, (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(chk.overrides.team_id, "CHK");
  EXPECT_EQ(chk.overrides.channel_name, "chk-{number}");
  EXPECT_EQ(chk.overrides.private_channels, true);
  EXPECT_EQ(chk.overrides.responders, std::vector<std::string>{"bob"});
  EXPECT_EQ(chk.overrides.announce_channel_id, "ANN");
  EXPECT_TRUE(chk.overrides.jira_enabled);
  EXPECT_EQ(chk.overrides.project_key, "CHK");
  EXPECT_EQ(chk.overrides.issue_type, "Bug");
  EXPECT_EQ(chk.overrides.priority_map->at("P1"), "Blocker");
  EXPECT_FALSE(routes[1].overrides.jira_enabled);
  EXPECT_FALSE(routes[1].overrides.team_id.has_value());
  EXPECT_TRUE(routes[2].match.catches_all());
  EXPECT_EQ(loaded->reminders.unacknowledged_after, std::chrono::minutes(1));
  EXPECT_EQ(loaded->reminders.repeat_every, std::chrono::minutes(2));
  EXPECT_EQ(loaded->reminders.max, 5);
  EXPECT_EQ(loaded->archive.after_resolved, std::chrono::milliseconds(0));
}

TEST(Routes, AbsentMeansNoRoutesAndDefaultLifeCycle) {
  auto loaded = parse("");
  ASSERT_TRUE(loaded.has_value()) << describe(loaded.error());
  EXPECT_TRUE(loaded->routes.empty());
  EXPECT_EQ(loaded->reminders.unacknowledged_after, std::chrono::minutes(10));
  EXPECT_EQ(loaded->reminders.repeat_every, std::chrono::minutes(15));
  EXPECT_EQ(loaded->reminders.max, 3);
  EXPECT_EQ(loaded->archive.after_resolved, std::chrono::hours(24));
}

struct bad_route {
  const char* name;
  std::string yaml;
  std::string path;
  std::string fragment;
};

std::vector<bad_route> bad_routes() {
  const std::string a = "routes:\n  - name: a\n    match: {service_ids: [S1]}\n";
  return {
      {"NotAList", "routes: {name: a}\n", "routes", "list"},
      {"EntryNotAMapping", "routes: [a]\n", "routes[0]", "mapping"},
      {"MissingName", "routes:\n  - match: {urgency: high}\n", "routes[0].name", "required"},
      {"DuplicateName", a + "  - name: a\n    match: {service_ids: [S2]}\n", "routes[1].name",
       "duplicate"},
      {"ReservedName", "routes:\n  - name: default\n    match: {urgency: low}\n", "routes[0].name",
       "reserved"},
      {"BadName", "routes:\n  - name: \"a b\"\n    match: {urgency: low}\n", "routes[0].name",
       "letters"},
      {"UnknownRouteKey", a + "    teams: [x]\n", "routes[0].teams", "unknown key"},
      {"UnknownMatchKey", "routes:\n  - name: a\n    match: {service: S1}\n",
       "routes[0].match.service", "unknown key"},
      {"EmptyMatch", "routes:\n  - name: a\n    match: {}\n", "routes[0].match", "empty"},
      {"NullMatch", "routes:\n  - name: a\n    match:\n", "routes[0].match", "empty"},
      {"EmptyList", "routes:\n  - name: a\n    match: {service_ids: []}\n",
       "routes[0].match.service_ids", "must not be empty"},
      {"BadUrgency", "routes:\n  - name: a\n    match: {urgency: urgent}\n",
       "routes[0].match.urgency", "high or low"},
      {"AfterCatchAll", "routes:\n  - name: all\n  - name: b\n    match: {urgency: low}\n",
       "routes[1]", "unreachable"},
      {"ShadowedBySuperset",
       "routes:\n  - name: a\n    match: {service_ids: [S1, S2]}\n  - name: b\n"
       "    match: {service_ids: [S2], urgency: high}\n",
       "routes[1]", "routes[0] (a)"},
      {"UnknownMattermostKey", a + "    mattermost: {team: x}\n", "routes[0].mattermost.team",
       "unknown key"},
      {"BadChannelTemplate", a + "    mattermost: {channel_name: \"x-{nope}\"}\n",
       "routes[0].mattermost.channel_name", "placeholders"},
      {"BadPrivate", a + "    mattermost: {private: maybe}\n", "routes[0].mattermost.private",
       "true or false"},
      {"JiraNeitherFalseNorMapping", a + "    jira: off-please\n", "routes[0].jira", "false"},
      {"UnknownJiraKey", a + "    jira: {url: x}\n", "routes[0].jira.url", "unknown key"},
      {"EmptyProjectKey", a + "    jira: {project_key: \"\"}\n", "routes[0].jira.project_key",
       "must not be empty"},
      {"BadPriorityMap", a + "    jira: {priority_map: [a]}\n", "routes[0].jira.priority_map",
       "mapping"},
      {"UnknownReminderKey", "reminders: {every: 1m}\n", "reminders.every", "unknown key"},
      {"BadReminderMax", "reminders: {max: 0}\n", "reminders.max", "integer"},
      {"ZeroRepeat", "reminders: {repeat_every: 0s}\n", "reminders.repeat_every", "more than 0s"},
      {"BadArchiveDuration", "archive: {after_resolved: later}\n", "archive.after_resolved",
       "duration"},
  };
}

class BadRoute : public ::testing::TestWithParam<bad_route> {};

TEST_P(BadRoute, IsRejectedWithItsKeyPath) {
  const auto& c = GetParam();
  auto loaded = parse(c.yaml);
  ASSERT_FALSE(loaded.has_value()) << c.yaml;
  bool found = false;
  for (const auto& p : loaded.error())
    found = found || (p.path == c.path && p.message.find(c.fragment) != std::string::npos);
  EXPECT_TRUE(found) << "expected " << c.path << ": ..." << c.fragment << "\ngot:\n"
                     << describe(loaded.error());
}

INSTANTIATE_TEST_SUITE_P(Table, BadRoute, ::testing::ValuesIn(bad_routes()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Routes, EveryBadRouteReportedAtOnce) {
  auto loaded = parse(
      "routes:\n  - name: a\n    match: {}\n  - match: {urgency: x}\n  - name: c\n    bogus: 1\n");
  ASSERT_FALSE(loaded.has_value());
  EXPECT_GE(loaded.error().size(), 4u) << describe(loaded.error());
}

}  // namespace
}  // namespace warroom::config
