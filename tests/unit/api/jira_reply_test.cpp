// Jira reply readers: success shapes from the spec, ErrorCollection texts from NOTES §4, auth
// and rate-limit statuses, and garbage. No reader may throw or leak the token.
#include <gtest/gtest.h>

#include <warroom/api/jira_reply.hpp>

namespace warroom::api::jira_reply_test {
namespace {

constexpr std::string_view token = "s3cr3t-token";

http_reply reply(unsigned status, std::string body) {
  return http_reply{status, {}, std::move(body)};
}

// The message must carry `text` and never the token.
void expect_error(const error& e, std::string_view code, std::string_view text) {
  EXPECT_EQ(e.code, code);
  EXPECT_NE(e.message.find(text), std::string::npos) << e.message;
  EXPECT_EQ(e.message.find(token), std::string::npos) << e.message;
}

TEST(JiraReadCreatedIssue, ReadsIdKeySelf) {
  auto issue = jira_read_created_issue(reply(
      201,
      R"({"id":"10000","key":"ED-24","self":"https://your-domain.atlassian.net/rest/api/3/issue/10000",
               "transition":{"status":200,"errorCollection":{"errorMessages":[],"errors":{}}}})"));
  ASSERT_TRUE(issue.has_value()) << issue.error().message;
  EXPECT_EQ(issue->id, "10000");
  EXPECT_EQ(issue->key, "ED-24");
  EXPECT_EQ(issue->self, "https://your-domain.atlassian.net/rest/api/3/issue/10000");
}

TEST(JiraReadCreatedIssue, SuccessWithoutKeyIsBadReply) {
  auto issue = jira_read_created_issue(reply(201, R"({"id":"10000"})"));
  ASSERT_FALSE(issue.has_value());
  EXPECT_EQ(issue.error().code, "bad_reply");
}

TEST(JiraReadCreatedIssue, V3PlainDescriptionErrorKeepsJirasWords) {
  // NOTES §4.2: what Jira v3 answers to a plain-string description.
  auto issue = jira_read_created_issue(reply(400, R"json({"errorMessages":[],"errors":{
    "description":"Operation value must be an Atlassian Document (see the Atlassian Document Format)"}})json"));
  ASSERT_FALSE(issue.has_value());
  expect_error(issue.error(), "http_400",
               "jira answered HTTP 400: description: Operation value must be an Atlassian "
               "Document (see the Atlassian Document Format)");
}

TEST(JiraReadCreatedIssue, JoinsErrorMessagesAndFieldErrors) {
  auto issue =
      jira_read_created_issue(reply(400, R"({"errorMessages":["Field 'priority' is required",
    "Second"],"errors":{"labels":"The label 'Severity: high' contains spaces which is invalid.",
    "summary":"You must specify a summary of the issue."}})"));
  ASSERT_FALSE(issue.has_value());
  expect_error(issue.error(), "http_400",
               "Field 'priority' is required; Second; labels: The label 'Severity: high' contains "
               "spaces which is invalid.; summary: You must specify a summary of the issue.");
}

TEST(JiraReadErrors, StatusCodesMapToWords) {
  for (unsigned status : {400u, 401u, 403u, 404u, 409u, 413u, 422u, 429u, 500u, 503u}) {
    const auto e = jira_reply_error(reply(status, R"({"errorMessages":["nope"],"errors":{}})"));
    expect_error(e, "http_" + std::to_string(status),
                 "jira answered HTTP " + std::to_string(status) + ": nope");
  }
}

TEST(JiraReadErrors, NonJsonBodiesBecomeAPrintableSnippet) {
  expect_error(
      jira_reply_error(reply(401, "Client must be authenticated to access this resource.")),
      "http_401", "HTTP 401: Client must be authenticated");
  expect_error(jira_reply_error(reply(429, "")), "http_429", "jira answered HTTP 429");
  const auto e = jira_reply_error(reply(502, "<html>\x01\x02" + std::string(5000, 'x')));
  expect_error(e, "http_502", "<html>  xxx");
  EXPECT_LT(e.message.size(), 600u);
  expect_error(jira_reply_error(reply(404, R"({"message":"Issue does not exist"})")), "http_404",
               "Issue does not exist");
  expect_error(jira_reply_error(reply(400, R"({"errorMessages":[],"errors":{}})")), "http_400",
               "jira answered HTTP 400: {\"errorMessages\"");
}

TEST(JiraReadErrors, EchoedCredentialsAreMasked) {
  const auto e = jira_reply_error(
      reply(400, "bad request; Authorization: Bearer s3cr3t-token; also basic czNjcjN0LXRva2Vu"));
  expect_error(e, "http_400", "Authorization: Bearer <redacted>; also basic <redacted>");
  EXPECT_EQ(e.message.find("czNjcjN0LXRva2Vu"), std::string::npos);
}

TEST(JiraReadErrors, GarbageSuccessBodiesAreErrorsNotExceptions) {
  for (std::string body : {"", "{", "[]", "null", "\xff\xfe", R"({"issues":{}})"}) {
    EXPECT_FALSE(jira_read_created_issue(reply(201, body)).has_value()) << body;
    EXPECT_FALSE(jira_read_search(reply(200, body)).has_value()) << body;
    EXPECT_FALSE(jira_read_done_transition(reply(200, body)).has_value()) << body;
  }
  const auto e = jira_read_search(reply(200, "{"));
  EXPECT_EQ(e.error().code, "bad_reply");
}

TEST(JiraReadSearch, ReadsKeysAndStatusCategories) {
  auto found = jira_read_search(reply(200, R"({"isLast":true,"issues":[
    {"id":"10001","key":"OPS-7","fields":{"summary":"x","status":{"name":"Open",
      "statusCategory":{"id":2,"key":"new","name":"To Do"}}}},
    {"id":"10002","key":"OPS-9","fields":{"summary":"y"}},
    {"id":"10003"},
    "junk"]})"));
  ASSERT_TRUE(found.has_value()) << found.error().message;
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].key, "OPS-7");
  EXPECT_EQ((*found)[0].status_category, "new");
  EXPECT_EQ((*found)[1].key, "OPS-9");
  EXPECT_EQ((*found)[1].status_category, "");
}

TEST(JiraReadSearch, V2ShapeAndEmptyResult) {
  auto none =
      jira_read_search(reply(200, R"({"startAt":0,"maxResults":10,"total":0,"issues":[]})"));
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
  auto bad_jql = jira_read_search(reply(
      400,
      R"({"errorMessages":["Field 'labels' does not exist or you do not have permission"],"errors":{}})"));
  ASSERT_FALSE(bad_jql.has_value());
  expect_error(bad_jql.error(), "http_400", "Field 'labels' does not exist");
}

TEST(JiraReadTransitions, PicksTheFirstDoneByCategoryNotByName) {
  auto t = jira_read_done_transition(reply(200, R"({"transitions":[
    {"id":"11","name":"Done","to":{"name":"Done","statusCategory":{"id":4,"key":"indeterminate"}}},
    {"id":"31","name":"Close Issue","to":{"name":"Closed","statusCategory":{"id":3,"key":"done"}}},
    {"id":"41","name":"Won't fix","to":{"name":"Rejected","statusCategory":{"id":3,"key":"done"}}}]})"));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->id, "31");
  EXPECT_EQ(t->name, "Close Issue");
}

TEST(JiraReadTransitions, NoDoneTransitionIsAClearError) {
  // The spec's own example: placeholder category keys, none of them "done".
  auto t = jira_read_done_transition(reply(200, R"({"transitions":[
    {"id":"2","name":"Close Issue","to":{"statusCategory":{"id":1,"key":"in-flight"}}},
    {"id":"711","name":"QA Review","to":{"statusCategory":{"id":9,"key":"completed"}}}]})"));
  ASSERT_FALSE(t.has_value());
  expect_error(t.error(), "no_transition", "'Close Issue' -> in-flight; 'QA Review' -> completed");
  auto empty = jira_read_done_transition(reply(200, R"({"transitions":[]})"));
  ASSERT_FALSE(empty.has_value());
  expect_error(empty.error(), "no_transition", "Transition issues");
}

TEST(JiraReadTransitions, AReopenPrefersToDoOverInProgressAndNeverDone) {
  auto t = jira_read_reopen_transition(reply(200, R"({"transitions":[
    {"id":"31","name":"Close","to":{"statusCategory":{"key":"done"}}},
    {"id":"21","name":"Start","to":{"statusCategory":{"key":"indeterminate"}}},
    {"id":"11","name":"Reopen","to":{"statusCategory":{"key":"new"}}}]})"));
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(t->id, "11");
  auto in_progress = jira_read_reopen_transition(reply(200, R"({"transitions":[
    {"id":"31","name":"Close","to":{"statusCategory":{"key":"done"}}},
    {"id":"21","name":"Start","to":{"statusCategory":{"key":"indeterminate"}}}]})"));
  ASSERT_TRUE(in_progress.has_value());
  EXPECT_EQ(in_progress->id, "21");
  auto none = jira_read_reopen_transition(reply(200, R"({"transitions":[
    {"id":"31","name":"Close","to":{"statusCategory":{"key":"done"}}}]})"));
  ASSERT_FALSE(none.has_value());
  expect_error(none.error(), "no_transition", "'Close' -> done");
}

TEST(JiraReadIssueCategory, ReadsTheStatusCategoryOrSaysWhatIsMissing) {
  auto done = jira_read_issue_category(reply(
      200,
      R"({"key":"OPS-1","fields":{"status":{"name":"Closed","statusCategory":{"key":"done"}}}})"));
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(*done, "done");
  auto bare = jira_read_issue_category(reply(200, R"({"key":"OPS-1","fields":{}})"));
  ASSERT_FALSE(bare.has_value());
  expect_error(bare.error(), "bad_reply", "fields.status");
  auto gone = jira_read_issue_category(reply(404, R"({"errorMessages":["Issue does not exist"]})"));
  ASSERT_FALSE(gone.has_value());
  expect_error(gone.error(), "http_404", "Issue does not exist");
}

TEST(JiraReadTransitions, ErrorStatusesPassThrough) {
  auto t = jira_read_done_transition(reply(
      404,
      R"({"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}})"));
  ASSERT_FALSE(t.has_value());
  expect_error(t.error(), "http_404", "Issue does not exist");
}

TEST(JiraReadOk, AnySuccessStatusIsOk) {
  EXPECT_TRUE(jira_read_ok(reply(204, "")));
  EXPECT_TRUE(jira_read_ok(reply(200, R"({"id":10000,"self":"x"})")));
  EXPECT_TRUE(jira_read_ok(reply(201, R"({"id":"10000"})")));
  const auto link =
      jira_read_ok(reply(400, R"({"errorMessages":[],"errors":{"title":"'title' is required."}})"));
  ASSERT_FALSE(link);
  expect_error(link.error(), "http_400", "title: 'title' is required.");
  const auto limited = jira_read_ok(reply(429, ""));
  ASSERT_FALSE(limited);
  expect_error(limited.error(), "http_429", "HTTP 429");
}

}  // namespace
}  // namespace warroom::api::jira_reply_test
