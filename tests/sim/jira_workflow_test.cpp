// Jira fake: transitions with real status categories (NOTES §4.3), remote links upserted by
// globalId (§4.5), and JQL search with an index that lags behind created issues.
#include <algorithm>

#include <warroom/util/url.hpp>

#include "jira_test_support.hpp"

namespace warroom::sim::testing {
namespace {

TEST_F(JiraFakeTest, OffersTransitionsWithRealStatusCategories) {
  const std::string key = create_issue();
  const json listed = body(send("GET", api(3) + "/issue/" + key + "/transitions"));
  ASSERT_EQ(listed["transitions"].size(), 2u) << "no transition into the current status";
  EXPECT_EQ(listed["transitions"][0]["id"], "21");
  EXPECT_EQ(listed["transitions"][1]["id"], "31");
  const json& done = listed["transitions"][1]["to"]["statusCategory"];
  EXPECT_EQ(done["key"], "done");
  EXPECT_EQ(done["id"], 3);

  const json sample = jira_vendor_file("statuscategories-sample-server.json");
  ASSERT_FALSE(sample.is_discarded());
  for (const json& t : listed["transitions"]) {
    const json& category = t["to"]["statusCategory"];
    const auto real = std::find_if(sample.begin(), sample.end(),
                                   [&](const json& s) { return s["key"] == category["key"]; });
    ASSERT_NE(real, sample.end()) << category;
    for (const char* field : {"id", "name", "colorName"})
      EXPECT_EQ(category[field], (*real)[field]);
  }
}

TEST_F(JiraFakeTest, TransitionsToDoneAndRefusesWhatJiraRefuses) {
  const std::string key = create_issue();
  const std::string path = api(3) + "/issue/" + key + "/transitions";
  struct row {
    const char* what;
    json request;
    json expected;
  };
  const auto messages = [](std::string m) {
    return json({{"errorMessages", {m}}, {"errors", json::object()}});
  };
  const std::vector<row> rows = {
      {"unknown id",
       {{"transition", {{"id", "99"}}}},
       messages("Transition id '99' is not valid for this issue.")},
      {"into the current status",
       {{"transition", {{"id", "11"}}}},
       messages("Transition id '11' is not valid for this issue.")},
      {"no transition", json::object(), messages("Missing 'transition' identifier")},
      {"not a number",
       {{"transition", {{"id", "done"}}}},
       messages("'transition' identifier must be an integer")},
      {"field off screen",
       {{"transition", {{"id", "31"}}}, {"fields", {{"resolution", {{"name", "Done"}}}}}},
       {{"errorMessages", json::array()},
        {"errors",
         {{"resolution",
           "Field 'resolution' cannot be set. It is not on the appropriate screen, or "
           "unknown."}}}}},
      {"v3 comment as a string",
       {{"transition", {{"id", "31"}}}, {"update", {{"comment", {{{"add", {{"body", "x"}}}}}}}}},
       {{"errorMessages", json::array()},
        {"errors",
         {{"comment",
           "Operation value must be an Atlassian Document (see the Atlassian Document Format)"}}}}},
  };
  for (const auto& row : rows) {
    SCOPED_TRACE(row.what);
    const auto r = send("POST", path, row.request);
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(body(r), row.expected);
  }
  EXPECT_EQ(fake.state()["issues"][0]["status_category"], "new");

  const auto done = send("POST", path,
                         {{"transition", {{"id", 31}}},
                          {"update", {{"comment", {{{"add", {{"body", adf("Resolved")}}}}}}}}});
  EXPECT_EQ(done.status, 204u) << done.body;
  const json fields = body(send("GET", api(3) + "/issue/" + key))["fields"];
  EXPECT_EQ(fields["status"]["name"], "Done");
  EXPECT_EQ(fields["status"]["statusCategory"]["key"], "done");
  EXPECT_EQ(fields["resolution"]["name"], "Done");
  EXPECT_EQ(fake.state()["issues"][0]["comments"][0]["body"], adf("Resolved"));
  const json now_offered = body(send("GET", path))["transitions"];
  EXPECT_EQ(now_offered[0]["id"], "11");
  EXPECT_EQ(body(send("GET", path + "?transitionId=31"))["transitions"], json::array());
  EXPECT_EQ(send("GET", api(3) + "/issue/OPS-7/transitions").status, 404u);
}

TEST_F(JiraFakeTest, UpsertsRemoteLinksByGlobalId) {
  const std::string key = create_issue(2);
  const std::string path = api(2) + "/issue/" + key + "/remotelink";
  json link = {
      {"globalId", "pagerduty-incident=Q2CK"},
      {"application", {{"type", "com.pagerduty"}, {"name", "PagerDuty"}}},
      {"relationship", "PagerDuty incident"},
      {"object", {{"url", "https://acme.pagerduty.com/incidents/Q2CK"}, {"title", "PD #37"}}}};
  const auto created = send("POST", path, link);
  ASSERT_EQ(created.status, 201u);
  const json id = body(created)["id"];
  EXPECT_TRUE(id.is_number_integer()) << "the spec's example id is a number";
  EXPECT_EQ(body(created)["self"],
            "http://jira.test" + path + "/" + std::to_string(id.get<long long>()));
  link["object"]["title"] = "PD #37 (resolved)";
  const auto updated = send("POST", path, link);
  EXPECT_EQ(updated.status, 200u);
  EXPECT_EQ(body(updated)["id"], id);
  link["globalId"] = "other";
  EXPECT_EQ(send("POST", path, link).status, 201u);
  const json listed = body(send("GET", path));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["object"]["title"], "PD #37 (resolved)");
  EXPECT_EQ(body(send("GET", path + "?globalId=other"))["globalId"], "other");

  link["object"].erase("title");
  const auto rejected = send("POST", path, link);
  EXPECT_EQ(rejected.status, 400u);
  const json spec = jira_vendor_file("rest-v3-operations-extract.json");
  ASSERT_FALSE(spec.is_discarded());
  EXPECT_EQ(body(rejected),
            json::parse(spec["operations"]["POST /rest/api/3/issue/{issueIdOrKey}/remotelink"]
                            ["responses"]["400"]["content"]["application/json"]["example"]
                                .get<std::string>()));
}

TEST_F(JiraFakeTest, SearchFindsIssuesOnlyOnceIndexed) {
  ASSERT_TRUE(fake.seed({{"index_lag_ms", 5000}}).has_value());
  const std::string key = create_issue();
  // Exactly what the daemon sends (api::jira_search_issues_by_label).
  const std::string query =
      "?jql=" +
      util::percent_encode(
          R"(project = "OPS" AND labels = "pagerduty-Q2CK" ORDER BY created ASC)") +
      "&fields=status,summary&maxResults=10";
  now = jira_t0 + 4999;
  EXPECT_EQ(body(send("GET", api(3) + "/search/jql" + query))["issues"], json::array());
  EXPECT_EQ(body(send("GET", api(2) + "/search" + query))["total"], 0);
  now = jira_t0 + 5000;
  const json v3 = body(send("GET", api(3) + "/search/jql" + query));
  ASSERT_EQ(v3["issues"].size(), 1u) << v3;
  EXPECT_EQ(v3["issues"][0]["key"], key);
  EXPECT_EQ(v3["issues"][0]["fields"]["status"]["statusCategory"]["key"], "new");
  EXPECT_EQ(v3["issues"][0]["fields"]["summary"], "[PD #37] Test");
  EXPECT_FALSE(v3["issues"][0]["fields"].contains("labels")) << "only the requested fields";
  EXPECT_EQ(v3["isLast"], true);
  EXPECT_FALSE(v3.contains("nextPageToken"));
  const json v2 = body(send("GET", api(2) + "/search" + query));
  EXPECT_EQ(v2["total"], 1);
  EXPECT_EQ(v2["startAt"], 0);
  EXPECT_EQ(v2["maxResults"], 10);
  EXPECT_EQ(v2["issues"][0]["key"], key);
}

TEST_F(JiraFakeTest, SearchUnderstandsTheSubsetAndPages) {
  for (int i = 0; i < 3; ++i) {
    now = jira_t0 + i;
    create_issue(3, {{"labels", i == 1 ? json({"other"}) : json({"pagerduty"})}});
  }
  const auto search = [&](const std::string& jql, const std::string& extra = "") {
    return send("GET", api(3) + "/search/jql?jql=" + util::percent_encode(jql) + extra);
  };
  const json unquoted =
      body(search("PROJECT = OPS and LABELS = pagerduty order by created desc", "&fields=summary"));
  ASSERT_EQ(unquoted["issues"].size(), 2u);
  EXPECT_EQ(unquoted["issues"][0]["key"], "OPS-3");
  EXPECT_EQ(body(search("labels = 'other'"))["issues"], json::array({{{"id", "10002"}}}))
      << "v3 returns ids only by default";

  const json first = body(search("project = OPS ORDER BY key ASC", "&maxResults=2&fields=*all"));
  ASSERT_EQ(first["issues"].size(), 2u);
  EXPECT_EQ(first["isLast"], false);
  EXPECT_EQ(first["issues"][0]["key"], "OPS-1");
  const json rest =
      body(search("project = OPS ORDER BY key ASC",
                  "&maxResults=2&nextPageToken=" + first["nextPageToken"].get<std::string>()));
  ASSERT_EQ(rest["issues"].size(), 1u);
  EXPECT_EQ(rest["isLast"], true);

  for (const std::string jql :
       {"project = OPS OR labels = x", "status = Done", "project = NOPE", "project ~ OPS",
        "project = OPS AND", "", "project = OPS ORDER BY rank"}) {
    SCOPED_TRACE(jql);
    const auto r = search(jql);
    EXPECT_EQ(r.status, 400u);
    EXPECT_EQ(body(r)["errorMessages"].size(), 1u) << r.body;
  }
  EXPECT_EQ(body(search("status = Done"))["errorMessages"][0],
            "Field 'status' does not exist or you do not have permission to view it.");
  EXPECT_EQ(send("GET", api(3) + "/search?jql=project%3DOPS").status, 410u);
  EXPECT_EQ(send("GET", api(2) + "/search?jql=").status, 200u) << "v2 allows unbounded queries";
}

}  // namespace
}  // namespace warroom::sim::testing
