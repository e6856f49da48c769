// Doctor, Jira: the four lookups and how credentials, project, issue type, priority_map and the
// done status read their answers.
#include <functional>

#include <gtest/gtest.h>

#include <warroom/doctor/jira_checks.hpp>

namespace warroom::doctor::jira_checks_test {
namespace {

config::jira_config jira(int version = 3) {
  config::jira_config c;
  c.url = *util::parse_url("https://acme.atlassian.net");
  c.api_version = version;
  c.email = "bot@example.com";
  c.token = util::secret("jira-secret-token");
  c.project_key = "OPS";
  c.issue_type = "Incident";
  c.priority_map = {{"P1", "Highest"}, {"low", "Low"}};
  return c;
}

reply answer(unsigned status, std::string body) {
  return api::http_reply{status, {}, std::move(body)};
}

const char* statuses_with(const char* done_key) {
  static std::string body;
  body = std::string(R"([{"id":"1","name":"Incident","statuses":[)") +
         R"({"name":"Open","statusCategory":{"key":"new"}},)" +
         R"({"name":"Closed","statusCategory":{"key":")" + done_key + R"("}}]},)" +
         R"({"id":"2","name":"Task","statuses":[]}])";
  return body.c_str();
}

jira_replies good() {
  jira_replies r;
  r.myself = answer(200, R"({"displayName":"Warroom Bot"})");
  r.project = answer(200, R"({"key":"OPS","name":"Operations"})");
  r.statuses = answer(200, statuses_with("done"));
  r.priorities = answer(200, R"([{"name":"Highest"},{"name":"High"},{"name":"Low"}])");
  return r;
}

TEST(JiraChecks, CallsFollowTheApiVersion) {
  EXPECT_EQ(jira_myself(jira(3)).target, "/rest/api/3/myself");
  EXPECT_EQ(jira_myself(jira(2)).target, "/rest/api/2/myself");
  EXPECT_EQ(jira_project(jira()).target, "/rest/api/3/project/OPS");
  EXPECT_EQ(jira_project_statuses(jira()).target, "/rest/api/3/project/OPS/statuses");
  EXPECT_EQ(jira_priorities(jira()).target, "/rest/api/3/priority");
  EXPECT_EQ(jira_priorities(jira()).method, api::http_method::get);
}

TEST(JiraChecks, AGoodSetupPassesEveryLine) {
  std::vector<std::string> lines;
  for (const auto& line : read_jira(good(), jira()))
    lines.push_back(format_line(line));
  EXPECT_EQ(lines,
            (std::vector<std::string>{
                "ok jira credentials: signed in as Warroom Bot (REST API v3, basic auth)",
                "ok jira project: OPS (Operations)", "ok jira issue_type: Incident exists in OPS",
                "ok jira priority_map: every value is a Jira priority (Highest, Low)",
                "ok jira done status: the Incident workflow has Closed (category done)"}));
}

TEST(JiraChecks, EachMistakeFailsItsLine) {
  struct row {
    std::string what;
    std::function<void(jira_replies&, config::jira_config&)> change;
    std::size_t line;
    std::string part;
  };
  const std::vector<row> rows = {
      {"bad credentials",
       [](auto& r, auto&) { r.myself = answer(401, R"({"errorMessages":["not authenticated"]})"); },
       0, "not authenticated"},
      {"unknown project",
       [](auto& r, auto&) {
         r.project = answer(404, R"({"errorMessages":["No project could be found"]})");
         r.statuses = r.project;
       },
       1, "no project OPS is visible to the bot"},
      {"unknown issue type", [](auto&, auto& c) { c.issue_type = "Outage"; }, 2,
       "no issue type Outage in OPS (it has: Incident, Task)"},
      {"priority not in Jira", [](auto&, auto& c) { c.priority_map["P2"] = "Urgent"; }, 3,
       "not Jira priorities: P2: Urgent"},
      {"no done status",
       [](auto& r, auto&) { r.statuses = answer(200, statuses_with("indeterminate")); }, 4,
       "no status of the Incident workflow is in category done (it has: Open, Closed)"},
      {"unreachable",
       [](auto& r, auto&) {
         r.myself = error{"tls_failed", "certificate verify failed"};
       },
       0, "no answer (tls_failed)"},
  };
  for (const auto& [what, change, index, part] : rows) {
    auto r = good();
    auto cfg = jira();
    change(r, cfg);
    const auto lines = read_jira(r, cfg);
    ASSERT_EQ(lines.size(), 5U) << what;
    EXPECT_FALSE(lines[index].ok) << what;
    EXPECT_NE(lines[index].detail.find(part), std::string::npos)
        << what << ": " << lines[index].detail;
    for (std::size_t i = 0; i < index; ++i)
      EXPECT_TRUE(lines[i].ok) << what << ": line " << i;
    for (const auto& line : lines)
      EXPECT_EQ(format_line(line).find("jira-secret-token"), std::string::npos);
  }
}

TEST(JiraChecks, BearerCredentialsGetTheirOwnFix) {
  auto cfg = jira(2);
  cfg.auth = "bearer";
  auto r = good();
  r.myself = answer(401, "");
  const auto lines = read_jira(r, cfg);
  EXPECT_NE(lines[0].fix.find("personal access token"), std::string::npos);
  for (std::size_t i = 1; i < lines.size(); ++i)
    EXPECT_EQ(lines[i].detail, "not checked: the jira credentials check failed");
}

}  // namespace
}  // namespace warroom::doctor::jira_checks_test
