// Jira fake: authentication, issue creation and edits with Jira's field rules and error bodies
// (NOTES §4.1, §4.2), comments (§4.4), on both /rest/api/2 and /rest/api/3.
#include "jira_test_support.hpp"

namespace warroom::sim::testing {
namespace {

TEST_F(JiraFakeTest, AcceptsBasicApiTokensAndBearerPersonalTokensOnly) {
  const std::string path = api(3) + "/myself";
  EXPECT_EQ(send("GET", path).status, 200u);
  EXPECT_EQ(send("GET", path, nullptr, "Bearer personal-token").status, 200u);
  for (const std::string& auth :
       {std::string(""), "Basic " + base64_encode("bot@example.com:personal-token"),
        "Basic " + base64_encode("bot@example.com:wrong"), std::string("Bearer api-token"),
        std::string("Token api-token")}) {
    SCOPED_TRACE(auth);
    const auto r = send("GET", path, nullptr, auth);
    EXPECT_EQ(r.status, 401u);
    EXPECT_TRUE(body(r)["errorMessages"].is_array());
  }
}

TEST_F(JiraFakeTest, CreatesIssuesOnBothVersions) {
  for (int version : {3, 2}) {
    SCOPED_TRACE(version);
    const auto r = send("POST", api(version) + "/issue", issue_fields(version));
    ASSERT_EQ(r.status, 201u) << r.body;
    const json created = body(r);
    EXPECT_EQ(created["key"], version == 3 ? "OPS-1" : "OPS-2");
    EXPECT_EQ(created["self"],
              "http://jira.test" + api(version) + "/issue/" + created["id"].get<std::string>());
    const json spec = jira_vendor_file("rest-v3-operations-extract.json");
    ASSERT_FALSE(spec.is_discarded());
    const json example = json::parse(spec["operations"]["POST /rest/api/3/issue"]["responses"]
                                         ["201"]["content"]["application/json"]["example"]
                                             .get<std::string>());
    for (const auto& [key, value] : created.items())
      EXPECT_TRUE(example.contains(key)) << key;
  }
  const json issue = body(send("GET", api(3) + "/issue/ops-1"));
  EXPECT_EQ(issue["fields"]["summary"], "[PD #37] Test");
  EXPECT_EQ(issue["fields"]["description"], adf("PagerDuty incident"));
  EXPECT_EQ(issue["fields"]["priority"]["name"], "High");
  EXPECT_EQ(issue["fields"]["labels"], json({"pagerduty", "pagerduty-Q2CK"}));
  EXPECT_EQ(issue["fields"]["status"]["statusCategory"]["key"], "new");
  EXPECT_EQ(issue["fields"]["issuetype"]["name"], "Incident");
  // Rich text is shown in each version's own flavour.
  EXPECT_EQ(body(send("GET", api(2) + "/issue/OPS-1"))["fields"]["description"],
            "PagerDuty incident");
  EXPECT_EQ(body(send("GET", api(2) + "/issue/OPS-1?fields=summary"))["fields"],
            json({{"summary", "[PD #37] Test"}}));
}

TEST_F(JiraFakeTest, RejectsFieldsWithJirasErrorBodies) {
  const std::string adf_needed =
      "Operation value must be an Atlassian Document (see the Atlassian Document Format)";
  struct row {
    const char* what;
    int version;
    json patch;
    json errors;
  };
  const std::vector<row> rows = {
      {"v3 string description", 3, {{"description", "text"}}, {{"description", adf_needed}}},
      {"v2 ADF description",
       2,
       {{"description", adf("x")}},
       {{"description", "Operation value must be a string"}}},
      {"label with a space",
       3,
       {{"labels", {"ok", "Severity: high"}}},
       {{"labels", "The label 'Severity: high' contains spaces which is invalid."}}},
      {"unknown field",
       2,
       {{"customfield_10001", "x"}},
       {{"customfield_10001",
         "Field 'customfield_10001' cannot be set. It is not on the appropriate screen, or "
         "unknown."}}},
      {"unknown project",
       3,
       {{"project", {{"key", "NOPE"}}}},
       {{"project", "Specify a valid project ID or key"}}},
      {"unknown issue type",
       3,
       {{"issuetype", {{"name", "Epic"}}}},
       {{"issuetype", "The issue type selected is invalid."}}},
      {"unknown priority",
       3,
       {{"priority", {{"name", "P1"}}}},
       {{"priority", "The priority selected is invalid."}}},
      {"priority not an object",
       2,
       {{"priority", "High"}},
       {{"priority", "Specify the Priority (id or name) in the string format"}}},
      {"summary too long",
       3,
       {{"summary", std::string(256, 's')}},
       {{"summary", "Summary must be less than 255 characters."}}},
      {"empty summary",
       3,
       {{"summary", ""}},
       {{"summary", "You must specify a summary of the issue."}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    const auto r = send("POST", api(row.version) + "/issue", issue_fields(row.version, row.patch));
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(body(r), json({{"errorMessages", json::array()}, {"errors", row.errors}}));
  }
  const auto empty = send("POST", api(3) + "/issue", {{"fields", json::object()}});
  EXPECT_EQ(body(empty)["errors"], json({{"project", "project is required"},
                                         {"summary", "You must specify a summary of the issue."}}));
  net::request broken{"POST", api(3) + "/issue", {{"Authorization", basic()}}, "{", ""};
  EXPECT_EQ(fake.handle(broken, now).status, 400u);
  EXPECT_TRUE(fake.state()["issues"].empty());
}

TEST_F(JiraFakeTest, AcceptsValuesAtTheLimits) {
  create_issue(3, {{"summary", std::string(255, 's')}, {"description", nullptr}});
  create_issue(2, {{"priority", {{"id", "1"}}}, {"issuetype", {{"id", "10002"}}}});
  const json second = fake.state()["issues"][1];
  EXPECT_EQ(second["priority"], "Highest");
  EXPECT_EQ(second["issuetype"], "Task");
}

TEST_F(JiraFakeTest, EditsFields) {
  const std::string key = create_issue();
  now += 10;
  const auto r =
      send("PUT", api(3) + "/issue/" + key, {{"fields", {{"priority", {{"name", "Low"}}}}}});
  EXPECT_EQ(r.status, 204u);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(fake.state()["issues"][0]["priority"], "Low");
  EXPECT_EQ(fake.state()["issues"][0]["updated_ms"], jira_t0 + 10);

  const auto bad =
      send("PUT", api(3) + "/issue/" + key,
           {{"fields", {{"priority", {{"name", "Urgent"}}}, {"project", {{"key", "OPS"}}}}}});
  EXPECT_EQ(
      body(bad)["errors"],
      json({{"priority", "The priority selected is invalid."},
            {"project",
             "Field 'project' cannot be set. It is not on the appropriate screen, or unknown."}}));
  EXPECT_EQ(fake.state()["issues"][0]["priority"], "Low") << "nothing applied on error";
  const auto missing = send("PUT", api(3) + "/issue/OPS-99", {{"fields", json::object()}});
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(
      body(missing),
      json({{"errorMessages", {"Issue does not exist or you do not have permission to see it."}},
            {"errors", json::object()}}));
}

TEST_F(JiraFakeTest, AddsCommentsInEachVersionsFlavour) {
  const std::string key = create_issue();
  EXPECT_EQ(send("POST", api(2) + "/issue/" + key + "/comment", {{"body", "Resolved"}}).status,
            201u);
  const auto v3 = send("POST", api(3) + "/issue/" + key + "/comment", {{"body", adf("Acked")}});
  ASSERT_EQ(v3.status, 201u);
  EXPECT_EQ(body(v3)["body"], adf("Acked"));
  EXPECT_EQ(body(v3)["created"], "2023-11-14T22:13:20.000+0000");

  struct row {
    int version;
    json body;
    const char* message;
  };
  for (const auto& row : std::vector<row>{
           {3, "text",
            "Operation value must be an Atlassian Document (see the Atlassian Document Format)"},
           {2, adf("x"), "Operation value must be a string"},
           {2, "", "Comment body can not be empty!"},
           {3, nullptr, "Comment body can not be empty!"}}) {
    const auto r =
        send("POST", api(row.version) + "/issue/" + key + "/comment", {{"body", row.body}});
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(body(r)["errors"], json({{"comment", row.message}}));
  }
  const json listed = body(send("GET", api(2) + "/issue/" + key + "/comment"));
  EXPECT_EQ(listed["total"], 2);
  EXPECT_EQ(listed["comments"][1]["body"], "Acked") << "ADF shown as text on v2";
  EXPECT_EQ(send("POST", api(3) + "/issue/OPS-9/comment", {{"body", adf("x")}}).status, 404u);
}

TEST_F(JiraFakeTest, SeedRejectsBadData) {
  EXPECT_FALSE(fake.seed({{"projects", {{{"key", "X"}}}}}).has_value());
  EXPECT_FALSE(fake.seed({{"index_lag_ms", -1}}).has_value());
  EXPECT_FALSE(fake.seed({{"colour", "blue"}}).has_value());
  EXPECT_FALSE(fake.seed({{"priorities", {1, 2}}}).has_value());
  EXPECT_TRUE(fake.seed({{"email", "x@example.com"}, {"token", "t"}}).has_value());
  EXPECT_EQ(fake.state()["projects"][0]["key"], "OPS");
  EXPECT_FALSE(fake.control("anything", json::object(), now).has_value());
}

}  // namespace
}  // namespace warroom::sim::testing

namespace warroom::sim::testing {
namespace {

TEST_F(JiraFakeTest, AnswersHostileBodiesWithoutThrowing) {
  const std::string key = create_issue();
  const std::vector<std::string> bodies = {
      "null",
      "[]",
      "1",
      "\"x\"",
      "{",
      R"({"fields":{"project":1,"issuetype":[],"summary":5,"labels":"x","priority":{"name":5}}})",
      R"({"fields":{"labels":[1,null],"description":{"type":"doc"}},"update":[1]})",
      R"({"transition":{"id":[1]},"fields":[],"update":{"comment":[1,{"add":5},{"add":{"body":7}}]}})",
      R"({"transition":"31","body":{"type":"doc","version":1,"content":5},"object":[]})",
      R"({"globalId":5,"object":{"url":1,"title":{}}})"};
  for (const int version : {2, 3}) {
    const std::string issue = api(version) + "/issue/" + key;
    for (const auto& [method, target] :
         std::vector<std::pair<std::string, std::string>>{{"POST", api(version) + "/issue"},
                                                          {"PUT", issue},
                                                          {"POST", issue + "/transitions"},
                                                          {"POST", issue + "/comment"},
                                                          {"POST", issue + "/remotelink"}}) {
      for (const auto& text : bodies) {
        SCOPED_TRACE(method + " " + target + " " + text);
        net::request req{method, target, {{"Authorization", basic()}}, text, ""};
        net::response r;
        EXPECT_NO_THROW(r = fake.handle(req, now));
        EXPECT_LT(r.status, 500u);
      }
    }
  }
  for (const std::string q :
       {"%", "jql=%zz", "jql=project%20%3D%20%22OPS", "jql=labels%3D'x\\",
        "jql=project%3DOPS&maxResults=-1", "jql=project%3DOPS&startAt=99999999999"}) {
    SCOPED_TRACE(q);
    EXPECT_NO_THROW((void)send("GET", api(2) + "/search?" + q));
    EXPECT_NO_THROW((void)send("GET", api(3) + "/search/jql?" + q));
  }
  EXPECT_NO_THROW(fake.state());
}

TEST_F(JiraFakeTest, AnswersTheProjectStatusAndPriorityLookups) {
  for (const int version : {2, 3}) {
    SCOPED_TRACE(version);
    const auto project = send("GET", api(version) + "/project/OPS");
    ASSERT_EQ(project.status, 200u) << project.body;
    EXPECT_EQ(body(project)["key"], "OPS");
    EXPECT_EQ(body(project)["issueTypes"][0]["name"], "Incident");
    const auto statuses = body(send("GET", api(version) + "/project/OPS/statuses"));
    ASSERT_EQ(statuses.size(), 2u);
    EXPECT_EQ(statuses[1]["name"], "Task");
    EXPECT_EQ(statuses[0]["statuses"][2]["statusCategory"]["key"], "done");
    const auto priorities = body(send("GET", api(version) + "/priority"));
    ASSERT_EQ(priorities.size(), 5u);
    EXPECT_EQ(priorities[0]["name"], "Highest");
    for (const std::string target : {"/project/NOPE", "/project/NOPE/statuses"}) {
      const auto missing = send("GET", api(version) + target);
      EXPECT_EQ(missing.status, 404u);
      EXPECT_EQ(body(missing)["errorMessages"][0], "No project could be found with key 'NOPE'.");
    }
  }
  EXPECT_EQ(send("GET", api(3) + "/priority", nullptr, "Basic eDp5").status, 401u);
}

}  // namespace
}  // namespace warroom::sim::testing
