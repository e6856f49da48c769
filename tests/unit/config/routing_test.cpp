// The route matcher: first match wins, every given field must match, no match = top-level
// settings; and `covers`, which --check uses to find unreachable routes.
#include <gtest/gtest.h>

#include <warroom/config/routing.hpp>

namespace warroom::config {
namespace {

route_subject checkout_p1() {
  return {"PSVC1", "Checkout API", {"PTEAM1"}, "high", "P1"};
}

struct match_case {
  const char* name;
  route_match match;
  route_subject subject;
  bool expected;
};

std::vector<match_case> match_cases() {
  const auto s = checkout_p1();
  auto other_service = s;
  other_service.service_id = "PSVC9";
  auto low = s;
  low.urgency = "low";
  auto no_priority = s;
  no_priority.priority = "";
  auto no_team = s;
  no_team.team_ids.clear();
  auto two_teams = s;
  two_teams.team_ids = {"PTEAM7", "PTEAM1"};
  return {
      {"EmptyMatchTakesAll", {}, s, true},
      {"ServiceId", {{"PSVC1"}, {}, {}, "", {}}, s, true},
      {"ServiceIdAnyOfList", {{"PSVC0", "PSVC1"}, {}, {}, "", {}}, s, true},
      {"OtherServiceId", {{"PSVC1"}, {}, {}, "", {}}, other_service, false},
      {"ServiceIdIsCaseSensitive", {{"psvc1"}, {}, {}, "", {}}, s, false},
      {"ServiceNameIgnoresCase", {{}, {"checkout api"}, {}, "", {}}, s, true},
      {"OtherServiceName", {{}, {"Billing"}, {}, "", {}}, s, false},
      {"TeamId", {{}, {}, {"PTEAM1"}, "", {}}, s, true},
      {"AnyOfTheIncidentsTeams", {{}, {}, {"PTEAM1"}, "", {}}, two_teams, true},
      {"IncidentWithoutTeam", {{}, {}, {"PTEAM1"}, "", {}}, no_team, false},
      {"Urgency", {{}, {}, {}, "high", {}}, s, true},
      {"OtherUrgency", {{}, {}, {}, "high", {}}, low, false},
      {"Priority", {{}, {}, {}, "", {"P1", "P2"}}, s, true},
      {"PriorityIgnoresCase", {{}, {}, {}, "", {"p1"}}, s, true},
      {"NoPriorityNeverMatchesAPriorityList", {{}, {}, {}, "", {"P1"}}, no_priority, false},
      {"AllFieldsMustMatch", {{"PSVC1"}, {}, {}, "low", {}}, s, false},
      {"AllFieldsMatching", {{"PSVC1"}, {"Checkout API"}, {"PTEAM1"}, "high", {"P1"}}, s, true},
  };
}

class Matches : public ::testing::TestWithParam<match_case> {};

TEST_P(Matches, FollowsTheTable) {
  const auto& c = GetParam();
  EXPECT_EQ(matches(c.match, c.subject), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, Matches, ::testing::ValuesIn(match_cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

struct covers_case {
  const char* name;
  route_match earlier;
  route_match later;
  bool expected;
};

std::vector<covers_case> covers_cases() {
  return {
      {"CatchAllCoversEverything", {}, {{"PSVC1"}, {}, {}, "high", {}}, true},
      {"NothingButACatchAllCoversACatchAll", {{"PSVC1"}, {}, {}, "", {}}, {}, false},
      {"SubsetOfServices", {{"A", "B"}, {}, {}, "", {}}, {{"B"}, {}, {}, "", {}}, true},
      {"NarrowerByAnotherField", {{"A"}, {}, {}, "", {}}, {{"A"}, {}, {}, "low", {}}, true},
      {"WiderServiceList", {{"A"}, {}, {}, "", {}}, {{"A", "C"}, {}, {}, "", {}}, false},
      {"OtherUrgency", {{}, {}, {}, "high", {}}, {{}, {}, {}, "low", {}}, false},
      {"EarlierMoreSpecific", {{"A"}, {}, {}, "high", {}}, {{"A"}, {}, {}, "", {}}, false},
      {"SamePrioritiesOtherCase", {{}, {}, {}, "", {"P1"}}, {{}, {}, {}, "", {"p1"}}, true},
  };
}

class Covers : public ::testing::TestWithParam<covers_case> {};

TEST_P(Covers, FollowsTheTable) {
  const auto& c = GetParam();
  EXPECT_EQ(covers(c.earlier, c.later), c.expected);
}

INSTANTIATE_TEST_SUITE_P(Table, Covers, ::testing::ValuesIn(covers_cases()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

config two_routes() {
  config cfg;
  cfg.mattermost.team_id = "TOPTEAM";
  cfg.mattermost.channel_name = "inc-{number}";
  cfg.mattermost.responders = {"alice"};
  cfg.jira.project_key = "OPS";
  cfg.jira.issue_type = "Incident";
  route checkout{"checkout", {{"PSVC1"}, {}, {}, "", {}}, {}};
  checkout.overrides.team_id = "CHKTEAM";
  checkout.overrides.responders = std::vector<std::string>{"bob"};
  checkout.overrides.project_key = "CHK";
  checkout.overrides.priority_map = std::map<std::string, std::string>{{"P1", "Blocker"}};
  route quiet{"quiet", {{}, {}, {}, "low", {}}, {}};
  quiet.overrides.jira_enabled = false;
  quiet.overrides.private_channels = true;
  route later_checkout{"later", {{"PSVC1"}, {}, {}, "", {}}, {}};
  cfg.routes = {checkout, quiet, later_checkout};
  return cfg;
}

TEST(SettingsFor, FirstMatchingRouteOverridesOnlyWhatItNames) {
  const auto cfg = two_routes();
  const auto s = settings_for(cfg, checkout_p1());
  EXPECT_EQ(s.route, "checkout");
  EXPECT_EQ(s.team_id, "CHKTEAM");
  EXPECT_EQ(s.responders, std::vector<std::string>{"bob"});
  EXPECT_EQ(s.project_key, "CHK");
  EXPECT_EQ(s.priority_map, (std::map<std::string, std::string>{{"P1", "Blocker"}}));
  EXPECT_EQ(s.channel_name, "inc-{number}");  // not overridden: top level
  EXPECT_EQ(s.issue_type, "Incident");
  EXPECT_TRUE(s.jira_enabled);
}

TEST(SettingsFor, FirstMatchWinsOverALaterMatch) {
  auto subject = checkout_p1();
  subject.urgency = "low";  // matches checkout and quiet: checkout comes first
  EXPECT_EQ(settings_for(two_routes(), subject).route, "checkout");
}

TEST(SettingsFor, RouteCanTurnJiraOff) {
  auto subject = checkout_p1();
  subject.service_id = "PSVC2";
  subject.urgency = "low";
  const auto s = settings_for(two_routes(), subject);
  EXPECT_EQ(s.route, "quiet");
  EXPECT_FALSE(s.jira_enabled);
  EXPECT_TRUE(s.private_channels);
  EXPECT_EQ(s.team_id, "TOPTEAM");
}

TEST(SettingsFor, NoMatchUsesTheTopLevelSettings) {
  const auto cfg = two_routes();
  auto subject = checkout_p1();
  subject.service_id = "PSVC2";
  const auto s = settings_for(cfg, subject);
  EXPECT_EQ(s, default_settings(cfg));
  EXPECT_EQ(s.route, "default");
  EXPECT_EQ(s.team_id, "TOPTEAM");
  EXPECT_EQ(s.responders, std::vector<std::string>{"alice"});
}

}  // namespace
}  // namespace warroom::config
