// Jira request builders, field by field, for v2 (Data Center) and v3 (Cloud, ADF); shapes are
// cross-checked against the Jira Cloud OpenAPI spec subset in tests/fixtures.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/api/jira.hpp>
#include <warroom/api/jira_adf.hpp>

#include "support/fixtures.hpp"

namespace warroom::api::jira_test {
namespace {

using nlohmann::json;

constexpr std::string_view token = "s3cr3t-token";

jira_endpoint endpoint(jira_api_version version, jira_auth auth = jira_auth::basic) {
  jira_endpoint ep;
  ep.base = *util::parse_url("https://acme.atlassian.net");
  ep.api_version = version;
  ep.auth = auth;
  ep.email = "bot@example.com";
  ep.token = util::secret(std::string(token));
  return ep;
}

jira_issue_fields incident_fields() {
  jira_issue_fields f;
  f.project_key = "OPS";
  f.issue_type = "Incident";
  f.summary = "[PD #37] Test";
  f.description_text = "PagerDuty incident ";
  f.link_url = "https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4";
  f.link_text = "#37";
  f.priority = "High";
  f.labels = {"pagerduty", "pagerduty-Q2CKYRLH85UNN4"};
  return f;
}

std::string header(const http_call& call, std::string_view name) {
  return std::string(call.header_value(name).value_or("<absent>"));
}

json body_of(const http_call& call) {
  return json::parse(call.body);
}

void expect_common_headers(const http_call& call, bool has_body) {
  EXPECT_EQ(call.origin, "https://acme.atlassian.net");
  EXPECT_EQ(header(call, "Authorization"), "Basic Ym90QGV4YW1wbGUuY29tOnMzY3IzdC10b2tlbg==");
  EXPECT_EQ(header(call, "Accept"), "application/json");
  EXPECT_EQ(header(call, "Content-Type"), has_body ? "application/json" : "<absent>");
  EXPECT_EQ(call.body.empty(), !has_body);
}

const json v3_description = json::parse(R"({"type":"doc","version":1,"content":[
  {"type":"paragraph","content":[
    {"type":"text","text":"PagerDuty incident "},
    {"type":"text","text":"#37","marks":[{"type":"link",
      "attrs":{"href":"https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4"}}]}]}]})");

TEST(JiraAuth, BasicIsBase64OfEmailColonToken) {
  jira_endpoint ep = endpoint(jira_api_version::v3);
  ep.email = "user@example.com";
  ep.token = util::secret("api_token_string");  // Atlassian's documented example
  EXPECT_EQ(header(jira_list_transitions(ep, "OPS-1"), "Authorization"),
            "Basic dXNlckBleGFtcGxlLmNvbTphcGlfdG9rZW5fc3RyaW5n");
  for (const auto& [secret, encoded] :
       {std::pair{"x", "YUBiLmM6eA=="}, std::pair{"xy", "YUBiLmM6eHk="},
        std::pair{"xyz", "YUBiLmM6eHl6"}}) {
    ep.email = "a@b.c";
    ep.token = util::secret(secret);
    EXPECT_EQ(header(jira_list_transitions(ep, "OPS-1"), "Authorization"),
              std::string("Basic ") + encoded);
  }
}

TEST(JiraAuth, BearerSendsThePersonalAccessToken) {
  const auto call = jira_list_transitions(endpoint(jira_api_version::v2, jira_auth::bearer), "O-1");
  EXPECT_EQ(header(call, "Authorization"), "Bearer s3cr3t-token");
}

TEST(JiraCreateIssue, V3SendsAdfDescription) {
  auto call = jira_create_issue(endpoint(jira_api_version::v3), incident_fields());
  ASSERT_TRUE(call.has_value()) << call.error().message;
  EXPECT_EQ(call->method, http_method::post);
  EXPECT_EQ(call->target, "/rest/api/3/issue");
  expect_common_headers(*call, true);
  const json expected = {{"fields",
                          {{"project", {{"key", "OPS"}}},
                           {"issuetype", {{"name", "Incident"}}},
                           {"summary", "[PD #37] Test"},
                           {"description", v3_description},
                           {"priority", {{"name", "High"}}},
                           {"labels", {"pagerduty", "pagerduty-Q2CKYRLH85UNN4"}}}}};
  EXPECT_EQ(body_of(*call), expected);
}

TEST(JiraCreateIssue, V2SendsPlainStringDescription) {
  auto fields = incident_fields();
  fields.priority.reset();
  auto call = jira_create_issue(endpoint(jira_api_version::v2), fields);
  ASSERT_TRUE(call.has_value()) << call.error().message;
  EXPECT_EQ(call->target, "/rest/api/2/issue");
  expect_common_headers(*call, true);
  const json body = body_of(*call);
  EXPECT_EQ(body["fields"]["description"],
            "PagerDuty incident [#37|https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4]");
  EXPECT_FALSE(body["fields"].contains("priority")) << "no priority: Jira's default applies";
  EXPECT_EQ(body["fields"]["project"], json({{"key", "OPS"}}));
  EXPECT_EQ(body["fields"]["issuetype"], json({{"name", "Incident"}}));
  EXPECT_EQ(body["fields"]["labels"], json({"pagerduty", "pagerduty-Q2CKYRLH85UNN4"}));
}

TEST(JiraCreateIssue, KeepsTheBasePathOfADataCenterContext) {
  auto ep = endpoint(jira_api_version::v2, jira_auth::bearer);
  ep.base = *util::parse_url("http://jira.internal:8080/jira/");
  auto call = jira_create_issue(ep, incident_fields());
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->origin, "http://jira.internal:8080");
  EXPECT_EQ(call->target, "/jira/rest/api/2/issue");
}

TEST(JiraCreateIssue, RejectsLabelsWithSpacesInsteadOfRewritingThem) {
  auto fields = incident_fields();
  fields.labels.push_back("Severity: high");
  for (auto version : {jira_api_version::v2, jira_api_version::v3}) {
    auto call = jira_create_issue(endpoint(version), fields);
    ASSERT_FALSE(call.has_value());
    EXPECT_EQ(call.error().code, "invalid_argument");
    EXPECT_NE(call.error().message.find("Severity: high"), std::string::npos);
  }
  EXPECT_FALSE(jira_check_label("a\tb"));
  EXPECT_FALSE(jira_check_label(""));
  EXPECT_TRUE(jira_check_label("pagerduty-Q2CKYRLH85UNN4"));
}

TEST(JiraCreateIssue, RejectsMissingRequiredFields) {
  auto fields = incident_fields();
  fields.summary.clear();
  auto call = jira_create_issue(endpoint(jira_api_version::v3), fields);
  ASSERT_FALSE(call.has_value());
  EXPECT_NE(call.error().message.find("summary"), std::string::npos);
}

TEST(JiraSearch, V3UsesSearchJqlWithEncodedQuery) {
  auto call = jira_search_issues_by_label(endpoint(jira_api_version::v3), "OPS",
                                          "pagerduty-Q2CKYRLH85UNN4");
  ASSERT_TRUE(call.has_value());
  EXPECT_EQ(call->method, http_method::get);
  EXPECT_EQ(call->target,
            "/rest/api/3/search/jql?jql=project%20%3D%20%22OPS%22%20AND%20labels%20%3D%20%22"
            "pagerduty-Q2CKYRLH85UNN4%22%20ORDER%20BY%20created%20ASC"
            "&fields=status,summary&maxResults=10");
  expect_common_headers(*call, false);
}

TEST(JiraSearch, V2UsesSearch) {
  auto call = jira_search_issues_by_label(endpoint(jira_api_version::v2), "OPS", "pagerduty-X");
  ASSERT_TRUE(call.has_value());
  EXPECT_TRUE(call->target.starts_with("/rest/api/2/search?jql=project%20%3D%20%22OPS%22"));
  EXPECT_TRUE(call->target.ends_with("&fields=status,summary&maxResults=10"));
}

TEST(JiraSearch, EscapesQuotesInJqlStrings) {
  auto call = jira_search_issues_by_label(endpoint(jira_api_version::v3), "O\"PS", "x");
  ASSERT_TRUE(call.has_value());
  // "O\"PS" inside the JQL literal: %22 O %5C %22 PS %22
  EXPECT_NE(call->target.find("%22O%5C%22PS%22"), std::string::npos) << call->target;
  EXPECT_FALSE(jira_search_issues_by_label(endpoint(jira_api_version::v3), "OPS", "a b"));
}

TEST(JiraTransitions, ListIsAGetOnTheIssue) {
  for (auto [version, prefix] : {std::pair{jira_api_version::v2, "/rest/api/2"},
                                 std::pair{jira_api_version::v3, "/rest/api/3"}}) {
    const auto call = jira_list_transitions(endpoint(version), "OPS-7");
    EXPECT_EQ(call.method, http_method::get);
    EXPECT_EQ(call.target, std::string(prefix) + "/issue/OPS-7/transitions");
    expect_common_headers(call, false);
    const auto status = jira_get_issue_status(endpoint(version), "OPS-7");
    EXPECT_EQ(status.method, http_method::get);
    EXPECT_EQ(status.target, std::string(prefix) + "/issue/OPS-7?fields=status");
    expect_common_headers(status, false);
  }
}

TEST(JiraTransitions, PerformWithoutComment) {
  const auto call = jira_perform_transition(endpoint(jira_api_version::v3), "OPS-7", "31");
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.target, "/rest/api/3/issue/OPS-7/transitions");
  expect_common_headers(call, true);
  EXPECT_EQ(body_of(call), json::parse(R"({"transition":{"id":"31"}})"));
}

TEST(JiraTransitions, PerformWithCommentIsAdfOnV3AndStringOnV2) {
  const auto v3 =
      jira_perform_transition(endpoint(jira_api_version::v3), "OPS-7", "31", "Resolved in PD");
  EXPECT_EQ(body_of(v3)["update"]["comment"][0]["add"]["body"],
            json::parse(R"({"type":"doc","version":1,"content":[{"type":"paragraph",
              "content":[{"type":"text","text":"Resolved in PD"}]}]})"));
  const auto v2 =
      jira_perform_transition(endpoint(jira_api_version::v2), "OPS-7", "31", "Resolved in PD");
  EXPECT_EQ(v2.target, "/rest/api/2/issue/OPS-7/transitions");
  EXPECT_EQ(body_of(v2), json::parse(R"({"transition":{"id":"31"},
              "update":{"comment":[{"add":{"body":"Resolved in PD"}}]}})"));
}

TEST(JiraRemoteLink, CarriesTheStableGlobalId) {
  jira_remote_link link{jira_remote_link_global_id("Q2CKYRLH85UNN4"),
                        "https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4", "PD #37", "Test",
                        true};
  for (auto [version, prefix] : {std::pair{jira_api_version::v2, "/rest/api/2"},
                                 std::pair{jira_api_version::v3, "/rest/api/3"}}) {
    const auto call = jira_add_remote_link(endpoint(version), "OPS-7", link);
    EXPECT_EQ(call.method, http_method::post);
    EXPECT_EQ(call.target, std::string(prefix) + "/issue/OPS-7/remotelink");
    expect_common_headers(call, true);
    EXPECT_EQ(body_of(call), json::parse(R"({"globalId":"pagerduty-incident=Q2CKYRLH85UNN4",
      "application":{"type":"com.pagerduty","name":"PagerDuty"},
      "relationship":"PagerDuty incident",
      "object":{"url":"https://acme.pagerduty.com/incidents/Q2CKYRLH85UNN4","title":"PD #37",
                "summary":"Test","status":{"resolved":true}}})"));
  }
}

TEST(JiraComment, V2StringV3Adf) {
  const auto v2 = jira_add_comment(endpoint(jira_api_version::v2), "OPS-7", "Acked by Alice");
  EXPECT_EQ(v2.method, http_method::post);
  EXPECT_EQ(v2.target, "/rest/api/2/issue/OPS-7/comment");
  expect_common_headers(v2, true);
  EXPECT_EQ(body_of(v2), json::parse(R"({"body":"Acked by Alice"})"));
  const auto v3 = jira_add_comment(endpoint(jira_api_version::v3), "OPS-7", "line 1\r\n\nline 2");
  EXPECT_EQ(v3.target, "/rest/api/3/issue/OPS-7/comment");
  EXPECT_EQ(body_of(v3), json::parse(R"({"body":{"type":"doc","version":1,"content":[
    {"type":"paragraph","content":[{"type":"text","text":"line 1"}]},
    {"type":"paragraph","content":[{"type":"text","text":"line 2"}]}]}})"));
}

TEST(JiraUpdatePriority, PutsThePriorityByName) {
  for (auto [version, prefix] : {std::pair{jira_api_version::v2, "/rest/api/2"},
                                 std::pair{jira_api_version::v3, "/rest/api/3"}}) {
    const auto call = jira_update_priority(endpoint(version), "OPS-7", "Highest");
    EXPECT_EQ(call.method, http_method::put);
    EXPECT_EQ(call.target, std::string(prefix) + "/issue/OPS-7");
    expect_common_headers(call, true);
    EXPECT_EQ(body_of(call), json::parse(R"({"fields":{"priority":{"name":"Highest"}}})"));
  }
}

TEST(JiraBuilders, PercentEncodeTheIssueKey) {
  EXPECT_EQ(jira_list_transitions(endpoint(jira_api_version::v3), "OPS 7/..").target,
            "/rest/api/3/issue/OPS%207%2F../transitions");
}

TEST(JiraAdf, LinkOnlyAndNoEmptyTextNodes) {
  EXPECT_EQ(jira_adf_document("", "", "https://x.example/i/1"),
            json::parse(R"({"type":"doc","version":1,"content":[{"type":"paragraph","content":[
              {"type":"text","text":"https://x.example/i/1",
               "marks":[{"type":"link","attrs":{"href":"https://x.example/i/1"}}]}]}]})"));
  EXPECT_EQ(jira_adf_document("\n\n"), json::parse(R"({"type":"doc","version":1,"content":[]})"));
  EXPECT_EQ(jira_wiki_text("see ", "a|b]", "https://x"), "see [a\\|b\\]|https://x]");
  EXPECT_EQ(jira_wiki_text("see ", "", "https://x"), "see https://x");
}

TEST(JiraPriority, PagerDutyPriorityFirstThenUrgency) {
  const std::map<std::string, std::string> map = {
      {"P1", "Highest"}, {"P2", "High"}, {"high", "High"}, {"low", "Low"}};
  EXPECT_EQ(priority_for(map, "P1", "low"), "Highest");
  EXPECT_EQ(priority_for(map, "P5", "low"), "Low");
  EXPECT_EQ(priority_for(map, std::nullopt, "high"), "High");
  EXPECT_EQ(priority_for(map, "", "high"), "High");
  EXPECT_EQ(priority_for(map, "P9", "medium"), std::nullopt);
  EXPECT_EQ(priority_for({}, "P1", "high"), std::nullopt);
}

// --- cross-check against the saved Jira Cloud spec ------------------------------------------

// A file of tests/fixtures, parsed once.
const json& load(const char* file) {
  static std::map<std::string, json> cache;
  auto [it, fresh] = cache.try_emplace(file);
  if (fresh) it->second = json::parse(fixtures::read(file), nullptr, false);
  return it->second;
}

// Walks object members without operator[] (undefined for a missing key on a const json).
const json& dig(const json& j, std::initializer_list<std::string_view> keys) {
  static const json none;
  const json* at = &j;
  for (auto key : keys) {
    if (!at->is_object()) return none;
    const auto it = at->find(key);
    if (it == at->end()) return none;
    at = &*it;
  }
  return *at;
}

// "/rest/api/3/issue/OPS-7/transitions?x" → "/rest/api/3/issue/{issueIdOrKey}/transitions".
std::string path_template(const http_call& call) {
  std::string path = call.target.substr(0, call.target.find('?'));
  if (auto at = path.find("OPS-7"); at != std::string::npos) path.replace(at, 5, "{issueIdOrKey}");
  return path;
}

TEST(JiraSpec, EveryV3CallIsADocumentedOperation) {
  const json& spec = load("openapi/jira.json");
  ASSERT_TRUE(spec.is_object());
  const auto ep = endpoint(jira_api_version::v3);
  const std::vector<std::pair<http_call, std::string>> calls = {
      {*jira_create_issue(ep, incident_fields()), "201"},
      {*jira_search_issues_by_label(ep, "OPS", "pagerduty-X"), "200"},
      {jira_list_transitions(ep, "OPS-7"), "200"},
      {jira_perform_transition(ep, "OPS-7", "31"), "204"},
      {jira_add_remote_link(ep, "OPS-7", {"g", "https://u", "t", "s", false}), "201"},
      {jira_add_comment(ep, "OPS-7", "hi"), "201"},
      {jira_update_priority(ep, "OPS-7", "High"), "204"}};
  for (const auto& [call, success] : calls) {
    std::string method(to_string(call.method));
    for (char& c : method)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const json& op = dig(spec, {"paths", path_template(call), method});
    ASSERT_TRUE(op.is_object()) << method << " " << path_template(call);
    EXPECT_FALSE(op.value("deprecated", false)) << path_template(call);
    EXPECT_TRUE(dig(op, {"responses"}).contains(success)) << path_template(call);
    // Every query parameter we send is one the operation declares.
    const auto q = call.target.find('?');
    for (std::size_t at = q; at != std::string::npos; at = call.target.find('&', at + 1)) {
      const std::string name = call.target.substr(at + 1, call.target.find('=', at) - at - 1);
      bool declared = false;
      for (const auto& p : dig(op, {"parameters"}))
        declared |= p["in"] == "query" && p["name"] == name;
      EXPECT_TRUE(declared) << name << " on " << path_template(call);
    }
  }
}

TEST(JiraSpec, RemoteLinkBodyHasTheRequiredMembers) {
  const json& extract = load("jira/rest-v3-operations-extract.json");
  const json& schema =
      dig(extract, {"operations", "POST /rest/api/3/issue/{issueIdOrKey}/remotelink", "requestBody",
                    "content", "application/json", "schema"});
  ASSERT_TRUE(schema.is_object());
  const json body = body_of(jira_add_remote_link(endpoint(jira_api_version::v3), "OPS-7",
                                                 {"g", "https://u", "t", "s", false}));
  ASSERT_FALSE(dig(schema, {"required"}).empty());
  for (const auto& name : dig(schema, {"required"}))
    EXPECT_TRUE(body.contains(name)) << name;
  for (const auto& [name, value] : body.items())
    EXPECT_TRUE(dig(schema, {"properties", name}).is_object()) << name << " is not in the schema";
  const json& all_of = dig(schema, {"properties", "object", "allOf"});
  ASSERT_TRUE(all_of.is_array() && !all_of.empty());
  const json& object_schema = all_of.front();
  ASSERT_FALSE(dig(object_schema, {"required"}).empty());
  for (const auto& name : dig(object_schema, {"required"}))
    EXPECT_TRUE(body["object"].contains(name)) << name;
  for (const auto& [name, value] : body["object"].items())
    EXPECT_TRUE(dig(object_schema, {"properties", name}).is_object()) << name;
}

}  // namespace
}  // namespace warroom::api::jira_test
