#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <warroom/api/pagerduty.hpp>
#include <warroom/api/vendor_error.hpp>

#include "support/fixtures.hpp"

namespace warroom::api::pagerduty_test {
namespace {

using nlohmann::json;

constexpr std::string_view token = "pd-TOKEN-u+SECRET-42";

pagerduty_endpoint endpoint(std::string_view base = "https://api.pagerduty.com") {
  auto url = util::parse_url(base);
  EXPECT_TRUE(url.has_value());
  return pagerduty_endpoint{*url, util::secret(std::string(token))};
}

std::vector<header> expected_headers(std::string_view from = {}) {
  std::vector<header> h = {{"Authorization", "Token token=" + std::string(token)},
                           {"Accept", "application/vnd.pagerduty+json;version=2"},
                           {"Content-Type", "application/json"}};
  if (!from.empty()) h.push_back({"From", std::string(from)});
  return h;
}

http_reply reply(unsigned status, std::string body) {
  return http_reply{status, {}, std::move(body)};
}

// The extract of the PagerDuty OpenAPI spec the repository carries (tests/fixtures/pagerduty).
const json& spec_operations() {
  static const json ops =
      json::parse(fixtures::read("pagerduty/rest-operations-extract.json"), nullptr, false)
          .value("operations", json::object());
  return ops;
}

const json& spec_example(std::string_view operation, std::string_view status) {
  return spec_operations()[std::string(operation)]["responses"][std::string(status)]["content"]
                          ["application/json"]["examples"]["response"]["value"];
}

TEST(PagerdutyBuilders, AcknowledgeIsAPutOfAnIncidentReference) {
  const http_call call =
      update_incident_status(endpoint(), "PT4KHLK", pagerduty_status_change::acknowledged,
                             "bot@example.com", "ignored for ack");
  EXPECT_EQ(call.method, http_method::put);
  EXPECT_EQ(call.origin, "https://api.pagerduty.com");
  EXPECT_EQ(call.target, "/incidents/PT4KHLK");
  EXPECT_EQ(call.headers, expected_headers("bot@example.com"));
  EXPECT_EQ(json::parse(call.body),
            json::parse(R"({"incident":{"type":"incident_reference","status":"acknowledged"}})"));
  EXPECT_TRUE(call.idempotent());
}

TEST(PagerdutyBuilders, ResolveCarriesTheResolution) {
  const http_call with = update_incident_status(
      endpoint(), "PT4KHLK", pagerduty_status_change::resolved, "a@b.io", "Fixed by rollback");
  EXPECT_EQ(json::parse(with.body), json::parse(R"({"incident":{"type":"incident_reference",
            "status":"resolved","resolution":"Fixed by rollback"}})"));
  const http_call without =
      update_incident_status(endpoint(), "PT4KHLK", pagerduty_status_change::resolved, "a@b.io");
  EXPECT_EQ(json::parse(without.body),
            json::parse(R"({"incident":{"type":"incident_reference","status":"resolved"}})"));
}

TEST(PagerdutyBuilders, BasePathPortAndIdEncoding) {
  const http_call call = update_incident_status(endpoint("http://127.0.0.1:8081/pd/"), "a/b c?",
                                                pagerduty_status_change::acknowledged, "x@y.z");
  EXPECT_EQ(call.origin, "http://127.0.0.1:8081");
  EXPECT_EQ(call.target, "/pd/incidents/a%2Fb%20c%3F");
}

TEST(PagerdutyBuilders, FromHeaderCannotSplitTheRequest) {
  const http_call call = add_incident_note(endpoint(), "P1", "evil@x.io\r\nX-Injected: 1", "hi");
  EXPECT_EQ(call.header_value("From"), "evil@x.ioX-Injected: 1");
}

TEST(PagerdutyBuilders, NoteIsAPostWithFrom) {
  const http_call call =
      add_incident_note(endpoint(), "PT4KHLK", "bot@example.com", "Firefighters are on the scene.");
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.target, "/incidents/PT4KHLK/notes");
  EXPECT_EQ(call.headers, expected_headers("bot@example.com"));
  EXPECT_EQ(json::parse(call.body),
            json::parse(R"({"note":{"content":"Firefighters are on the scene."}})"));
  EXPECT_FALSE(call.idempotent());
}

TEST(PagerdutyBuilders, OncallsQueryEncodesBracketsAndPaginates) {
  const http_call call = list_oncalls(endpoint(), "PUS0KTE", 25, 100);
  EXPECT_EQ(call.method, http_method::get);
  EXPECT_EQ(call.target,
            "/oncalls?escalation_policy_ids%5B%5D=PUS0KTE&include%5B%5D=users&earliest=true"
            "&limit=100&offset=25");
  EXPECT_EQ(call.headers, expected_headers());
  EXPECT_TRUE(call.body.empty());
  EXPECT_EQ(list_oncalls(endpoint(), "P&x=1", 0, 25).target,
            "/oncalls?escalation_policy_ids%5B%5D=P%26x%3D1&include%5B%5D=users&earliest=true"
            "&limit=25&offset=0");
}

TEST(PagerdutyBuilders, GetsHaveNoFromAndNoBody) {
  const http_call user = get_user(endpoint(), "PXPGF42");
  EXPECT_EQ(user.method, http_method::get);
  EXPECT_EQ(user.target, "/users/PXPGF42");
  EXPECT_EQ(user.headers, expected_headers());
  EXPECT_TRUE(user.body.empty());
  const http_call incident = get_incident(endpoint(), "PT4KHLK");
  EXPECT_EQ(incident.target, "/incidents/PT4KHLK");
  EXPECT_EQ(incident.headers, expected_headers());
  const http_call query = find_user_by_email(endpoint(), "Alice+ops@Example.com");
  EXPECT_EQ(query.target, "/users?query=Alice%2Bops%40Example.com");
  EXPECT_EQ(query.headers, expected_headers());
}

// Every header the spec marks required is sent, with the spec's value where it names one.
TEST(PagerdutyBuilders, RequiredHeadersMatchTheSpec) {
  ASSERT_FALSE(spec_operations().empty());
  const std::map<std::string, http_call> calls = {
      {"PUT /incidents/{id}",
       update_incident_status(endpoint(), "P1", pagerduty_status_change::resolved, "a@b.io")},
      {"POST /incidents/{id}/notes", add_incident_note(endpoint(), "P1", "a@b.io", "n")},
      {"GET /oncalls", list_oncalls(endpoint(), "P1", 0, 25)},
      {"GET /users/{id}", get_user(endpoint(), "P1")},
      {"GET /incidents/{id}", get_incident(endpoint(), "P1")}};
  for (const auto& [name, call] : calls) {
    const json& op = spec_operations()[name];
    ASSERT_TRUE(op.is_object()) << name;
    const auto space = name.find(' ');
    EXPECT_EQ(to_string(call.method), name.substr(0, space)) << name;
    for (const json& param : op["parameters"]) {
      if (param.value("in", "") != "header" || !param.value("required", false)) continue;
      const std::string header_name = param["name"];
      const auto sent = call.header_value(header_name);
      ASSERT_TRUE(sent.has_value()) << name << " lacks " << header_name;
      if (param["schema"].contains("default")) {
        EXPECT_EQ(*sent, param["schema"]["default"].get<std::string>()) << name;
      }
    }
  }
}

TEST(PagerdutyReaders, SpecExamplesReadBack) {
  ASSERT_FALSE(spec_operations().empty());
  const auto status =
      read_incident_status(reply(200, spec_example("PUT /incidents/{id}", "200").dump()));
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(*status, "resolved");

  const auto note =
      read_incident_note(reply(200, spec_example("POST /incidents/{id}/notes", "200").dump()));
  ASSERT_TRUE(note) << note.error().message;
  EXPECT_EQ(*note, "PWL7QXS");

  const auto incident =
      read_incident(reply(200, spec_example("GET /incidents/{id}", "200").dump()));
  ASSERT_TRUE(incident) << incident.error().message;
  EXPECT_EQ(incident->id, "PT4KHLK");
  EXPECT_EQ(incident->status, "acknowledged");
  EXPECT_EQ(incident->number, 1234);
  EXPECT_EQ(incident->title, "The server is on fire.");
  ASSERT_EQ(incident->assignees.size(), 1u);
  EXPECT_EQ(incident->assignees[0].id, "PXPGF42");
  EXPECT_EQ(incident->assignees[0].summary, "Earline Greenholt");
  EXPECT_EQ(incident->escalation_policy_id, "PT20YPA");
  EXPECT_EQ(incident->urgency, "high");
  EXPECT_EQ(incident->priority, "P2");
  EXPECT_EQ(incident->html_url, "https://subdomain.pagerduty.com/incidents/PT4KHLK");

  const auto page = read_oncalls(reply(200, spec_example("GET /oncalls", "200").dump()));
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].user_id, "PT23IWX");
  EXPECT_EQ(page->entries[0].name, "Tim Wright");
  EXPECT_EQ(page->entries[0].email, std::nullopt);  // the example shows references only
  EXPECT_EQ(page->entries[0].escalation_level, 2);
  EXPECT_FALSE(page->more);

  const auto user = read_pagerduty_user(reply(200, spec_example("GET /users/{id}", "200").dump()));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->id, "PXPGF42");
  EXPECT_EQ(user->name, "Earline Greenholt");
  EXPECT_EQ(user->email, "125.greenholt.earline@graham.name");
}

TEST(PagerdutyReaders, NoteAcceptsCreated) {
  const auto note = read_incident_note(reply(201, R"({"note":{"id":"PWL7QXS","content":"x"}})"));
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, "PWL7QXS");
}

TEST(PagerdutyReaders, ExpandedOncallsCarryEmailsAndNextOffset) {
  const auto page = read_oncalls(reply(200, R"({"oncalls":[
    {"user":{"id":"PU1","type":"user","name":"Ann","email":"ann@x.io","summary":"Ann S"},
     "schedule":null,"escalation_level":1,"start":null,"end":null},
    {"user":{"id":"PU2","type":"user_reference","summary":"Bob"},"escalation_level":2}],
    "limit":2,"offset":4,"more":true,"total":null})"));
  ASSERT_TRUE(page) << page.error().message;
  ASSERT_EQ(page->entries.size(), 2u);
  EXPECT_EQ(page->entries[0].user_id, "PU1");
  EXPECT_EQ(page->entries[0].name, "Ann");
  EXPECT_EQ(page->entries[0].email, "ann@x.io");
  EXPECT_EQ(page->entries[0].escalation_level, 1);
  EXPECT_EQ(page->entries[1].name, "Bob");
  EXPECT_EQ(page->entries[1].email, std::nullopt);
  EXPECT_TRUE(page->more);
  EXPECT_EQ(page->next_offset, 6);
}

TEST(PagerdutyReaders, UserSearchKeepsOnlyTheExactEmail) {
  const std::string body = R"({"users":[
    {"id":"P1","name":"Alice Smith","email":"alice.smith@example.com"},
    {"id":"P2","name":"Alice","email":"Alice@Example.com"}],"more":false})";
  const auto found = read_user_by_email(reply(200, body), "alice@example.com");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, "P2");
  const auto missing = read_user_by_email(reply(200, body), "alice@example.co");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(missing->has_value());
  const auto empty = read_user_by_email(reply(200, R"({"users":[]})"), "");
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_value());
}

TEST(PagerdutyErrors, MissingFromIsReportedInPagerdutysWords) {
  const auto status = read_incident_status(reply(400, R"({"error":{"code":2016,"message":
    "You must specify a user's email address in the \"From\" header to perform this action"}})"));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "pagerduty_2016");
  EXPECT_EQ(
      status.error().message,
      "You must specify a user's email address in the \"From\" header to perform this action");
}

TEST(PagerdutyErrors, DetailsAreAppendedToTheMessage) {
  const auto note = read_incident_note(reply(400, R"({"error":{"message":"Invalid Input Provided",
    "code":2001,"errors":["Content cannot be empty.", 7, "Too long."]}})"));
  ASSERT_FALSE(note);
  EXPECT_EQ(note.error().code, "pagerduty_2001");
  EXPECT_EQ(note.error().message, "Invalid Input Provided: Content cannot be empty.; Too long.");
}

TEST(PagerdutyErrors, AlreadyResolvedAndAcknowledgedAreDistinguishable) {
  const auto resolved = read_incident_status(
      reply(400, R"({"error":{"message":"Incident Already Resolved","code":1001}})"));
  ASSERT_FALSE(resolved);
  EXPECT_TRUE(is_already_resolved(resolved.error()));
  EXPECT_FALSE(is_already_acknowledged(resolved.error()));
  const auto acked = read_incident_status(
      reply(400, R"({"error":{"message":"Incident Already Acknowledged","code":1002}})"));
  ASSERT_FALSE(acked);
  EXPECT_TRUE(is_already_acknowledged(acked.error()));
  EXPECT_FALSE(is_already_resolved(acked.error()));
  const auto other = read_incident_status(reply(400, R"({"error":{"message":"x","code":1003}})"));
  EXPECT_FALSE(is_already_resolved(other.error()) || is_already_acknowledged(other.error()));
}

TEST(PagerdutyErrors, IncidentWithAMalformedAssigneeIsABadReply) {
  const auto incident = read_incident(reply(200, R"({"incident":{"id":"P","status":"triggered",
    "incident_number":1,"title":"t","escalation_policy":{"id":"E"},"assignments":[{"assignee":"PU1"}]}})"));
  ASSERT_FALSE(incident);
  EXPECT_EQ(incident.error().code, bad_reply_code);
  const auto minimal = read_incident(reply(200, R"({"incident":{"id":"P","status":"triggered",
    "incident_number":1,"escalation_policy":{"id":"E"},"priority":null}})"));
  ASSERT_TRUE(minimal) << minimal.error().message;
  EXPECT_EQ(minimal->priority, std::nullopt);
  EXPECT_TRUE(minimal->assignees.empty());
}

TEST(PagerdutyErrors, RateLimitWithAndWithoutBody) {
  const auto bare = read_oncalls(reply(429, ""));
  ASSERT_FALSE(bare);
  EXPECT_EQ(bare.error().code, "http_429");
  EXPECT_EQ(bare.error().message, "PagerDuty answered HTTP 429");
  const auto with_body =
      read_oncalls(reply(429, R"({"error":{"message":"Rate Limit Exceeded","code":2020}})"));
  ASSERT_FALSE(with_body);
  EXPECT_EQ(with_body.error().code, "pagerduty_2020");
  EXPECT_EQ(with_body.error().message, "Rate Limit Exceeded");
}

TEST(PagerdutyErrors, NotFoundAndErrorObjectsWithoutCode) {
  const auto user =
      read_pagerduty_user(reply(404, R"({"error":{"message":"Not Found","code":2100}})"));
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().code, "pagerduty_2100");
  const auto incident = read_incident(reply(401, R"({"error":{"message":"Unauthorized"}})"));
  ASSERT_FALSE(incident);
  EXPECT_EQ(incident.error().code, "http_401");
  EXPECT_EQ(incident.error().message, "Unauthorized");
  const auto empty = read_incident(reply(403, R"({"error":{}})"));
  EXPECT_EQ(empty.error().code, "http_403");
  EXPECT_EQ(empty.error().message, "PagerDuty answered HTTP 403");
}

TEST(PagerdutyErrors, TokenNeverAppearsInErrors) {
  // Builders put the token only in Authorization; readers only see replies. Check both the
  // built call and the errors of every documented failure shape.
  const http_call call =
      update_incident_status(endpoint(), "P1", pagerduty_status_change::resolved, "a@b.io", "done");
  for (const header& h : call.headers)
    if (h.name != "Authorization") {
      EXPECT_EQ(h.value.find(token), std::string::npos) << h.name;
    }
  EXPECT_EQ(call.body.find(token), std::string::npos);
  for (const header& h : redacted_headers(call.headers))
    EXPECT_EQ(h.value.find(token), std::string::npos) << h.name;
  for (const auto& r : {reply(401, R"({"error":{"message":"Unauthorized","code":2006}})"),
                        reply(400, R"({"error":{"code":2016,"message":"From"}})"), reply(429, ""),
                        reply(500, "Internal Server Error"), reply(200, "{}")}) {
    const auto status = read_incident_status(r);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().message.find(token), std::string::npos);
    EXPECT_EQ(status.error().code.find(token), std::string::npos);
  }
}

// A response example of the full PagerDuty OpenAPI document, as refresh_fixtures.py extracted it.
const json* full_spec_example(std::string_view key) {
  static const json examples =
      json::parse(fixtures::read("pagerduty/openapi-response-examples.json"), nullptr, false);
  const auto it = examples.find(std::string(key));
  return it == examples.end() ? nullptr : &*it;
}

TEST(PagerdutyCommands, CreateIncidentIsAPostAsTheUserWithAnIncidentKey) {
  const http_call call =
      create_incident(endpoint(), "alice@example.com", "Checkout down", "PSVC1", "warroom-abc");
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.target, "/incidents");
  EXPECT_EQ(call.headers, expected_headers("alice@example.com"));
  EXPECT_EQ(json::parse(call.body), json::parse(R"({"incident":{"type":"incident",
    "title":"Checkout down","service":{"id":"PSVC1","type":"service_reference"},
    "incident_key":"warroom-abc"}})"));
  EXPECT_FALSE(call.idempotent());
  EXPECT_TRUE(is_duplicate_incident_key(
      pagerduty_error(reply(400, R"({"error":{"code":2001,"message":"Invalid Input Provided",
               "errors":["Open incident with matching incident_key already exists."]}})"))));
  EXPECT_FALSE(is_duplicate_incident_key(pagerduty_error(reply(400, "{}"))));
}

TEST(PagerdutyCommands, PriorityIsSetByIdAndReadFromTheList) {
  const http_call call = set_incident_priority(endpoint(), "PT4KHLK", "PSLWBL8", "a@b.io");
  EXPECT_EQ(call.method, http_method::put);
  EXPECT_EQ(call.target, "/incidents/PT4KHLK");
  EXPECT_EQ(call.headers, expected_headers("a@b.io"));
  EXPECT_EQ(json::parse(call.body), json::parse(R"({"incident":{"type":"incident_reference",
    "priority":{"id":"PSLWBL8","type":"priority_reference"}}})"));
  EXPECT_EQ(list_priorities(endpoint()).target, "/priorities?limit=100");
  const json* example = full_spec_example("GET /priorities 200");
  ASSERT_NE(example, nullptr);
  auto priorities = read_priorities(reply(200, example->dump()));
  ASSERT_TRUE(priorities.has_value()) << priorities.error().message;
  ASSERT_GE(priorities->size(), 2u);
  EXPECT_EQ((*priorities)[0].id, "PSLWBL8");
  EXPECT_EQ((*priorities)[0].summary, "P1");
  EXPECT_FALSE(read_priorities(reply(200, R"({"priorities":[{"name":"P1"}]})")).has_value());
}

TEST(PagerdutyCommands, ResponderRequestNamesRequesterAndTarget) {
  const http_call call =
      create_responder_request(endpoint(), "PT4KHLK", "a@b.io", "PREQ1", "PTGT1", "Please join");
  EXPECT_EQ(call.method, http_method::post);
  EXPECT_EQ(call.target, "/incidents/PT4KHLK/responder_requests");
  EXPECT_EQ(json::parse(call.body), json::parse(R"({"requester_id":"PREQ1","message":"Please join",
    "responder_request_targets":[{"responder_request_target":{"id":"PTGT1","type":"user_reference"}}]})"));
  const json* example = full_spec_example("POST /incidents/{id}/responder_requests 200");
  ASSERT_NE(example, nullptr);
  EXPECT_TRUE(read_pagerduty_ok(reply(200, example->dump())).has_value());
  EXPECT_FALSE(read_pagerduty_ok(reply(404, R"({"error":{"code":2100,"message":"Not Found"}})"))
                   .has_value());
}

TEST(PagerdutyCommands, ServicesAreFoundByName) {
  EXPECT_EQ(find_services(endpoint(), "Checkout API").target, "/services?query=Checkout%20API");
  const json* example = full_spec_example("GET /services 200");
  ASSERT_NE(example, nullptr);
  auto services = read_services(reply(200, example->dump()));
  ASSERT_TRUE(services.has_value()) << services.error().message;
  ASSERT_FALSE(services->empty());
  EXPECT_EQ((*services)[0].id, "PIJ90N7");
  EXPECT_EQ((*services)[0].summary, "My Application Service");
}

// An earlier attempt's note is found again by the marker it carries (the opening note's retry).
TEST(PagerdutyNotes, ListIsAGetAndTheSpecExampleReadsBack) {
  const http_call call = list_incident_notes(endpoint(), "PT4/KHLK");
  EXPECT_EQ(call.method, http_method::get);
  EXPECT_EQ(call.target, "/incidents/PT4%2FKHLK/notes");
  EXPECT_EQ(call.headers, expected_headers());  // a read: no From
  const json* example = full_spec_example("GET /incidents/{id}/notes 200");
  ASSERT_NE(example, nullptr);
  const auto notes = read_incident_notes(reply(200, example->dump()));
  ASSERT_TRUE(notes) << notes.error().message;
  ASSERT_EQ(notes->size(), 2u);
  EXPECT_EQ((*notes)[0].id, "PWL7QXS");
  EXPECT_EQ((*notes)[0].content, "Firefighters are on the scene.");
  EXPECT_EQ(find_note_with(*notes, "1-alarm"), "PCQC25");
  EXPECT_EQ(find_note_with(*notes, "warroom-ref"), std::nullopt);
}

TEST(PagerdutyNotes, BadListsAreErrors) {
  const struct {
    unsigned status;
    const char* body;
    const char* code;
  } cases[] = {
      {200, R"({"notes":[{"content":"no id"}]})", "bad_reply"},
      {200, R"({"note":[]})", "bad_reply"},
      {200, "not json", "bad_reply"},
      {404, R"({"error":{"message":"Not Found","code":2100}})", "pagerduty_2100"},
      {429, "", "http_429"},
  };
  for (const auto& c : cases) {
    const auto notes = read_incident_notes(reply(c.status, c.body));
    ASSERT_FALSE(notes) << c.body;
    EXPECT_EQ(notes.error().code, c.code) << c.body;
  }
  const auto empty = read_incident_notes(reply(200, R"({"notes":[]})"));
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace warroom::api::pagerduty_test
